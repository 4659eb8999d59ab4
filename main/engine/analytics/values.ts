/**
 * A metric's value for each analysed profile. An event metric reads the events of its type
 * once, in time order (one range of the events table, clustered on type and time), and adds
 * each to the profile it belongs to when it falls in that profile's window: after the anchor
 * (anchor, anchor + days], or before it (anchor − days, anchor]. Events after the project
 * clock do not exist yet: a window that ends after the clock is partial. The same pass keeps,
 * day by day, what the groups' sums were at the end of each day (the cumulative uplift a
 * marketer would have seen looking that day).
 */
import type { EventMetric, MetricDefinition } from '../../../shared/contract/analytics';
import { EngineError } from '../../../shared/contract/errors';
import { clockMinutes } from '../../../shared/domain/clock';
import { profileTable } from '../databases/profile-table';
import { eventsTable } from '../events/table';
import { keyPositions, readIntegers, readReals } from '../split/read-profiles';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { findOutcomeColumn, readOutcomeFile } from './outcome-store';
import { LCG, TEST, type Units } from './units';

const DAY = 86_400;
/** The chart by day covers at most this many days (the last ones). */
export const MAX_DAYS = 3660;

/** The two groups' sums at the end of each day, cumulative. */
export interface DailySums {
  /** The first day, in days since 1970. */
  readonly day0: number;
  readonly days: number;
  /** [group * days + d]: profiles whose window had begun, their sum and sum of squares, by the end of day d. */
  readonly n: Float64Array;
  readonly sum: Float64Array;
  readonly sumSq: Float64Array;
}

export interface MetricValues {
  readonly binary: boolean;
  /** The value per profile (NaN: no outcome). */
  readonly value: Float64Array;
  /** 1 where the window ends after the clock. */
  readonly partial: Uint8Array;
  readonly daily: DailySums | null;
}

const textOfSeconds = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 19);

/** Times of the events read (seconds after `lo`) fit in 29 bits when they span less than 17 years, so a key below 2^24 and a time make one integer: one pass instead of two. */
const TIME_BITS = 2 ** 29;
const PACKED_KEYS = 2 ** 24;

/** The events' profile keys and times (seconds since 1970) of a range of the events table, in its order. */
function readKeysAndTimes(db: SqlDb, databaseId: number, range: string, params: SqlValue[], lo: number, hi: number): { keys: Float64Array; times: Float64Array } {
  const maxKey = Number(db.scalar(`SELECT MAX(rowid) FROM ${profileTable(databaseId)}`) ?? 0);
  if (maxKey >= PACKED_KEYS || hi - lo >= TIME_BITS) return { keys: readIntegers(db, `SELECT profile_key ${range}`, params), times: readIntegers(db, `SELECT COALESCE(unixepoch(at), ${Math.floor(lo)}) ${range}`, params) };
  const base = Math.floor(lo);
  // A time that is no time (a damaged file) reads as `lo`, which no window holds.
  const packed = readIntegers(db, `SELECT profile_key * ${TIME_BITS} + COALESCE(unixepoch(at) - ${base}, 0) ${range}`, params);
  const keys = new Float64Array(packed.length);
  const times = new Float64Array(packed.length);
  for (let i = 0; i < packed.length; i += 1) {
    const key = Math.floor(packed[i]! / TIME_BITS);
    keys[i] = key;
    times[i] = packed[i]! - key * TIME_BITS + base;
  }
  return { keys, times };
}

/** The values of an event metric (see the module comment); `anchors` in minutes. */
export function eventValues(db: SqlDb, databaseId: number, units: Units, anchors: Float64Array, metric: EventMetric, clock: string, withDaily: boolean): MetricValues {
  const clockSec = clockMinutes(clock) * 60;
  const span = metric.days * DAY;
  const after = metric.period === 'after';
  const count = units.count;
  const value = new Float64Array(count).fill(Number.NaN);
  const partial = new Uint8Array(count);
  const start = new Float64Array(count);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i += 1) {
    const a = anchors[i]! * 60;
    if (Number.isNaN(a) || a > clockSec) continue;
    value[i] = 0;
    start[i] = after ? a : a - span;
    const end = start[i]! + span;
    if (end > clockSec) partial[i] = 1;
    lo = Math.min(lo, start[i]!);
    hi = Math.max(hi, Math.min(end, clockSec));
  }
  const daily = withDaily && after && Number.isFinite(lo) ? dailySums(units, anchors, value, clockSec) : null;
  if (!Number.isFinite(lo)) return { binary: metric.measure === 'converted', value, partial, daily };

  const range = `FROM ${eventsTable(databaseId)} WHERE type = ? AND at > ? AND at <= ? ORDER BY type, at, profile_key, seq`;
  const params = [metric.eventType, textOfSeconds(lo), textOfSeconds(hi)];
  const { keys, times } = readKeysAndTimes(db, databaseId, range, params, lo, hi);
  const amounts = metric.measure === 'sum' ? readReals(db, `SELECT amount ${range}`, params) : null;
  const indexOf = keyPositions(units.keys);
  const group = units.group;
  for (let e = 0; e < keys.length; e += 1) {
    const i = indexOf(keys[e]!);
    if (i < 0) continue;
    const t = times[e]!;
    const from = start[i]!;
    const y = value[i]!;
    if (Number.isNaN(y) || t <= from || t > from + span) continue;
    let add: number;
    if (metric.measure === 'converted') add = y === 0 ? 1 : 0;
    else if (metric.measure === 'count') add = 1;
    else {
      add = amounts![e]!;
      if (Number.isNaN(add)) add = 0;
    }
    if (add === 0) continue;
    value[i] = y + add;
    if (daily && (group[i] === TEST || group[i] === LCG)) {
      const d = Math.floor(t / DAY) - daily.day0;
      if (d >= 0 && d < daily.days) {
        const at = group[i]! * daily.days + d;
        daily.sum[at]! += add;
        daily.sumSq[at]! += 2 * y * add + add * add;
      }
    }
  }
  if (daily) cumulate(daily);
  return { binary: metric.measure === 'converted', value, partial, daily };
}

/** The daily table, with the profiles counted on the day their window begins (sums are filled by the events, then made cumulative). */
function dailySums(units: Units, anchors: Float64Array, value: Float64Array, clockSec: number): DailySums {
  let first = Number.POSITIVE_INFINITY;
  for (let i = 0; i < units.count; i += 1) if (!Number.isNaN(value[i]!) && units.group[i]! <= LCG) first = Math.min(first, anchors[i]! * 60);
  const lastDay = Math.floor(clockSec / DAY);
  const day0 = Number.isFinite(first) ? Math.max(Math.floor(first / DAY), lastDay - MAX_DAYS + 1) : lastDay;
  const days = lastDay - day0 + 1;
  const n = new Float64Array(2 * days);
  for (let i = 0; i < units.count; i += 1) {
    if (Number.isNaN(value[i]!) || units.group[i]! > LCG) continue;
    const d = Math.max(0, Math.floor((anchors[i]! * 60) / DAY) - day0);
    n[units.group[i]! * days + d]! += 1;
  }
  return { day0, days, n, sum: new Float64Array(2 * days), sumSq: new Float64Array(2 * days) };
}

function cumulate(daily: DailySums): void {
  for (let g = 0; g < 2; g += 1) {
    for (let d = 1; d < daily.days; d += 1) {
      const at = g * daily.days + d;
      daily.n[at]! += daily.n[at - 1]!;
      daily.sum[at]! += daily.sum[at - 1]!;
      daily.sumSq[at]! += daily.sumSq[at - 1]!;
    }
  }
}

/** The column of the campaign's outcome file named `name` (as names compare), with its position. */
export function outcomeColumn(db: SqlDb, campaignId: number, name: string): { index: number; binary: boolean; fileName: string } {
  const file = readOutcomeFile(db, campaignId);
  if (!file) {
    throw new EngineError('REFUSED', `The campaign has no outcome file, so there is no column "${name}". Import an outcome file first (cplan analyze --outcomes FILE, or Import outcome file… on the Analytics tab).`, {
      reason: 'no_outcomes',
    });
  }
  const found = findOutcomeColumn(file, name);
  if (!found) {
    throw new EngineError('REFUSED', `The outcome file ${file.fileName} has no column "${name}"; its columns are ${file.columns.map((c) => `"${c.name}"`).join(', ')}.`, {
      reason: 'no_such_column',
    });
  }
  return { ...found, fileName: file.fileName };
}

/** The values of an outcome column: profiles without a row have no outcome. */
export function outcomeValues(db: SqlDb, campaignId: number, units: Units, column: string): MetricValues {
  const { index, binary } = outcomeColumn(db, campaignId, column);
  const where = 'FROM outcome_values WHERE campaign_id = ? AND column_index = ? ORDER BY profile_key';
  const keys = readIntegers(db, `SELECT profile_key ${where}`, [campaignId, index]);
  const values = readReals(db, `SELECT value ${where}`, [campaignId, index]);
  const value = new Float64Array(units.count).fill(Number.NaN);
  const indexOf = keyPositions(units.keys);
  for (let e = 0; e < keys.length; e += 1) {
    const i = indexOf(keys[e]!);
    if (i >= 0) value[i] = values[e]!;
  }
  return { binary, value, partial: new Uint8Array(units.count), daily: null };
}

/** The values of any metric. */
export function metricValues(
  db: SqlDb,
  campaign: { readonly id: number; readonly databaseId: number },
  units: Units,
  anchorsFor: (metric: EventMetric) => Float64Array,
  metric: MetricDefinition,
  clock: string,
  withDaily: boolean,
): MetricValues {
  return metric.kind === 'outcome'
    ? outcomeValues(db, campaign.id, units, metric.column)
    : eventValues(db, campaign.databaseId, units, anchorsFor(metric), metric, clock, withDaily);
}
