/**
 * Migration 8: a version-7 file's segments table is rebuilt to admit updatable and dynamic
 * segments, keeping every id, so campaigns, activities and members still point at theirs;
 * the upgraded file passes the strict schema check.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { compareSchema } from '../../../../main/engine/project/schema-check';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate } from '../../../../main/engine/project/schema';
import { SqlDb } from '../../../../main/engine/sqlite/database';
import { alterProject } from '../../../helpers/bad-files';
import { expectEngineError } from '../../../helpers/engine';
import { startCampaignProject } from '../campaigns/helpers';
import { TO_V7 } from './v7-file';

describe('migration 8 (segment types)', () => {
  it('opens a version-7 file: the same segments, ids, members, campaigns and activities; the file passes the check and takes updatable segments', async () => {
    const t = await startCampaignProject();
    t.generate(20);
    const first = t.segment('First', ['p1', 'p2']);
    const second = t.segment('Second');
    t.db().run('DELETE FROM segments WHERE id = ?', [first]); // a gap in the ids
    const third = t.segment('Third', ['p3']);
    const campaignId = await t.campaign(second, { percent: '10', limit: null, strata: [] });
    await t.call('campaign/activate', { campaignId });
    const path = join(t.dir, 'v8.cplan');
    await t.call('project/saveAs', { path });
    await t.call('project/close', {});
    const v7 = await alterProject(path, join(t.dir, 'v7.cplan'), TO_V7);

    const state = await t.call('project/open', { path: v7 });
    expect(state).toMatchObject({ open: true });
    expect(state.cleaned).toBeUndefined();
    expect((await t.call('project/info', {})).fileSchemaVersion).toBe(7);
    const segments = await t.call('segment/list', {});
    expect(segments.map((s) => [s.id, s.kind, s.size, s.usedBy.campaigns])).toEqual([
      [second, 'static', 20, 1],
      [third, 'static', 1, 0],
    ]);
    expect(t.db().all('PRAGMA foreign_key_check')).toEqual([]);
    expect(Number(t.db().scalar('PRAGMA foreign_keys'))).toBe(1);
    expect((await t.call('campaign/get', { campaignId })).campaign).toMatchObject({ segmentId: second, groups: { total: 20 } });
    // A used segment still cannot go: the foreign keys hold.
    await expectEngineError(t.call('segment/delete', { segmentId: second }), 'REFUSED');
    const made = await t.call('segment/create', { databaseId: t.databaseId, name: 'Weekly', type: 'updatable', schedule: 'daily 09:00', from: { kind: 'condition', where: 'letter is empty' } });
    expect(made.segment).toMatchObject({ kind: 'updatable', size: 20 });
    const upgraded = join(t.dir, 'upgraded.cplan');
    await t.call('project/saveAs', { path: upgraded });
    await t.call('project/close', {});
    expect((await t.call('project/open', { path: upgraded })).cleaned).toBeUndefined();
    expect((await t.call('project/info', {})).fileSchemaVersion).toBe(LATEST_SCHEMA_VERSION);

    // The schema check finds nothing in the upgraded file.
    const SQL = await initSqlJs();
    const file = SqlDb.create(SQL, readFileSync(upgraded));
    try {
      expect(compareSchema(SQL, file, LATEST_SCHEMA_VERSION)).toEqual({ findings: [], repairs: [] });
    } finally {
      file.close();
    }
  });

  it('a version-7 file that already holds an updatable segment or a recalculations table is refused: that version made none', async () => {
    const t = await startCampaignProject();
    t.generate(3);
    t.segment('All');
    const path = join(t.dir, 'v8.cplan');
    await t.call('project/saveAs', { path });
    await t.call('project/close', {});
    const extra = await alterProject(path, join(t.dir, 'extra.cplan'), TO_V7.replace('DROP TABLE segment_recalculations;', ''));
    expect((await expectEngineError(t.call('project/open', { path: extra, discard: true }), 'FOREIGN_SCHEMA')).message).toMatch(/an unknown table "segment_recalculations"/);
  });

  it('runs with foreign keys off and puts them back, in one transaction', async () => {
    const SQL = await initSqlJs();
    const db = SqlDb.create(SQL);
    db.exec('PRAGMA foreign_keys = ON');
    migrate(db, MIGRATIONS.filter((m) => m.version <= 7));
    db.exec(`INSERT INTO databases (id, name, created_at) VALUES (1, 'D', 'x');
             INSERT INTO segments (id, database_id, name, kind, source, created_at, created_clock) VALUES (5, 1, 'S', 'static', '{"kind":"all"}', 'x', '2026-01-01T00:00');
             INSERT INTO segment_members VALUES (5, 1), (5, 2);`);
    expect(migrate(db, MIGRATIONS.filter((m) => m.version <= 8))).toEqual([8]);
    expect(db.all('SELECT segment_id, profile_key FROM segment_members')).toEqual([
      { segment_id: 5, profile_key: 1 },
      { segment_id: 5, profile_key: 2 },
    ]);
    expect(Number(db.scalar('PRAGMA foreign_keys'))).toBe(1);
    db.close();
  });
});
