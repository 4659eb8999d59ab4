/**
 * The metric (and the CUPED covariate) per profile, from a field of the audience (contract
 * SimMetric): a yes/no field is binary; an enum or text field with a value is binary (yes
 * when equal); a number field with a threshold is binary (yes when above it); a number
 * field is continuous, capped at the `cap` quantile if asked. A profile without a value
 * counts as 0 and is counted as missing.
 *
 * The cap quantile is the smallest metric value v such that at least cap·n of the n
 * profiles have a value <= v (profiles without a value count as 0): the k-th smallest value
 * with k = ceil(cap·n) (numpy's "inverted_cdf"); cap = 1 is the largest value, so nothing
 * changes. Every value above it is set to it.
 */
import { EngineError } from '../../../shared/contract/errors';
import type { SimCovariate, SimMetric } from '../../../shared/contract/simulate';
import { formatCount, formatValue } from '../../../shared/format';
import { sameName } from '../../../shared/names';
import { parseBoolean } from '../import/convert';
import type { AudienceRows, ColumnRequest, RowField } from './rows';

export interface ResolvedValues {
  readonly field: string;
  readonly values: Float64Array;
  readonly binary: boolean;
  readonly missing: number;
  readonly capValue: number | null;
  readonly label: string;
}

/** The field of the audience called `name` (without case), or NOT_FOUND listing the fields. */
export function findField(rows: AudienceRows, name: string, role: string): RowField {
  const found = rows.fields.find((f) => sameName(f.name, name));
  if (found) return found;
  const known = rows.fields.length === 0 ? 'it has none' : `its fields are ${rows.fields.map((f) => `"${f.name}"`).join(', ')}`;
  throw new EngineError('NOT_FOUND', `The ${role} "${name}" is not a field of ${rows.audience.label}; ${known}.`, { field: name, reason: 'unknown_field' });
}

const notNumber = (field: RowField, role: string, what: string): EngineError =>
  new EngineError('INVALID_ARGUMENT', `The ${role} "${field.name}" holds ${what}, not numbers: ${role === 'metric' ? 'give a value to count the profiles that have it (such as --value yes), or choose a number field' : 'choose a number field'}.`, {
    field: field.name,
    reason: 'not_a_number',
  });

/** The k-th smallest value, k = ceil(cap·n) (see the module comment); the product is rounded to 1e-6 first, so 0.07·100 is 7. */
export function quantileValue(values: Float64Array, cap: number): number {
  if (values.length === 0) return Number.NaN;
  const k = Math.min(values.length, Math.max(1, Math.ceil(Math.round(cap * values.length * 1e6) / 1e6)));
  return kthSmallest(Float64Array.from(values), k - 1);
}

/**
 * The value of rank `k` (0-based) in `a`, reordering `a`: Hoare's selection with the
 * median of three as pivot, linear on average (a sort of a million values takes ten times
 * as long).
 */
function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three to a[mid], as pivot.
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i += 1;
      while (a[j]! > pivot) j -= 1;
      if (i <= j) {
        swap(a, i, j);
        i += 1;
        j -= 1;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** 99 for 0.99, 99.5 for 0.995. */
const percentile = (cap: number) => String(Number((cap * 100).toPrecision(6)));

/** Missing to 0 (counted), capped if asked; a field without any value is refused. */
function finish(field: RowField, raw: Float64Array, role: string, binary: boolean, label: string, cap: number | undefined): ResolvedValues {
  let missing = 0;
  for (let i = 0; i < raw.length; i += 1) {
    if (Number.isNaN(raw[i]!)) {
      raw[i] = 0;
      missing += 1;
    }
  }
  if (raw.length > 0 && missing === raw.length) {
    throw new EngineError('REFUSED', `The ${role} "${field.name}" has no values in ${formatCount(raw.length)} profiles: choose a field that is filled in.`, { field: field.name, reason: 'no_values' });
  }
  let capValue: number | null = null;
  if (cap !== undefined && raw.length > 0) {
    capValue = quantileValue(raw, cap);
    for (let i = 0; i < raw.length; i += 1) if (raw[i]! > capValue) raw[i] = capValue;
    label = `${label}, capped at the ${percentile(cap)}th percentile (${formatValue(capValue)})`;
  }
  return { field: field.name, values: raw, binary, missing, capValue, label };
}

/** A field read for a role, and what to make of it: the reads of the metric and the covariate go in one pass. */
export interface ValuesPlan {
  readonly request: ColumnRequest;
  finish(values: Float64Array): ResolvedValues;
}

const toBinary = (values: Float64Array, yes: (v: number) => boolean) => {
  for (let i = 0; i < values.length; i += 1) if (!Number.isNaN(values[i]!)) values[i] = yes(values[i]!) ? 1 : 0;
  return values;
};

/** The metric per profile (see the module comment); refuses a metric that cannot be one, before anything is read. */
export function planMetric(rows: AudienceRows, metric: SimMetric): ValuesPlan {
  const field = findField(rows, metric.field, 'metric');
  const role = 'metric';
  if (field.type === 'date') throw notNumber(field, role, 'dates');
  if (field.type === 'enum' || field.type === 'text') {
    if (metric.threshold !== undefined || metric.cap !== undefined) throw notNumber(field, role, 'text');
    if (metric.value === undefined) {
      throw new EngineError('INVALID_ARGUMENT', `The metric "${field.name}" holds text: give the value that counts as yes (such as --value ${field.enumValues?.[0] ?? 'yes'}).`, {
        field: field.name,
        reason: 'needs_value',
      });
    }
    const value = metric.value;
    return { request: { field, as: 'equals', value }, finish: (v) => finish(field, v, role, true, `${field.name} is ${value}`, undefined) };
  }
  const numbers = { field, as: 'numbers' } as const;
  const threshold = metric.threshold;
  if (threshold !== undefined) {
    const label = `${field.name} above ${threshold.toLocaleString('en-US', { maximumFractionDigits: 10 })}`;
    return { request: numbers, finish: (v) => finish(field, toBinary(v, (x) => x > threshold), role, true, label, undefined) };
  }
  if (field.type === 'binary') {
    if (metric.cap !== undefined) throw new EngineError('INVALID_ARGUMENT', `The metric "${field.name}" is yes/no: a cap applies to a number metric.`, { field: field.name, reason: 'cap_on_binary' });
    const wanted = metric.value === undefined ? 1 : parseBoolean(metric.value);
    if (wanted === null) throw new EngineError('INVALID_ARGUMENT', `The metric "${field.name}" is yes/no: its value can be yes or no, not "${metric.value}".`, { field: field.name, reason: 'bad_value' });
    return { request: numbers, finish: (v) => finish(field, toBinary(v, (x) => x === wanted), role, true, `${field.name} is ${wanted === 1 ? 'yes' : 'no'}`, undefined) };
  }
  if (metric.value !== undefined) {
    throw new EngineError('INVALID_ARGUMENT', `The metric "${field.name}" is a number field: give a threshold (yes when above it) instead of a value.`, { field: field.name, reason: 'value_on_number' });
  }
  return { request: numbers, finish: (v) => finish(field, v, role, false, field.name, metric.cap) };
}

/** The CUPED covariate per profile: a number (or yes/no) field, capped if asked. */
export function planCovariate(rows: AudienceRows, covariate: SimCovariate): ValuesPlan {
  const field = findField(rows, covariate.field, 'covariate');
  if (field.type === 'date') throw notNumber(field, 'covariate', 'dates');
  if (field.type === 'enum' || field.type === 'text') throw notNumber(field, 'covariate', 'text');
  return { request: { field, as: 'numbers' }, finish: (v) => finish(field, v, 'covariate', field.type === 'binary', field.name, covariate.cap) };
}
