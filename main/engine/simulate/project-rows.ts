/**
 * A project audience for the simulator: a campaign's (its segment less the profiles the
 * global control group holds as it stands: the profiles its activation would split, as the
 * campaign page's strata count them) or a segment's. IDs and strata come from the campaign
 * split's own reading (compileStrata, readAudienceCodes); fields are read afterwards, all
 * requested ones in one pass over the segment, and placed by profile key.
 */
import type { StratumRule } from '../../../shared/contract/campaigns';
import type { Field } from '../../../shared/contract/databases';
import { EngineError } from '../../../shared/contract/errors';
import type { SimAudience } from '../../../shared/contract/simulate';
import { readAudienceCodes } from '../campaigns/audience-codes';
import { requireCampaign, segmentInfo } from '../campaigns/repository';
import { refreshDynamic } from '../segments/dynamic';
import { checkStrataCount, compileStrata } from '../campaigns/strata';
import { fieldColumn, profileTable } from '../databases/profile-table';
import { listFields } from '../databases/repository';
import { gcgMembersSql, readGcgSettings } from '../gcg/membership';
import { readMeta } from '../project/project-file';
import { KeySet, withoutKeys } from '../split/read-profiles';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { MAX_LEVELS, type AudienceRows, type ColumnRequest, type ColumnResult, type RowField, type RowFieldType } from './rows';

const TYPES: Readonly<Record<Field['type'], RowFieldType>> = {
  number: 'number',
  boolean: 'binary',
  enum: 'enum',
  string: 'text',
  date: 'date',
  datetime: 'date',
};

type ProjectAudience = Exclude<SimAudience, { kind: 'csv' }>;

/** Reads a campaign's or a segment's audience; `strata` replaces the campaign's own stratification. */
export function readProjectRows(db: SqlDb, audience: ProjectAudience, strata: readonly StratumRule[] | undefined): AudienceRows {
  let databaseId: number;
  let segmentId: number;
  let rules: readonly StratumRule[];
  let gcgHolds = false;
  let label: string;
  let campaign: AudienceRows['campaign'] = null;
  if (audience.kind === 'campaign') {
    const record = requireCampaign(db, audience.campaignId);
    ({ databaseId, segmentId } = record);
    rules = strata ?? record.lcg.strata;
    gcgHolds = !record.gcgExempt;
    label = `Campaign ${record.name}`;
    campaign = { name: record.name, percent: record.lcg.percent === null ? null : String(record.lcg.percent), limit: record.lcg.limit, seed: record.seed, status: record.status };
  } else {
    const segment = segmentInfo(db, audience.segmentId);
    if (!segment) throw new EngineError('NOT_FOUND', `There is no segment with id ${audience.segmentId}.`, { segmentId: audience.segmentId });
    databaseId = segment.databaseId;
    segmentId = audience.segmentId;
    rules = strata ?? [];
    label = `Segment ${segment.name}`;
  }
  // A dynamic segment is evaluated at each use.
  refreshDynamic(db, segmentId);
  const dbFields = listFields(db, databaseId);
  const table = profileTable(databaseId);
  const from = `FROM segment_members sm JOIN ${table} p ON p.rowid = sm.profile_key WHERE sm.segment_id = ?`;

  const compiled = compileStrata(db, databaseId, rules, 'listed');
  const everyone = (() => {
    try {
      return readAudienceCodes(db, compiled, from, [segmentId], false);
    } finally {
      compiled.dispose();
    }
  })();
  const gcg = readGcgSettings(db, databaseId);
  const hasGcg = gcg !== null && gcg.percentBp > 0;
  const held = hasGcg && gcgHolds ? [KeySet.read(db, gcgMembersSql(databaseId))] : [];
  const read = withoutKeys(everyone, held);
  const gcgRemoved = audience.kind === 'campaign' && hasGcg ? everyone.count - read.count : null;
  const place = placement(everyone.keys, held[0] ?? null);

  // Dense stratum numbers in code order, as the campaign page lists them.
  const codes = read.strata ? [...new Set(read.strata)].sort((a, b) => a - b) : [0];
  checkStrataCount(codes.length);
  const numberOf = new Map(codes.map((code, i) => [code, i]));
  const stratumOf = new Int32Array(read.count);
  if (read.strata) for (let i = 0; i < read.count; i += 1) stratumOf[i] = numberOf.get(read.strata[i]!)!;
  const names = codes.map((code) => compiled.describe(code));

  const byId = new Map(dbFields.map((f) => [f.id, f.name]));
  const strataLabel = rules.length === 0 ? 'not stratified' : `stratified by ${rules.map((r) => byId.get(r.fieldId) ?? `field ${r.fieldId}`).join(', ')}`;
  const fields: RowField[] = dbFields.map((f) => ({ name: f.name, type: TYPES[f.type], ...(f.type === 'enum' ? { enumValues: f.enumValues } : {}) }));
  const columnOf = new Map(dbFields.map((f) => [f.name, fieldColumn(f.id)]));

  return {
    count: read.count,
    async readIds() {
      // The split's own reading of the IDs, for the same rows in the same order.
      const ids = withoutKeys(readAudienceCodes(db, compileStrata(db, databaseId, []), from, [segmentId], true), held);
      if (ids.count !== read.count || ids.keys.some((key, i) => key !== read.keys[i])) throw new Error('simulate: the IDs were read in another order than the strata');
      return ids.packed;
    },
    stratumOf,
    strataKeys: names.map((n) => n.key),
    strataLabels: names.map((n) => n.label),
    fields,
    audience: { kind: audience.kind, label, size: read.count, gcgRemoved, databaseId, campaignId: audience.kind === 'campaign' ? audience.campaignId : null },
    campaign,
    strataLabel,
    scannedAt: readMeta(db).clock,
    read: (requests) => Promise.resolve(readFields(db, { table, from, segmentId, place, count: read.count }, requests, (f) => columnOf.get(f.name)!)),
  };
}

/**
 * For the segment's members in profile key order (the order readFields reads them in):
 * where each is in the audience (-1: held by the GCG). The audience keeps the order of the
 * split's read (withoutKeys), which is key order too in practice; any other order is sorted out here.
 */
function placement(keys: Float64Array, held: KeySet | null): Int32Array {
  const audienceIndex = new Int32Array(keys.length);
  let kept = 0;
  let ascending = true;
  for (let i = 0; i < keys.length; i += 1) {
    audienceIndex[i] = held?.has(keys[i]!) ? -1 : kept++;
    if (i > 0 && keys[i]! <= keys[i - 1]!) ascending = false;
  }
  if (ascending) return audienceIndex;
  const order = Array.from(keys.keys()).sort((a, b) => keys[a]! - keys[b]!);
  return Int32Array.from(order, (i) => audienceIndex[i]!);
}

const NO_VALUE = (column: string) => `p.${column} IS NULL OR p.${column} = ''`;

interface Segment {
  readonly table: string;
  readonly from: string;
  readonly segmentId: number;
  /** See placement(). */
  readonly place: Int32Array;
  readonly count: number;
}

/**
 * Every requested field in one pass over the segment, in profile key order (the segment's
 * primary key: no sort), each column concatenated in SQLite (numbers as exact text, "" for
 * no value), split here and placed by placement() (profiles the GCG holds are read and
 * dropped). A text field is read as levels only when the database holds at most MAX_LEVELS
 * different values in it (counted first, stopping at one more).
 */
function readFields(db: SqlDb, segment: Segment, requests: readonly ColumnRequest[], columnOf: (field: RowField) => string): ColumnResult[] {
  const { table, from, place } = segment;
  const results: ColumnResult[] = requests.map(() => null);
  const selects: string[] = [];
  const params: SqlValue[] = [];
  const wanted: number[] = [];
  requests.forEach((request, r) => {
    const column = columnOf(request.field);
    if (request.as === 'numbers') selects.push(`COALESCE(CAST(p.${column} AS TEXT), '')`);
    else if (request.as === 'equals') {
      selects.push(`CASE WHEN ${NO_VALUE(column)} THEN '' WHEN p.${column} = ? THEN '1' ELSE '0' END`);
      params.push(request.value);
    } else {
      if (request.field.type !== 'enum') {
        const distinct = Number(db.scalar(`SELECT COUNT(*) FROM (SELECT DISTINCT ${column} FROM ${table} WHERE ${column} IS NOT NULL AND ${column} <> '' LIMIT ${MAX_LEVELS + 1})`));
        if (distinct > MAX_LEVELS) return;
      }
      selects.push(`replace(COALESCE(CAST(p.${column} AS TEXT), ''), char(31), ' ')`);
    }
    wanted.push(r);
  });
  if (wanted.length === 0) return results;
  const names = wanted.map((_, i) => `c${i}`);
  // An ordered subquery under an aggregate is not flattened: the values come in key order.
  const row = db.get<Record<string, SqlValue>>(
    `WITH r(${names.join(', ')}) AS (SELECT ${selects.join(', ')} ${from} ORDER BY sm.profile_key)
     SELECT COUNT(*) AS n, ${names.map((c, i) => `group_concat(${c}, ${requests[wanted[i]!]!.as === 'categories' ? 'char(31)' : "','"}) AS ${c}`).join(', ')} FROM r`,
    [...params, segment.segmentId],
  );
  const n = Number(row?.n ?? 0);
  if (n !== place.length) throw new Error(`simulate: the segment has ${n} profiles now, ${place.length} before`);
  wanted.forEach((r, i) => {
    const request = requests[r]!;
    const cells = n === 0 ? [] : String(row![names[i]!] ?? '').split(request.as === 'categories' ? '\u001f' : ',');
    if (cells.length !== n) throw new Error(`simulate: ${n} profiles but ${cells.length} values of "${request.field.name}"`);
    results[r] = request.as === 'categories' ? toLevels(cells, place, segment.count, request.field.enumValues ?? []) : toNumbers(cells, place, segment.count);
  });
  return results;
}

function toNumbers(cells: readonly string[], place: Int32Array, count: number): { values: Float64Array } {
  const values = new Float64Array(count).fill(Number.NaN);
  for (let i = 0; i < cells.length; i += 1) {
    const to = place[i]!;
    const cell = cells[i]!;
    if (to >= 0 && cell !== '') values[to] = Number(cell);
  }
  return { values };
}

/** Levels: an enum's own values first, in order, then any other value found, in code point order. */
function toLevels(cells: readonly string[], place: Int32Array, count: number, known: readonly string[]): ColumnResult {
  const codes = new Int32Array(count).fill(-1);
  const index = new Map(known.map((v, i) => [v, i]));
  const found: string[] = [];
  const raw = new Int32Array(cells.length).fill(-1);
  const extra = new Map<string, number>();
  for (let i = 0; i < cells.length; i += 1) {
    const cell = cells[i]!;
    if (place[i]! < 0 || cell === '') continue;
    let code = index.get(cell);
    if (code === undefined) {
      code = extra.get(cell);
      if (code === undefined) {
        if (extra.size + known.length >= MAX_LEVELS && known.length === 0) return null;
        code = -2 - found.length;
        extra.set(cell, code);
        found.push(cell);
      }
    }
    raw[i] = code;
  }
  // The values outside the enum follow its own, sorted.
  const sorted = [...found].sort();
  const extraIndex = new Map(sorted.map((v, i) => [v, known.length + i]));
  for (let i = 0; i < cells.length; i += 1) {
    const code = raw[i]!;
    if (code === -1) continue;
    codes[place[i]!] = code >= 0 ? code : extraIndex.get(found[-2 - code]!)!;
  }
  return { codes, levels: [...known, ...sorted] };
}
