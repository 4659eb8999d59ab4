/**
 * `events/list` of all types (events/read.ts listEvents): each type's newest events merged
 * give exactly the page one ORDER BY over every event gives, at any offset, with events of
 * several types at the same time ordered by the one written later first; the total is
 * every event up to the clock.
 */
import { describe, expect, it } from 'vitest';
import { clockLimit } from '../../../../main/engine/events/clock';
import { addEvent } from '../../../../main/engine/events/table';
import { startTestEngine } from '../../../helpers/engine';

describe('listing all events, newest first', () => {
  it('merges the types into the same pages as one sort of every event', async () => {
    const t = await startTestEngine();
    await t.call('demo/create', { profiles: 300, seed: 'list-events' });
    const db = t.engine.state.requireSession().db;
    const clock = (await t.call('project/info', {})).clock;
    const last = String(db.scalar('SELECT MAX(at) FROM events_1 WHERE at <= ?', [clockLimit(clock)]));
    // Ties across types at the newest time: the later written comes first.
    for (const type of ['purchase', 'open', 'zz-custom', 'open']) addEvent(db, 1, { profileKey: 1, type, at: last });
    const reference = (offset: number, limit: number) =>
      db
        .all(
          `SELECT p.profile_id, e.type, e.at, e.amount, e.note FROM events_1 e JOIN profiles_1 p ON p.rowid = e.profile_key
            WHERE e.at <= ? ORDER BY e.at DESC, e.seq DESC LIMIT ? OFFSET ?`,
          [clockLimit(clock), limit, offset],
        )
        .map((r) => ({ profileId: String(r.profile_id), type: String(r.type), at: String(r.at), amount: r.amount === null ? null : Number(r.amount), note: r.note === null ? null : String(r.note) }));
    const total = Number(db.scalar('SELECT COUNT(*) FROM events_1 WHERE at <= ?', [clockLimit(clock)]));
    expect(total).toBeGreaterThan(500);
    for (const [offset, limit] of [[0, 1], [0, 6], [3, 25], [250, 100], [total - 5, 100]] as const) {
      const listed = await t.call('events/list', { databaseId: 1, offset, limit });
      expect(listed.total).toBe(total);
      expect(listed.events).toEqual(reference(offset, limit));
    }
    const first = await t.call('events/list', { databaseId: 1, limit: 4 });
    expect(first.events.map((e) => e.type)).toEqual(['open', 'zz-custom', 'open', 'purchase']);
  });
});
