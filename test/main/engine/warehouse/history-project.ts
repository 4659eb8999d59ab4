/**
 * A project whose campaigns have a history, made through the real engine: a stratified
 * campaign that grew after its activation, one whose LCG size changed (then grew), one with
 * profiles added by hand and forced into Test (new ones, and an LCG member moved), one whose
 * stratification values changed (its LCG trimmed) and one whose stratification fields
 * changed (its LCG moved to Test, re-formed from new profiles). Saved to `path`.
 */
import { join } from 'node:path';
import type { LcgSettings } from '../../../../shared/contract/campaigns';
import { profileTable } from '../../../../main/engine/databases/profile-table';
import { loadSqlJs } from '../../../../main/engine/sqlite/sql-js';
import { readFileSync, writeFileSync } from 'node:fs';
import { startCampaignProject, type CampaignProject } from '../campaigns/helpers';

export const CAMPAIGNS = ['Stratified', 'Bigger LCG', 'By hand', 'Other values', 'Other fields'] as const;

const VALUES = { letter: "CASE WHEN i % 4 = 0 THEN 'A' WHEN i % 4 = 1 THEN 'B' WHEN i % 7 = 0 THEN NULL ELSE 'C' END", age: '18 + i % 50' };

export interface HistoryProject {
  readonly t: CampaignProject;
  /** The saved file (in a folder removed after the test that made it) and its bytes. */
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly ids: Readonly<Record<(typeof CAMPAIGNS)[number], number>>;
}

export async function historyProject(): Promise<HistoryProject> {
  const t = await startCampaignProject([
    { name: 'letter', type: 'string' },
    { name: 'age', type: 'number' },
  ]);
  t.generate(1200, { values: VALUES });
  const letter = { kind: 'values' as const, fieldId: t.field('letter').id };
  const ages = (bounds: number[]) => ({ kind: 'ranges' as const, fieldId: t.field('age').id, bounds });
  const campaign = async (name: (typeof CAMPAIGNS)[number], lcg: LcgSettings) => {
    const segmentId = t.segment(name);
    const id = await t.campaign(segmentId, lcg, `seed-${name}`, name);
    await t.call('campaign/activate', { campaignId: id });
    return { id, segmentId };
  };
  let next = 1201;
  /** New profiles in the segment, taken in by a new build (deactivate, activate). */
  const grow = async (c: { id: number; segmentId: number }, count: number) => {
    t.generate(count, { from: next, values: VALUES });
    t.addToSegment(c.segmentId, Array.from({ length: count }, (_, i) => `p${next + i}`));
    next += count;
    await t.call('campaign/deactivate', { campaignId: c.id });
    await t.call('campaign/activate', { campaignId: c.id });
  };

  const stratified = await campaign('Stratified', { percent: 10, limit: null, strata: [letter, ages([30, 50])] });
  await grow(stratified, 300);

  const bigger = await campaign('Bigger LCG', { percent: 10, limit: null, strata: [letter] });
  await t.call('campaign/setLcg', { campaignId: bigger.id, lcg: { percent: 15, limit: null, strata: [letter] } });
  await grow(bigger, 200);

  const byHand = await campaign('By hand', { percent: 20, limit: null, strata: [ages([40])] });
  const lcgMember = t.db().scalar(
    `SELECT p.profile_id FROM campaign_members m JOIN ${profileTable(t.databaseId)} p ON p.rowid = m.profile_key WHERE m.campaign_id = ? AND m.grp = 'control' ORDER BY p.profile_id LIMIT 1`,
    [byHand.id],
  );
  t.generate(5, { from: next, values: VALUES });
  const fresh = Array.from({ length: 5 }, (_, i) => `p${next + i}`);
  next += 5;
  await t.call('campaign/addProfiles', { campaignId: byHand.id, profileIds: [String(lcgMember), ...fresh], forceTest: true });
  await grow(byHand, 100);

  const values = await campaign('Other values', { percent: 20, limit: null, strata: [ages([30, 50])] });
  await t.call('campaign/setLcg', { campaignId: values.id, lcg: { percent: 10, limit: null, strata: [ages([40])] } });
  await grow(values, 150);

  const fields = await campaign('Other fields', { percent: 10, limit: null, strata: [letter] });
  await t.call('campaign/setLcg', { campaignId: fields.id, lcg: { percent: 10, limit: null, strata: [ages([40])] } });
  await grow(fields, 400);

  const path = join(t.dir, 'history.cplan');
  await t.call('project/saveAs', { path });
  return { t, path, bytes: readFileSync(path), ids: { Stratified: stratified.id, 'Bigger LCG': bigger.id, 'By hand': byHand.id, 'Other values': values.id, 'Other fields': fields.id } };
}

/** Runs SQL on a saved project file's bytes (sql.js, as another program would), writing the result to `out`. */
export async function editFile(bytes: Uint8Array, out: string, sql: string): Promise<void> {
  const SQL = await loadSqlJs();
  // A copy: sql.js works on the array it is given.
  const db = new SQL.Database(new Uint8Array(bytes));
  db.exec(sql);
  writeFileSync(out, db.export());
  db.close();
}
