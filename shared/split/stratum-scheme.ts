/**
 * The stratum scheme: the one place that says how a stratification rule cuts profiles into
 * parts, and what each part is called. The campaign split (main/engine/campaigns/strata.ts,
 * in SQL), the stand-alone CSV split (main/engine/split/csv-strata.ts), `cplan` and the
 * renderer's editor all use it, so a stratum has one key and one label everywhere.
 *
 * A stratum's key is hashed for the quotas' tie-break (md5(seed ":stratum:" key), STATS.md
 * 1.2), so keys are plain, portable text that a warehouse query can build too:
 *
 * | rule kind   | a part's key                                   | its label                  |
 * |-------------|------------------------------------------------|----------------------------|
 * | values      | the value as text: "female", "42", "true"      | gender = female            |
 * | subset      | a chosen value as above; the rest "Other"      | city = Kazan, city: Other  |
 * | groups      | the group's label; the rest "Other"            | city: Capitals             |
 * | ranges      | "<18", "18..25", ">=65" (cut points, [a, b))   | age 18 to under 25         |
 * | intervals   | the interval's name; outside them "Other"      | birthday: Young            |
 * | age         | "20-25" or "65+" (whole years); else "Other"   | birthday: age 20 to 25     |
 *
 * In every kind a profile without a value (NULL or empty text) is in the "(no value)" part,
 * whose key is the empty string, never NULL (with NULL, a SQL join on the key drops those
 * profiles). "Other" exists only in the kinds above that have one, and a stratum shows only
 * when profiles are in it. One rule: the stratum's key is its part's key; several rules: a
 * JSON array of the parts' keys in field order (field id in a campaign, column order in a
 * file), so reordering the rules keeps the keys; labels join in the order the user gave,
 * with " · ". No rule: one stratum, key "".
 */
import type { FieldType } from '../domain/profiles';

// ---------------------------------------------------------------------------------------
// Rules

export type Bound = number | string;

/** A stratification rule without its target (a campaign's field, or a file's column). */
export type StratumSpec =
  | { readonly kind: 'values' }
  | { readonly kind: 'subset'; readonly values: readonly string[] }
  | { readonly kind: 'groups'; readonly groups: readonly { readonly label: string; readonly values: readonly string[] }[] }
  | { readonly kind: 'ranges'; readonly bounds: readonly Bound[] }
  | { readonly kind: 'intervals'; readonly intervals: readonly { readonly label: string; readonly from: Bound; readonly to: Bound }[] }
  | { readonly kind: 'age'; readonly intervals: readonly { readonly from: number; readonly to: number | null }[] };

export type StratumKind = StratumSpec['kind'];

export const STRATUM_KINDS = ['values', 'subset', 'groups', 'ranges', 'intervals', 'age'] as const satisfies readonly StratumKind[];

/** What a rule stratifies: a field's (or a column's) name, for labels, and its type. */
export interface StratumTarget {
  readonly name: string;
  readonly type: FieldType;
}

/** How each kind is offered to people. */
export const STRATUM_KIND_LABELS: Readonly<Record<StratumKind, string>> = {
  values: 'Each value',
  subset: 'Chosen values (the rest: Other)',
  groups: 'Groups of values',
  ranges: 'Ranges (cut points)',
  intervals: 'Named intervals',
  age: 'Age in years',
};

/** The kinds a field of each type can stratify by, the usual one first. */
export function kindsFor(type: FieldType): StratumKind[] {
  switch (type) {
    case 'number':
      return ['ranges', 'intervals', 'values', 'subset', 'groups'];
    case 'date':
    case 'datetime':
      return ['ranges', 'intervals', 'age', 'values', 'subset', 'groups'];
    default:
      return ['values', 'subset', 'groups'];
  }
}

// ---------------------------------------------------------------------------------------
// Limits

/** Stratification fields (or columns) combined at most. */
export const MAX_STRATA_FIELDS = 5;
/** More distinct values than this in a `values` rule is a list, not strata: choose or group them. */
export const MAX_VALUES_PER_FIELD = 1000;
/** The largest number of strata a split works with. */
export const MAX_STRATA = 10_000;
/** Cut points, named intervals or age intervals in one rule. */
export const MAX_BOUNDS = 50;
/** Groups in one rule, and values in one group. */
export const MAX_GROUPS = 100;
export const MAX_GROUP_VALUES = 500;
/** The longest name of a group or interval. */
export const MAX_LABEL_CHARS = 100;
/** The longest chosen value. */
export const MAX_VALUE_CHARS = 1000;
/** The oldest age an age interval may name. */
export const MAX_AGE_YEARS = 150;

const count = (n: number) => n.toLocaleString('en-US');

/** Why a `values` rule cannot be used: too many different values. */
export function tooManyValuesMessage(name: string, values: number): string {
  return (
    `"${name}" has ${count(values)} different values, too many to stratify by one each (at most ${count(MAX_VALUES_PER_FIELD)}): ` +
    'choose some values (the rest form "Other"), group them, or use ranges.'
  );
}

/** Why a stratification cannot be used: too many strata. */
export function tooManyStrataMessage(strata: number, names: readonly string[]): string {
  const by = names.length === 0 ? '' : ` by ${names.map((n) => `"${n}"`).join(', ')}`;
  return (
    `Stratifying${by} cuts the audience into ${count(strata)} strata; at most ${count(MAX_STRATA)} can be used. ` +
    'Choose or group values, use wider ranges, or fewer fields.'
  );
}

// ---------------------------------------------------------------------------------------
// Parts, keys and labels

export interface StratumPart {
  /** Portable, hashed: see the module comment. */
  readonly key: string;
  /** For people, the same wording everywhere. */
  readonly label: string;
}

export const NO_VALUE_KEY = '';
export const OTHER_KEY = 'Other';

export const noValuePart = (name: string): StratumPart => ({ key: NO_VALUE_KEY, label: `${name}: (no value)` });
export const otherPart = (name: string): StratumPart => ({ key: OTHER_KEY, label: `${name}: Other` });

/** A stored value as key text: numbers printed exactly ("42", "0.1"), yes/no as true/false. */
export function valueKey(type: FieldType, value: string | number): string {
  if (type === 'boolean') return isTrue(value) ? 'true' : 'false';
  return String(value);
}

/** Yes/no as SQLite stores it (1, 0) or as a key ("true", "false"). */
const isTrue = (value: string | number) => (typeof value === 'number' ? value !== 0 : value === 'true' || value === '1');

/** The part of one value (of a `values` or `subset` rule). */
export function valuePart(target: StratumTarget, value: string | number): StratumPart {
  const shown = target.type === 'boolean' ? (isTrue(value) ? 'yes' : 'no') : String(value);
  return { key: valueKey(target.type, value), label: `${target.name} = ${shown}` };
}

export const groupPart = (name: string, label: string): StratumPart => ({ key: label, label: `${name}: ${label}` });

/** The parts of cut points b1 < ... < bk: "<b1", "b1..b2", ..., ">=bk". */
export function rangeParts(name: string, bounds: readonly Bound[]): StratumPart[] {
  const text = bounds.map(String);
  const last = text.length - 1;
  const parts: StratumPart[] = [{ key: `<${text[0]!}`, label: `${name} < ${text[0]!}` }];
  for (let i = 1; i <= last; i += 1) parts.push({ key: `${text[i - 1]!}..${text[i]!}`, label: `${name} ${text[i - 1]!} to under ${text[i]!}` });
  parts.push({ key: `>=${text[last]!}`, label: `${name} ≥ ${text[last]!}` });
  return parts;
}

export function agePart(name: string, from: number, to: number | null): StratumPart {
  return to === null ? { key: `${from}+`, label: `${name}: age ${from} and over` } : { key: `${from}-${to}`, label: `${name}: age ${from} to ${to}` };
}

/** A stratum's key from its parts' keys, in field (or column) order. */
export const stratumKey = (keys: readonly string[]): string => (keys.length === 1 ? keys[0]! : JSON.stringify(keys));

/** A stratum's label from its parts' labels, in the user's order. */
export const stratumLabel = (labels: readonly string[]): string => (labels.length === 0 ? 'All profiles' : labels.join(' · '));

/** The one stratum of an unstratified split. */
export const ALL_PROFILES: StratumPart = { key: '', label: 'All profiles' };

/**
 * A rule's parts, in their order: "(no value)" first, then the parts of the kind, then
 * "Other" for the kinds that have it. A `values` rule's parts are its values, known only
 * from the data: here it has just "(no value)".
 */
export function staticParts(spec: StratumSpec, name: string, type: FieldType): StratumPart[] {
  const target = { name, type };
  const parts = [noValuePart(name)];
  switch (spec.kind) {
    case 'values':
      return parts;
    case 'subset':
      return [...parts, ...spec.values.map((v) => valuePart(target, v)), otherPart(name)];
    case 'groups':
      return [...parts, ...spec.groups.map((g) => groupPart(name, g.label.trim())), otherPart(name)];
    case 'ranges':
      return [...parts, ...rangeParts(name, spec.bounds)];
    case 'intervals':
      return [...parts, ...spec.intervals.map((i) => groupPart(name, i.label.trim())), otherPart(name)];
    case 'age':
      return [...parts, ...spec.intervals.map((i) => agePart(name, i.from, i.to)), otherPart(name)];
  }
}

/** Whether the kind puts values outside its parts into "Other". */
export const hasOther = (kind: StratumKind): boolean => kind === 'subset' || kind === 'groups' || kind === 'intervals' || kind === 'age';
