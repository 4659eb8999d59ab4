/**
 * Checking a stratification rule against its field, and classifying values by it: the
 * rules of the stratum scheme (stratum-scheme.ts) that need the field's type.
 *
 * checkRule says what is wrong, in words, or gives the rule normalised: dates in bounds are
 * read in the formats the import accepts (31.12.1999 as well as 1999-12-31) and kept as ISO
 * text; numbers typed as text become numbers. ruleClassifier turns a checked rule into the
 * data the engine compiles to SQL and the CSV split runs in JavaScript, with one meaning:
 *  - ranges cut at b1 < ... < bk: [-inf, b1), [b1, b2), ..., [bk, +inf);
 *  - named intervals are closed, [from, to]; a date `to` includes its whole day, so on a
 *    date-time field it ends before the next midnight; values in no interval are "Other";
 *  - age intervals [a, b] hold the profiles whose age in full years on `today` (the project
 *    clock's date, or `cplan split --today`) is from a to b: birth dates in
 *    (today - (b + 1) years, today - a years]; a birthday on 29 February counts from 1 March
 *    in other years.
 */
import type { FieldType } from '../domain/profiles';
import { ageSpan, nextDay, parseBoundDate, parseDateTime } from '../domain/dates';
import {
  hasOther,
  kindsFor,
  MAX_AGE_YEARS,
  MAX_BOUNDS,
  MAX_GROUP_VALUES,
  MAX_GROUPS,
  MAX_LABEL_CHARS,
  MAX_VALUE_CHARS,
  MAX_VALUES_PER_FIELD,
  OTHER_KEY,
  staticParts,
  valueKey,
  type Bound,
  type StratumPart,
  type StratumSpec,
  type StratumTarget,
} from './stratum-scheme';

export type RuleCheck<T extends StratumSpec = StratumSpec> = { readonly ok: true; readonly spec: T } | { readonly ok: false; readonly problem: string };

/**
 * A rule as text with its keys in one order, for telling whether two rules are the same: a
 * rule read back through the contract's schema lists its keys in the schema's order, a
 * checked one (checkRule) in another, and the order means nothing.
 */
export function ruleText(rule: StratumSpec & { readonly fieldId?: number }): string {
  return JSON.stringify(rule, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}

/** A value as SQLite stores it in a profile column: text, a number, 1/0 for yes/no. */
export type StoredValue = string | number;

const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A bound typed as text or given as a number: the number it is, or null. */
export function boundNumber(bound: Bound): number | null {
  if (typeof bound === 'number') return Number.isFinite(bound) ? bound : null;
  const text = bound.trim().replace(',', '.');
  return NUMBER_TEXT.test(text) ? Number(text) : null;
}

/** A value typed for a field (a chosen or grouped value) as the field stores it; null if it cannot be one. */
export function typedValue(type: FieldType, text: string): StoredValue | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  switch (type) {
    case 'number':
      return boundNumber(trimmed);
    case 'boolean':
      if (/^(true|yes|1|да)$/i.test(trimmed)) return 1;
      if (/^(false|no|0|нет)$/i.test(trimmed)) return 0;
      return null;
    case 'date':
    case 'datetime': {
      const date = parseBoundDate(trimmed);
      if (!date.ok) return null;
      return type === 'date' ? (date.hasTime ? null : date.date) : parseDateTime(date.date, null);
    }
    default:
      // Text is matched as it is stored (the import trims cells).
      return text;
  }
}

/**
 * The type of a file's column for a rule, which a CSV does not say: text for values and
 * groups, numbers or dates as the bounds of ranges and intervals are, dates for ages.
 */
export function columnType(spec: StratumSpec, name: string): { ok: true; type: FieldType } | { ok: false; problem: string } {
  const bounds = spec.kind === 'ranges' ? spec.bounds : spec.kind === 'intervals' ? spec.intervals.flatMap((i) => [i.from, i.to]) : null;
  if (spec.kind === 'age') return { ok: true, type: 'date' };
  if (bounds === null) return { ok: true, type: 'string' };
  const numbers = bounds.filter((b) => boundNumber(b) !== null).length;
  if (numbers === bounds.length) return { ok: true, type: 'number' };
  if (numbers === 0) return { ok: true, type: 'datetime' };
  return { ok: false, problem: `The bounds of "${name}" mix numbers and dates; use one kind.` };
}

const bad = (problem: string): RuleCheck => ({ ok: false, problem });

/** Checks a rule against its field; the rule normalised, or what is wrong and how to fix it. */
export function checkRule(spec: StratumSpec, target: StratumTarget): RuleCheck {
  const { name, type } = target;
  if (!kindsFor(type).includes(spec.kind)) {
    const what = spec.kind === 'age' ? 'ages are counted from dates (a birth date)' : `${spec.kind} are for numbers and dates`;
    return bad(`"${name}" is a ${type} field: ${what}; stratify it by values or groups.`);
  }
  switch (spec.kind) {
    case 'values':
      return { ok: true, spec: { kind: 'values' } };
    case 'subset':
      return checkSubset(spec, target);
    case 'groups':
      return checkGroups(spec, target);
    case 'ranges':
      return checkRanges(spec, target);
    case 'intervals':
      return checkIntervals(spec, target);
    case 'age':
      return checkAges(spec, name);
  }
}

function checkSubset(spec: Extract<StratumSpec, { kind: 'subset' }>, { name, type }: StratumTarget): RuleCheck {
  if (spec.values.length === 0) return bad(`Choose at least one value of "${name}".`);
  if (spec.values.length > MAX_VALUES_PER_FIELD) return bad(`At most ${MAX_VALUES_PER_FIELD} values of "${name}" can be chosen, not ${spec.values.length}.`);
  const keys: string[] = [];
  for (const value of spec.values) {
    if (value.length > MAX_VALUE_CHARS) return bad(`A chosen value of "${name}" has at most ${MAX_VALUE_CHARS} characters.`);
    const typed = typedValue(type, value);
    if (typed === null) return bad(`"${value}" is not a value of "${name}" (${type}).`);
    const key = valueKey(type, typed);
    if (key === OTHER_KEY) return bad(`"${name}" cannot have a chosen value named "Other": the values not chosen form "Other".`);
    if (keys.includes(key)) return bad(`"${value}" is chosen twice for "${name}".`);
    keys.push(key);
  }
  return { ok: true, spec: { kind: 'subset', values: keys } };
}

/** A name of a group or interval: present, short, unique (without case), never "Other". */
function labelProblem(label: string, seen: Set<string>, name: string, what: 'group' | 'interval'): string | null {
  if (label === '') return `Every ${what} of "${name}" needs a name.`;
  if (label.length > MAX_LABEL_CHARS) return `The name of a ${what} of "${name}" has at most ${MAX_LABEL_CHARS} characters.`;
  if (label.toLowerCase() === OTHER_KEY.toLowerCase()) {
    return `${what === 'group' ? 'Values in no group' : 'Values in no interval'} of "${name}" form "Other" by themselves; give the ${what} another name.`;
  }
  if (seen.has(label.toLowerCase())) return `"${name}" has two ${what}s named "${label}".`;
  seen.add(label.toLowerCase());
  return null;
}

function checkGroups(spec: Extract<StratumSpec, { kind: 'groups' }>, { name, type }: StratumTarget): RuleCheck {
  if (spec.groups.length === 0) return bad(`Add at least one group of "${name}": a name and its values.`);
  if (spec.groups.length > MAX_GROUPS) return bad(`"${name}" can have at most ${MAX_GROUPS} groups.`);
  const labels = new Set<string>();
  const seen = new Map<string, string>();
  for (const group of spec.groups) {
    const label = group.label.trim();
    const problem = labelProblem(label, labels, name, 'group');
    if (problem) return bad(problem);
    if (group.values.length === 0) return bad(`The group "${label}" of "${name}" needs at least one value.`);
    if (group.values.length > MAX_GROUP_VALUES) return bad(`The group "${label}" of "${name}" has more than ${MAX_GROUP_VALUES} values.`);
    for (const value of group.values) {
      const typed = typedValue(type, value);
      if (typed === null) return bad(`"${value}" is not a value of "${name}" (${type}).`);
      const other = seen.get(String(typed));
      if (other !== undefined) return bad(`The value "${value}" of "${name}" is in two groups ("${other}" and "${label}").`);
      seen.set(String(typed), label);
    }
  }
  // Stored as given (the keys are the labels), so existing rules compare equal.
  return { ok: true, spec: { kind: 'groups', groups: spec.groups.map((g) => ({ label: g.label.trim(), values: [...g.values] })) } };
}

/** A bound of a number or date field, normalised; `exactTime` writes date-times in full (HH:MM:SS). */
function readBound(bound: Bound, type: FieldType, name: string, exactTime: boolean): { ok: true; value: Bound; hasTime: boolean } | { ok: false; problem: string } {
  if (type === 'number') {
    const n = boundNumber(bound);
    return n === null ? { ok: false, problem: `The bounds of "${name}" are numbers, such as 18, 25, 35: "${String(bound)}" is not one.` } : { ok: true, value: n, hasTime: false };
  }
  if (typeof bound === 'number') return { ok: false, problem: `The bounds of "${name}" are dates, such as 2024-12-31 or 31.12.2024, not ${bound}.` };
  const date = parseBoundDate(bound);
  if (!date.ok) return { ok: false, problem: `A bound of "${name}": ${date.problem}` };
  return { ok: true, value: date.hasTime && exactTime ? parseDateTime(date.date, null)! : date.date, hasTime: date.hasTime };
}

function checkRanges(spec: Extract<StratumSpec, { kind: 'ranges' }>, { name, type }: StratumTarget): RuleCheck {
  if (spec.bounds.length === 0) return bad(`Give at least one bound to cut "${name}" at.`);
  if (spec.bounds.length > MAX_BOUNDS) return bad(`"${name}" can be cut at ${MAX_BOUNDS} bounds at most.`);
  const bounds: Bound[] = [];
  for (const b of spec.bounds) {
    const read = readBound(b, type, name, false);
    if (!read.ok) return bad(read.problem);
    const previous = bounds[bounds.length - 1];
    if (previous !== undefined && !(previous < read.value)) return bad(`The range bounds of "${name}" must go up: ${String(previous)} is followed by ${String(read.value)}.`);
    bounds.push(read.value);
  }
  return { ok: true, spec: { kind: 'ranges', bounds } };
}

interface Span {
  /** Inclusive; null: no lower end. */
  readonly lo: Bound | null;
  readonly hi: Bound | null;
  readonly hiInclusive: boolean;
  /** The part number (index in the rule's parts). */
  readonly part: number;
}

/** The two first spans that overlap, by their parts, or null. */
function overlap(spans: readonly Span[]): [Span, Span] | null {
  const sorted = [...spans].sort((a, b) => (a.lo === null ? -1 : b.lo === null ? 1 : a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  for (let i = 1; i < sorted.length; i += 1) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (a.hi === null || b.lo === null || (a.hiInclusive ? a.hi >= b.lo : a.hi > b.lo)) return [a, b];
  }
  return null;
}

/** The interval [from, to] as a span: a date `to` ends before the next day. */
function intervalSpan(from: Bound, to: Bound, part: number): Span {
  if (typeof to === 'string' && to.length === 10) return { lo: from, hi: nextDay(to), hiInclusive: false, part };
  return { lo: from, hi: to, hiInclusive: true, part };
}

function checkIntervals(spec: Extract<StratumSpec, { kind: 'intervals' }>, { name, type }: StratumTarget): RuleCheck {
  if (spec.intervals.length === 0) return bad(`Add at least one interval of "${name}": a name, where it starts and where it ends.`);
  if (spec.intervals.length > MAX_BOUNDS) return bad(`"${name}" can have ${MAX_BOUNDS} intervals at most.`);
  const labels = new Set<string>();
  const intervals: { label: string; from: Bound; to: Bound }[] = [];
  for (const interval of spec.intervals) {
    const label = interval.label.trim();
    const problem = labelProblem(label, labels, name, 'interval');
    if (problem) return bad(problem);
    const from = readBound(interval.from, type, name, true);
    if (!from.ok) return bad(from.problem);
    const to = readBound(interval.to, type, name, true);
    if (!to.ok) return bad(to.problem);
    if (to.value < from.value) return bad(`The interval "${label}" of "${name}" ends (${String(to.value)}) before it starts (${String(from.value)}).`);
    intervals.push({ label, from: from.value, to: to.value });
  }
  const clash = overlap(intervals.map((i, k) => intervalSpan(i.from, i.to, k)));
  if (clash) return bad(`The intervals "${intervals[clash[0].part]!.label}" and "${intervals[clash[1].part]!.label}" of "${name}" overlap; a value can be in one only.`);
  return { ok: true, spec: { kind: 'intervals', intervals } };
}

function checkAges(spec: Extract<StratumSpec, { kind: 'age' }>, name: string): RuleCheck {
  if (spec.intervals.length === 0) return bad(`Add at least one age interval for "${name}", such as 20 to 25.`);
  if (spec.intervals.length > MAX_BOUNDS) return bad(`"${name}" can have ${MAX_BOUNDS} age intervals at most.`);
  for (const { from, to } of spec.intervals) {
    const whole = (n: number) => Number.isInteger(n) && n >= 0 && n <= MAX_AGE_YEARS;
    if (!whole(from) || (to !== null && !whole(to))) return bad(`Ages of "${name}" are whole years from 0 to ${MAX_AGE_YEARS}.`);
    if (to !== null && to < from) return bad(`The age interval ${from} to ${to} of "${name}" ends before it starts.`);
  }
  // Ages as [from, to + 1) in years.
  const clash = overlap(spec.intervals.map((i, k) => ({ lo: i.from, hi: i.to === null ? null : i.to + 1, hiInclusive: false, part: k })));
  if (clash) {
    const text = (k: number) => (spec.intervals[k]!.to === null ? `${spec.intervals[k]!.from}+` : `${spec.intervals[k]!.from} to ${spec.intervals[k]!.to}`);
    return bad(`The age intervals ${text(clash[0].part)} and ${text(clash[1].part)} of "${name}" overlap; a profile can be in one only.`);
  }
  return { ok: true, spec: { kind: 'age', intervals: spec.intervals.map((i) => ({ from: i.from, to: i.to })) } };
}

/**
 * Age intervals as people type them: "20-25, 26-35, 65+" (also 20..25 or 20–25), whole
 * years; the intervals, or what is wrong.
 */
export function parseAgeIntervals(text: string): { ok: true; intervals: { from: number; to: number | null }[] } | { ok: false; problem: string } {
  const items = text
    .split(/[,;\n]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (items.length === 0) return { ok: false, problem: 'Give the age intervals in years, such as 20-25, 26-35, 65+.' };
  const intervals: { from: number; to: number | null }[] = [];
  for (const item of items) {
    const open = /^(\d{1,3})\s*\+$/.exec(item);
    const closed = /^(\d{1,3})\s*(?:-|–|\.\.)\s*(\d{1,3})$/.exec(item);
    if (open) intervals.push({ from: Number(open[1]), to: null });
    else if (closed) intervals.push({ from: Number(closed[1]), to: Number(closed[2]) });
    else return { ok: false, problem: `An age interval is FROM-TO in whole years, such as 20-25, or FROM+ (65+), not "${item}".` };
  }
  return { ok: true, intervals };
}

/** Age intervals as parseAgeIntervals reads them: "20-25, 65+". */
export const ageIntervalsText = (intervals: readonly { readonly from: number; readonly to: number | null }[]) =>
  intervals.map((i) => (i.to === null ? `${i.from}+` : `${i.from}-${i.to}`)).join(', ');

// ---------------------------------------------------------------------------------------
// Classifying

/** A checked rule (other than `values`, whose parts come from the data) ready to classify. */
export interface RuleClassifier {
  /** "(no value)" first, then the kind's parts, then "Other" when the kind has it. */
  readonly parts: readonly StratumPart[];
  /** The part number of "Other", or null. */
  readonly other: number | null;
  /** Chosen or grouped values as the field stores them, and their parts. */
  readonly lookup: ReadonlyMap<StoredValue, number> | null;
  /** Ascending cut points: part 1 + (how many are at or below the value). */
  readonly cuts: readonly Bound[] | null;
  /** Intervals: lower end inclusive, upper end as flagged. */
  readonly spans: readonly Span[] | null;
  /** The part of a stored value (numbers for number fields, ISO text for dates); null or "" is "(no value)". */
  classify(value: StoredValue | null): number;
}

export type { Span as StratumSpan };

/** The part number of `value` among ascending cut points. */
function cutIndex(cuts: readonly Bound[], value: StoredValue): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

const inSpan = (s: Span, value: StoredValue) => (s.lo === null || value >= s.lo) && (s.hi === null || (s.hiInclusive ? value <= s.hi : value < s.hi));

/**
 * The classifier of a checked rule (see checkRule); null for `values`. `today` ("YYYY-MM-DD")
 * is needed by age rules only.
 */
export function ruleClassifier(spec: StratumSpec, target: StratumTarget, today: string | null): RuleClassifier | null {
  if (spec.kind === 'values') return null;
  const parts = staticParts(spec, target.name, target.type);
  const other = hasOther(spec.kind) ? parts.length - 1 : null;
  let lookup: Map<StoredValue, number> | null = null;
  let cuts: Bound[] | null = null;
  let spans: Span[] | null = null;
  switch (spec.kind) {
    case 'subset':
      lookup = new Map(spec.values.map((v, i) => [typedValue(target.type, v)!, i + 1]));
      break;
    case 'groups':
      lookup = new Map();
      spec.groups.forEach((g, i) => {
        for (const v of g.values) {
          const typed = typedValue(target.type, v);
          if (typed !== null && !lookup!.has(typed)) lookup!.set(typed, i + 1);
        }
      });
      break;
    case 'ranges':
      cuts = [...spec.bounds];
      break;
    case 'intervals':
      spans = spec.intervals.map((i, k) => intervalSpan(i.from, i.to, k + 1));
      break;
    case 'age': {
      if (today === null) throw new Error('An age rule needs the date to count ages on.');
      spans = spec.intervals.map((i, k) => ({ ...ageSpan(today, i.from, i.to), hiInclusive: false, part: k + 1 }));
      break;
    }
  }
  const classify = (value: StoredValue | null): number => {
    if (value === null || value === '') return 0;
    if (lookup) return lookup.get(value) ?? other!;
    if (cuts) return cutIndex(cuts, value);
    for (const s of spans!) if (inSpan(s, value)) return s.part;
    return other!;
  };
  return { parts, other, lookup, cuts, spans, classify };
}
