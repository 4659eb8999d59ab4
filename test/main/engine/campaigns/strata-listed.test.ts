/**
 * A `values` rule on an enum field takes its values from the field's list (no pass over the
 * column). After each kind of change to profile values (an import into a new database, an
 * upsert and an update import bringing new list values, an edit of the list, the demo
 * project) the strata read that way are the ones the column's own values give: the same
 * stratum per profile, in the same order, with no second read; a file whose column holds a
 * value its list lacks is read again from the column, and its split is the one the column
 * gives.
 */
import { describe, expect, it } from 'vitest';
import type { StratumRule } from '../../../../shared/contract/campaigns';
import { readAudienceCodes } from '../../../../main/engine/campaigns/audience-codes';
import { compileStrata, type ValuesSource } from '../../../../main/engine/campaigns/strata';
import { fieldColumn, profileTable } from '../../../../main/engine/databases/profile-table';
import type { SqlDb } from '../../../../main/engine/sqlite/database';
import type { TestEngine } from '../../../helpers/engine';
import { importedInto, startImportProject, writeCsv, type ImportProject } from '../import/helpers';

interface Read {
  /** Each audience profile's stratum key, in read order. */
  readonly keys: string[];
  /** The strata found, in code order (the order the campaign page lists them in). */
  readonly strata: string[];
  /** The list did not do: the column's values were read instead. */
  readonly readAgain: boolean;
}

function readStrata(db: SqlDb, databaseId: number, segmentId: number, rules: readonly StratumRule[], source: ValuesSource): Read {
  const strata = compileStrata(db, databaseId, rules, source);
  try {
    const from = `FROM segment_members sm JOIN ${profileTable(databaseId)} p ON p.rowid = sm.profile_key WHERE sm.segment_id = ?`;
    const read = readAudienceCodes(db, strata, from, [segmentId], false);
    const codes = Array.from(read.strata ?? []);
    const keys = codes.map((code) => strata.describe(code).key);
    const order = [...new Set(codes)].sort((a, b) => a - b).map((code) => `${strata.describe(code).key} | ${strata.describe(code).label}`);
    // rescan() does something only if the read did not already read the column's values.
    return { keys, strata: order, readAgain: source === 'listed' && !strata.rescan() };
  } finally {
    strata.dispose();
  }
}

/** The audience's strata from the lists equal those from the columns; whether the list had to be left for the column. */
function sameAsColumns(t: TestEngine, databaseId: number, segmentId: number, rules: readonly StratumRule[]): boolean {
  const db = t.engine.state.requireSession().db;
  const listed = readStrata(db, databaseId, segmentId, rules, 'listed');
  const column = readStrata(db, databaseId, segmentId, rules, 'column');
  expect(listed.keys.length).toBeGreaterThan(0);
  expect(listed.keys).toEqual(column.keys);
  expect(listed.strata).toEqual(column.strata);
  return listed.readAgain;
}

async function everyone(t: TestEngine, databaseId: number): Promise<number> {
  const created = await t.call('segment/create', { databaseId, name: `All ${Date.now()} ${Math.random()}`, type: 'static', from: { kind: 'all' } });
  return created.segment.id;
}

const csvRows = (from: number, to: number, tier: (i: number) => string, city: (i: number) => string) =>
  Array.from({ length: to - from + 1 }, (_, k) => `${from + k},${tier(from + k)},${city(from + k)}`).join('\n');

async function customers(t: ImportProject) {
  const db = await t.call('database/create', {
    name: 'Customers',
    fields: [
      { name: 'tier', type: 'enum', enumValues: ['silver', 'gold', 'unused'] },
      { name: 'city', type: 'enum', enumValues: ['Omsk', 'Kazan'] },
    ],
  });
  const field = (name: string) => db.fields.find((f) => f.name === name)!.id;
  const rules: StratumRule[] = [
    { kind: 'values', fieldId: field('city') },
    { kind: 'values', fieldId: field('tier') },
  ];
  return { databaseId: db.id, field, rules };
}

/** Runs an import of `csv` into the database, adding new list values. */
async function importInto(t: ImportProject, databaseId: number, name: string, csv: string, mode: 'upsert' | 'update' = 'upsert') {
  const path = writeCsv(t.dir, name, `id,tier,city\n${csv}\n`);
  const result = await t.importFile(path, {
    target: { databaseId },
    mode,
    mapping: (preview) => preview.columns.map((c) => ({ column: c.index, target: c.suggested.kind === 'field' ? { ...c.suggested, addEnumValues: true } : c.suggested })),
  });
  importedInto(result);
}

describe("a values rule on an enum field, from the field's list", () => {
  it('gives the strata the column gives after imports (new, upsert, update), list edits and values emptied', async () => {
    const t = await startImportProject();
    const { databaseId, field, rules } = await customers(t);
    // Into the empty database: values of the list, a new one ("Tver"), empty cells.
    await importInto(t, databaseId, 'first.csv', csvRows(1, 300, (i) => (i % 7 === 0 ? '' : i % 3 === 0 ? 'gold' : 'silver'), (i) => ['Omsk', 'Kazan', 'Tver', ''][i % 4]!));
    expect(sameAsColumns(t, databaseId, await everyone(t, databaseId), rules)).toBe(false);
    // Upsert: some profiles change to new values ("platinum", "Perm"), new profiles come.
    await importInto(t, databaseId, 'upsert.csv', csvRows(250, 400, (i) => (i % 2 === 0 ? 'platinum' : 'gold'), (i) => (i % 5 === 0 ? 'Perm' : 'Omsk')));
    expect(sameAsColumns(t, databaseId, await everyone(t, databaseId), rules)).toBe(false);
    // Update only: every "silver" left becomes "bronze", a value new to the list.
    await importInto(t, databaseId, 'update.csv', csvRows(1, 249, () => 'bronze', (i) => ['Omsk', 'Kazan', 'Tver', 'Perm'][i % 4]!), 'update');
    expect(sameAsColumns(t, databaseId, await everyone(t, databaseId), rules)).toBe(false);
    // The list edited: an unused value removed, two added (one sorting first); the column is unchanged.
    const tier = await t.call('database/get', { databaseId }).then((d) => d.fields.find((f) => f.id === field('tier'))!);
    await t.call('field/update', { fieldId: field('tier'), enumValues: ['aaa', ...tier.enumValues.filter((v) => v !== 'unused'), 'zzz'] });
    expect(sameAsColumns(t, databaseId, await everyone(t, databaseId), rules)).toBe(false);
  });

  it('gives the strata the column gives on the demo project', async () => {
    const t = await startImportProject();
    await t.call('demo/create', { profiles: 3000, seed: 'listed', discard: true });
    const [database] = await t.call('database/list', {});
    const detail = await t.call('database/get', { databaseId: database!.id });
    const field = (name: string) => detail.fields.find((f) => f.name === name)!.id;
    const rules: StratumRule[] = [
      { kind: 'values', fieldId: field('gender') },
      { kind: 'values', fieldId: field('city') },
      { kind: 'ranges', fieldId: field('birth_date'), bounds: ['1960-01-01', '1980-01-01', '2000-01-01'] },
    ];
    expect(sameAsColumns(t, database!.id, await everyone(t, database!.id), rules)).toBe(false);
  });

  it('a value the list lacks (a file changed elsewhere) is found: the column is read, and the split is the one it gives', async () => {
    const t = await startImportProject();
    const { databaseId, field, rules } = await customers(t);
    await importInto(t, databaseId, 'first.csv', csvRows(1, 400, (i) => (i % 3 === 0 ? 'gold' : 'silver'), (i) => (i % 2 === 0 ? 'Omsk' : 'Kazan')));
    const segmentId = await everyone(t, databaseId);
    const db = t.engine.state.requireSession().db;
    const lcg = { percent: '20', limit: null, strata: rules };
    // The reference: the list holds every value, as the app keeps it.
    const reference = await t.call('campaign/create', { name: 'Reference', databaseId, segmentId, lcg, seed: 'same' });
    await t.call('activity/create', { databaseId, campaignId: reference.id, type: 'broadcast', name: 'Send' });
    const expected = await t.call('campaign/activate', { campaignId: reference.id });

    // The file says "gold" is no value of the list, and holds a city the list never had.
    db.run(`UPDATE fields SET enum_values = '["silver"]' WHERE id = ?`, [field('tier')]);
    expect(sameAsColumns(t, databaseId, segmentId, rules)).toBe(true);
    db.run(`UPDATE ${profileTable(databaseId)} SET ${fieldColumn(field('city'))} = 'Atlantis' WHERE rowid % 10 = 0`);
    expect(sameAsColumns(t, databaseId, segmentId, rules)).toBe(true);
    db.run(`UPDATE ${profileTable(databaseId)} SET ${fieldColumn(field('city'))} = CASE rowid % 2 WHEN 0 THEN 'Omsk' ELSE 'Kazan' END`);

    // The same campaign again (same seed, segment and rules): the same strata and the same groups.
    const again = await t.call('campaign/create', { name: 'Again', databaseId, segmentId, lcg, seed: 'same' });
    await t.call('activity/create', { databaseId, campaignId: again.id, type: 'broadcast', name: 'Send' });
    const detail = await t.call('campaign/activate', { campaignId: again.id });
    expect(detail.strata).toEqual(expected.strata);
    const groups = (campaignId: number) => db.all('SELECT profile_key, grp FROM campaign_members WHERE campaign_id = ? ORDER BY profile_key', [campaignId]);
    expect(groups(again.id)).toEqual(groups(reference.id));
  });
});
