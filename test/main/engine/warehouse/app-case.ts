/**
 * Seeded-random campaigns split by the app itself (a project, a CSV import, a segment, a
 * campaign with its LCG, activation: the real build through the in-process engine), with
 * the same profiles as table rows for a warehouse, so the generated SQL can be compared
 * with the app ID by ID.
 */
import type { LcgSettings, StratumRule } from '../../../../shared/contract/campaigns';
import type { SqlDialect } from '../../../../shared/contract/warehouse';
import type { FieldType } from '../../../../shared/domain/profiles';
import type { StratumSpec } from '../../../../shared/split/stratum-scheme';
import { startImportProject, writeCsv, type ImportProject } from '../import/helpers';
import type { Column, OutRow } from './engines';

/** A small seeded generator (mulberry32). */
export function random(seed: number): { next(): number; int(n: number): number; pick<T>(items: readonly T[]): T; chance(p: number): boolean } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (items) => items[Math.floor(next() * items.length)]!, chance: (p) => next() < p };
}
export type Random = ReturnType<typeof random>;

export interface CaseField {
  readonly name: string;
  readonly type: FieldType;
  /** The column holding it in the warehouse table (the field's name unless mapped). */
  readonly column: string;
  /** A CSV cell for one profile ('' for no value). */
  cell(r: Random): string;
  /** The rules this field can be stratified by. */
  readonly rules: readonly StratumSpec[];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const date = (r: Random, from: number, years: number) => `${from + r.int(years)}-${pad(1 + r.int(12))}-${pad(1 + r.int(28))}`;

/** The fields of every case: text (Cyrillic, quotes, backslashes), numbers, dates, date-times, yes/no. */
export const FIELDS: readonly CaseField[] = [
  {
    name: 'city',
    type: 'string',
    column: 'city',
    cell: (r) => r.pick(['Москва', 'Kazan', "O'Hare", 'back\\slash', 'say "hi"', 'Zürich', 'tab\there', 'Москва', 'Kazan', '']),
    rules: [
      { kind: 'values' },
      { kind: 'subset', values: ['Москва', "O'Hare"] },
      { kind: 'groups', groups: [{ label: 'Capitals', values: ['Москва', 'Kazan'] }, { label: 'Odd "names" \\', values: ['back\\slash', 'say "hi"'] }] },
    ],
  },
  {
    name: 'score',
    type: 'number',
    column: 'score',
    cell: (r) => (r.chance(0.1) ? '' : r.pick([String(r.int(100) - 10), `${r.int(60)}.${r.pick(['5', '25', '75', '1'])}`, '12.25', '3'])),
    rules: [
      { kind: 'ranges', bounds: [0, 10.5, 50] },
      { kind: 'intervals', intervals: [{ label: 'Low', from: -5, to: 9.75 }, { label: 'High', from: 20, to: 60 }] },
      { kind: 'values' },
      { kind: 'subset', values: ['12.25', '3', '40'] },
    ],
  },
  {
    name: 'born',
    type: 'date',
    column: 'birth date',
    cell: (r) => (r.chance(0.1) ? '' : date(r, 1950, 60)),
    rules: [
      { kind: 'ranges', bounds: ['1970-01-01', '15.06.1990'] },
      { kind: 'intervals', intervals: [{ label: 'Boomers', from: '01.01.1950', to: '31.12.1964' }, { label: 'Y', from: '1981-01-01', to: '1996-12-31' }] },
      { kind: 'age', intervals: [{ from: 18, to: 30 }, { from: 31, to: 45 }, { from: 60, to: null }] },
    ],
  },
  {
    name: 'seen',
    type: 'datetime',
    column: 'seen',
    cell: (r) => (r.chance(0.1) ? '' : `${date(r, 2023, 2)}T${pad(r.int(24))}:${pad(r.pick([0, 30, 59]))}:${pad(r.pick([0, 15]))}`),
    rules: [
      { kind: 'ranges', bounds: ['2024-01-01', '2024-06-01T12:00'] },
      { kind: 'intervals', intervals: [{ label: 'H1 2023', from: '2023-01-01', to: '2023-06-30' }, { label: 'Late', from: '2024-10-01T00:00:00', to: '2024-12-31' }] },
    ],
  },
  {
    name: 'vip',
    type: 'boolean',
    column: 'vip',
    cell: (r) => r.pick(['true', 'false', 'false', '']),
    rules: [{ kind: 'values' }, { kind: 'subset', values: ['yes'] }],
  },
  {
    name: 'tier',
    type: 'string',
    column: 'tier',
    cell: (r) => r.pick(['gold', 'silver', 'bronze', '']),
    rules: [{ kind: 'values' }],
  },
];

/** IDs: leading zeros, digits only, Cyrillic, a character beyond U+FFFF; unique. */
export function makeIds(r: Random, count: number, start = 0): string[] {
  return Array.from({ length: count }, (_, k) => {
    const i = start + k;
    return r.pick([pad(i, 6), `${i}`, `клиент-${i}`, `c${i}😀`, `ID-${i}-x`]);
  });
}

export interface CaseProfile {
  readonly id: string;
  /** CSV cells by FIELDS order. */
  readonly cells: readonly string[];
}

export function makeProfiles(r: Random, count: number, start = 0): CaseProfile[] {
  return makeIds(r, count, start).map((id) => ({ id, cells: FIELDS.map((f) => f.cell(r)) }));
}

export interface CaseLcg {
  readonly percent: string | number | null;
  readonly limit: number | null;
  /** Indices into FIELDS, with the rule chosen for each. */
  readonly rules: readonly { readonly field: number; readonly spec: StratumSpec }[];
}

export function makeLcg(r: Random, size: number): CaseLcg {
  const percent = r.pick<string | number | null>(['10', '7.25', '0.5', 33.33, '100', null, '12.5', '1.75']);
  const limit = percent === null || r.chance(0.3) ? r.int(size + 5) : null;
  const count = r.int(4);
  const fields = [...FIELDS.keys()].sort(() => r.next() - 0.5).slice(0, count);
  return { percent, limit, rules: fields.map((field) => ({ field, spec: r.pick(FIELDS[field]!.rules) })) };
}

export interface AppProject {
  readonly t: ImportProject;
  readonly databaseId: number;
  readonly fieldIds: readonly number[];
  segmentId: number;
  campaignId: number;
  /** The members as the app assigned them: id, group, stratum key. */
  members(): OutRow[];
  /** The campaign's query for a dialect (the engine method). */
  sql(dialect: SqlDialect, kind?: 'split' | 'growth', table?: string): Promise<string>;
}

/** A CSV cell, quoted when it must be. */
export const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Imports the profiles (all of them), puts `inSegment` in a static segment, creates the campaign and activates it. */
export async function appProject(profiles: readonly CaseProfile[], inSegment: readonly string[], lcg: CaseLcg, seed: string): Promise<AppProject> {
  const t = await startImportProject();
  const header = ['profile_id', ...FIELDS.map((f) => f.name)].join(',');
  const lines = profiles.map((p) => [p.id, ...p.cells].map(csvCell).join(','));
  const path = writeCsv(t.dir, 'people.csv', `${header}\n${lines.join('\n')}\n`);
  const result = await t.importFile(path, {
    options: { delimiter: ',', hasHeader: true },
    mapping: () => [
      { column: 0, target: { kind: 'profileId' } },
      ...FIELDS.map((f, i) => ({ column: i + 1, target: { kind: 'newField' as const, field: { name: f.name, type: f.type } } })),
    ],
  });
  if (result.outcome !== 'imported' || result.database === null) throw new Error(`import failed: ${JSON.stringify(result).slice(0, 500)}`);
  const databaseId = result.database.id;
  const fields = await t.call('database/get', { databaseId });
  const fieldIds = FIELDS.map((f) => fields.fields.find((x) => x.name === f.name)!.id);
  const segment = await t.call('segment/create', { databaseId, name: 'Audience', from: { kind: 'empty' } });
  const segmentId = segment.segment.id;
  for (let i = 0; i < inSegment.length; i += 50_000) await t.call('segment/addProfiles', { segmentId, profileIds: inSegment.slice(i, i + 50_000) });
  const settings: LcgSettings = {
    percent: lcg.percent === null ? null : String(lcg.percent),
    limit: lcg.limit,
    strata: lcg.rules.map((rule) => ({ ...rule.spec, fieldId: fieldIds[rule.field]! }) as StratumRule),
  };
  const campaign = await t.call('campaign/create', { name: 'Spring sale', databaseId, segmentId, lcg: settings, seed });
  await t.call('activity/create', { databaseId, campaignId: campaign.id, type: 'broadcast', name: 'Mail' });
  await t.call('campaign/activate', { campaignId: campaign.id, confirmed: true });
  const columns = Object.fromEntries(FIELDS.filter((f) => f.column !== f.name).map((f) => [f.name, f.column]));
  return {
    t,
    databaseId,
    fieldIds,
    segmentId,
    campaignId: campaign.id,
    members() {
      const db = t.engine.state.requireSession().db;
      return db
        .all<{ id: string; grp: string; key: string }>(
          `SELECT p.profile_id AS id, m.grp AS grp, s.key AS key FROM campaign_members m JOIN profiles_${databaseId} p ON p.rowid = m.profile_key
             JOIN campaign_strata s ON s.campaign_id = m.campaign_id AND s.stratum = m.stratum WHERE m.campaign_id = ?`,
          [campaign.id],
        )
        .map((r) => ({ id: String(r.id), group: String(r.grp), stratum: String(r.key) }));
    },
    async sql(dialect, kind = 'split', table = 'audience') {
      return (await t.call('warehouse/sql', { campaignId: campaign.id, dialect, kind, table, columns })).sql;
    },
  };
}

/** The warehouse table's columns: the ID, then each field in its column. */
export const TABLE_COLUMNS: readonly Column[] = [{ name: 'profile_id', type: null }, ...FIELDS.map((f) => ({ name: f.column, type: f.type }))];

/**
 * The table rows of profiles: typed tables get NULL for a missing value; text tables get
 * '' or NULL (both "(no value)") and date-times written with a space, as databases print them.
 */
export function tableRows(profiles: readonly CaseProfile[], textual: boolean, r: Random): (string | null)[][] {
  return profiles.map((p) => [
    p.id,
    ...p.cells.map((cell, i) => {
      if (cell === '') return textual && r.chance(0.5) ? '' : null;
      return textual && FIELDS[i]!.type === 'datetime' ? cell.replace('T', ' ') : cell;
    }),
  ]);
}

