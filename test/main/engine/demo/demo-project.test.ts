import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../../shared/contract/events';
import { contract, DEMO_DEFAULT_PROFILES } from '../../../../shared/contract/index';
import { DEMO_FIELDS } from '../../../../main/engine/demo/generator';
import { expectEngineError, startTestEngine, type TestEngine } from '../../../helpers/engine';

/** A digest of every profile of the open project's first database, in order. */
async function digest(t: TestEngine): Promise<string> {
  const [database] = await t.call('database/list', {});
  const db = t.engine.state.requireSession().db;
  const hash = createHash('sha256');
  for (const row of db.all(`SELECT * FROM profiles_${database!.id} ORDER BY rowid`)) hash.update(JSON.stringify(row));
  return hash.digest('hex');
}

describe('demo/create', () => {
  it('opens a new, unsaved project with the "Customers" database of 50,000 generated profiles', async () => {
    const t = await startTestEngine();
    const started = performance.now();
    const state = await t.call('demo/create', {}, 'demo');
    const elapsed = performance.now() - started;
    expect(contract['demo/create'].result.safeParse(state).success).toBe(true);
    expect(state).toMatchObject({ open: true, name: 'Demo project', path: null, dirty: false, savedAt: null, clock: '2026-11-29T10:15' });
    const [database, ...others] = await t.call('database/list', {});
    expect(others).toEqual([]);
    expect(database).toMatchObject({ name: 'Customers', profileCount: DEMO_DEFAULT_PROFILES, fieldCount: DEMO_FIELDS.length });
    const detail = await t.call('database/get', { databaseId: database!.id });
    expect(detail.fields.map((f) => [f.name, f.type])).toEqual(DEMO_FIELDS.map((f) => [f.name, f.type]));
    expect(detail.subscriptionCounts.subscribed).toBeGreaterThan(DEMO_DEFAULT_PROFILES * 0.7);
    const info = await t.call('project/info', {});
    expect(info.description).toContain('50,000');
    // The profiles are the generator's, for the project clock's day.
    const card = await t.call('profile/get', { databaseId: database!.id, profileId: '0000001' });
    expect(card.values.length).toBe(DEMO_FIELDS.length);
    // The unique profile ID index is there (built after the bulk load).
    const db = t.engine.state.requireSession().db;
    expect(db.scalar("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name = ?", [`profiles_${database!.id}_profile_id`])).toBe(1);
    // Connection settings changed for the bulk load are back to normal.
    expect(db.scalar('PRAGMA journal_mode')).toBe('delete');
    expect(db.scalar('PRAGMA cache_size')).toBe(-2000);
    // Quick: well under two seconds even on a slow test machine (the benchmark has the figures).
    expect(elapsed).toBeLessThan(10_000);
  });

  it('is reproducible: the same seed on the same day gives the same profiles, another seed others', async () => {
    const a = await startTestEngine();
    const b = await startTestEngine();
    await a.call('demo/create', { profiles: 3_000, seed: 'same' });
    await b.call('demo/create', { profiles: 3_000, seed: 'same' });
    expect(await digest(a)).toBe(await digest(b));
    await b.call('demo/create', { profiles: 3_000, seed: 'other' });
    expect(await digest(b)).not.toBe(await digest(a));
    const later = await startTestEngine({ now: () => new Date('2026-12-01T10:15:00Z') });
    await later.call('demo/create', { profiles: 3_000, seed: 'same' });
    expect(await digest(later)).not.toBe(await digest(a));
  });

  it('reports progress in rows and can be cancelled, leaving the open project as it was', async () => {
    const t = await startTestEngine();
    await t.call('project/new', { name: 'Mine' });
    await t.call('project/update', { description: 'unsaved work' });
    await expectEngineError(t.call('demo/create', { profiles: 1_000 }), 'UNSAVED_CHANGES');
    t.events.length = 0;
    const running = t.raw('demo/create', { profiles: 400_000, discard: true }, 'demo-cancel');
    for (let i = 0; i < 1_000 && !t.events.some((e) => e.event === 'progress' && (e.payload as ProgressEvent).done > 0); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await t.call('operation/cancel', { operationId: 'demo-cancel' });
    expect(await running).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    const progress = t.events.filter((e) => e.event === 'progress').map((e) => e.payload as ProgressEvent);
    expect(progress[0]).toMatchObject({ method: 'demo/create', unit: 'rows', total: 400_000 });
    expect(await t.call('project/state', {})).toMatchObject({ name: 'Mine', dirty: true, description: 'unsaved work' });
  });

  it('replaces unsaved work only when told to discard it; the demo itself can be closed without a question', async () => {
    const t = await startTestEngine();
    await t.call('project/new', { name: 'Mine' });
    await t.call('project/update', { description: 'unsaved work' });
    await t.call('demo/create', { profiles: 100, discard: true });
    expect(await t.call('project/state', {})).toMatchObject({ name: 'Demo project', dirty: false });
    await t.call('project/close', {});
    await t.call('demo/create', { profiles: 100 });
    // The first change makes it unsaved, as for any project.
    const [database] = await t.call('database/list', {});
    await t.call('database/rename', { databaseId: database!.id, name: 'Clients' });
    expect(await t.call('project/state', {})).toMatchObject({ dirty: true });
  });

  it('saves and reopens with every profile', async () => {
    const t = await startTestEngine();
    await t.call('demo/create', { profiles: 5_000, seed: 'saved' });
    const before = await digest(t);
    const path = join(t.dir, 'demo.cplan');
    await t.call('project/saveAs', { path });
    await t.call('project/close', {});
    await t.call('project/open', { path });
    expect(await digest(t)).toBe(before);
    expect((await t.call('database/list', {}))[0]?.profileCount).toBe(5_000);
  });

  it('refuses counts and seeds outside the limits', async () => {
    const t = await startTestEngine();
    await expectEngineError(t.call('demo/create', { profiles: 0 }), 'INVALID_ARGUMENT');
    await expectEngineError(t.call('demo/create', { profiles: 2_000_001 }), 'INVALID_ARGUMENT');
    await expectEngineError(t.call('demo/create', { seed: '' }), 'INVALID_ARGUMENT');
  });
});
