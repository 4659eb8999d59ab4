import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIM_SETTINGS, type SavedSimulationBody, type SimSettings, type SimSource } from '../../../../shared/contract/simulate';
import { planSimulation } from '../../../../shared/simulate/plan';
import { createProjectDb } from '../../../../main/engine/project/project-file';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate } from '../../../../main/engine/project/schema';
import { SqlDb } from '../../../../main/engine/sqlite/database';
import { summaryLine } from '../../../../main/engine/simulate/saved';
import { expectEngineError, startTestEngine } from '../../../helpers/engine';
import { startSimProject, type SimProject } from './helpers';

async function simulation(t: SimProject, percent = '10'): Promise<SavedSimulationBody> {
  const source: SimSource = { audience: { kind: 'campaign', campaignId: t.campaignId }, metric: { field: 'bought' } };
  const settings: SimSettings = { ...DEFAULT_SIM_SETTINGS, percent, seed: 's1' };
  const scan = await t.call('simulate/scan', source);
  const balance = await t.call('simulate/balance', { source, settings: { percent, limit: null, seed: 's1' } });
  return { source, settings, scan, plan: planSimulation(scan, settings), monteCarlo: null, balance };
}

describe('saved simulations', () => {
  it('are kept with their campaign through save and reopen, newest first, dated on the project clock', async () => {
    const t = await startSimProject();
    const ten = await simulation(t, '10');
    const twenty = await simulation(t, '20');
    const first = await t.call('simulate/save', { name: 'Ten percent', body: ten });
    const second = await t.call('simulate/save', { name: 'Twenty percent', body: twenty });
    expect(first).toMatchObject({ campaignId: t.campaignId, name: 'Ten percent', clock: '2026-11-29T10:15', createdAt: '2026-11-29T10:15:00.000Z' });
    expect(first.summary).toBe(summaryLine(ten));
    expect(first.summary).toMatch(/^LCG 10 % \(\d{3}\): MDE \+\d+ % on bought is yes$/);
    const path = join(t.dir, 'saved.cplan');
    await t.call('project/saveAs', { path });
    await t.call('project/close', {});
    await t.call('project/open', { path });
    const list = await t.call('simulate/list', { campaignId: t.campaignId });
    expect(list.map((s) => s.name)).toEqual(['Twenty percent', 'Ten percent']);
    expect(list[1]).toEqual(first);
    const got = await t.call('simulate/get', { id: first.id });
    expect(got.body).toEqual(ten);
    expect((await t.call('simulate/get', { id: second.id })).body.plan.sizes.control).toBe(twenty.plan.sizes.control);
    expect(await t.call('simulate/delete', { id: first.id })).toEqual({ deleted: true });
    expect(await t.call('simulate/delete', { id: first.id })).toEqual({ deleted: false });
    expect((await t.call('simulate/list', {})).map((s) => s.id)).toEqual([second.id]);
    await expectEngineError(t.call('simulate/get', { id: first.id }), 'NOT_FOUND');
  });

  it('stay with a campaign in the recycle bin and come back with it', async () => {
    const t = await startSimProject();
    const saved = await t.call('simulate/save', { name: 'Before deleting', body: await simulation(t) });
    await t.call('campaign/delete', { campaignId: t.campaignId });
    expect(await t.call('simulate/list', {})).toEqual([]);
    expect(await t.call('simulate/list', { campaignId: t.campaignId })).toEqual([saved]);
    await t.call('campaign/restore', { campaignId: t.campaignId });
    expect(await t.call('simulate/list', {})).toEqual([saved]);
  });

  it('list a body changed outside the app with a clear note, and refuse to open it, without crashing', async () => {
    const t = await startSimProject();
    const good = await t.call('simulate/save', { name: 'Good', body: await simulation(t) });
    const bad = await t.call('simulate/save', { name: 'Tampered', body: await simulation(t) });
    const broken = await t.call('simulate/save', { name: 'Not JSON', body: await simulation(t) });
    const body = JSON.parse(String(t.db().scalar('SELECT body FROM simulations WHERE id = ?', [bad.id])));
    body.plan.sizes.control = 'many';
    t.db().run('UPDATE simulations SET body = ? WHERE id = ?', [JSON.stringify(body), bad.id]);
    t.db().run("UPDATE simulations SET body = '{not json' WHERE id = ?", [broken.id]);
    const list = await t.call('simulate/list', {});
    expect(list.map((s) => s.name)).toEqual(['Not JSON', 'Tampered', 'Good']);
    expect(list[2]!.summary).toBe(good.summary);
    expect(list[1]!.summary).toContain(`the saved simulation ${bad.id} cannot be read`);
    expect(list[1]!.summary).toContain('plan.sizes.control');
    expect(list[0]!.summary).toContain('not JSON');
    const error = await expectEngineError(t.call('simulate/get', { id: bad.id }), 'CORRUPT_FILE');
    expect(error.message).toContain('plan.sizes.control');
  });
});

describe('schema version 6', () => {
  it('upgrades a version-5 file: the simulations table is added, and the file passes the strict check after saving', async () => {
    const t = await startTestEngine();
    const { loadSqlJs } = await import('../../../../main/engine/sqlite/sql-js');
    const sql = await loadSqlJs();
    const full = createProjectDb(sql, { name: 'Plan 5', now: new Date('2026-01-01T00:00:00Z'), appVersion: '0.0.5' });
    const v5 = SqlDb.create(sql);
    v5.exec(`PRAGMA page_size = 8192; PRAGMA application_id = ${Number(full.scalar('PRAGMA application_id'))};`);
    migrate(v5, MIGRATIONS.filter((m) => m.version <= 5));
    v5.run("INSERT INTO meta VALUES ('name', 'Plan 5'), ('created_at', '2026-01-01T00:00:00.000Z'), ('clock', '2026-01-01T09:00')");
    expect(v5.scalar("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'simulations'")).toBe(0);
    const path = join(t.dir, 'five.cplan');
    writeFileSync(path, v5.export());

    const opened = await t.call('project/open', { path });
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(6);
    expect(opened.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect((await t.call('project/info', {})).fileSchemaVersion).toBe(5);
    expect(await t.call('simulate/list', {})).toEqual([]);
    await t.call('project/save', {});
    await t.call('project/close', {});
    // Reopened under the strict schema check: the new table and its index are this version's own.
    const again = await t.call('project/open', { path });
    expect(again.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect((await t.call('project/info', {})).fileSchemaVersion).toBe(LATEST_SCHEMA_VERSION);
  });

  it('refuses a file whose simulations table was changed outside the app', async () => {
    const t = await startSimProject();
    const path = join(t.dir, 'changed.cplan');
    await t.call('project/saveAs', { path });
    await t.call('project/close', {});
    const { loadSqlJs } = await import('../../../../main/engine/sqlite/sql-js');
    const { readFileSync } = await import('node:fs');
    const sql = await loadSqlJs();
    const db = new SqlDb(new sql.Database(readFileSync(path)));
    db.exec('ALTER TABLE simulations ADD COLUMN secret TEXT');
    writeFileSync(path, db.export());
    const error = await expectEngineError(t.call('project/open', { path }), 'FOREIGN_SCHEMA');
    expect(error.message).toContain('simulations');
  });
});
