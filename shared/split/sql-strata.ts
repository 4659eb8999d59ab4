/**
 * The strata of a warehouse query (warehouse-sql.ts): each stratification rule compiled
 * from the one stratum scheme (stratum-scheme.ts parts and keys, stratum-rules.ts
 * ruleClassifier: lookup, cuts, spans) into a SQL expression giving its part's KEY text.
 *
 * A column is first read into the form the app stores (the "value" of the rule): numbers
 * as doubles, dates as "YYYY-MM-DD", date-times as "YYYY-MM-DDTHH:MM:SS", yes/no as
 * 'true'/'false', text as it is; NULL or empty text is no value. So the column may be
 * typed (numeric, date, timestamp, boolean) or text. The classifier's bounds and values
 * are then compared with that value exactly as the app compares them (numbers as numbers,
 * dates as ISO text in byte order).
 */
import type { FieldType } from '../domain/profiles';
import type { Dialect } from './sql-dialects';
import { checkRule, ruleClassifier, type RuleClassifier, type StoredValue } from './stratum-rules';
import { NO_VALUE_KEY, staticParts, valueKey, type StratumSpec } from './stratum-scheme';

/** A stratification rule on a column of the warehouse table; `spec` is checked by checkRule. */
export interface WarehouseRule {
  readonly field: string;
  readonly type: FieldType;
  readonly column: string;
  readonly spec: StratumSpec;
}

/** What the query expects in a field's column, in words (the query's comments, the engine's answer). */
export function columnExpectation(type: FieldType): string {
  switch (type) {
    case 'number':
      return 'number (or text holding a number)';
    case 'date':
      return 'date (or ISO text YYYY-MM-DD)';
    case 'datetime':
      return 'timestamp without time zone (or ISO text YYYY-MM-DD HH:MM:SS)';
    case 'boolean':
      return 'boolean (or text true/false, yes/no, 1/0)';
    default:
      return 'text';
  }
}

/** The rule's column read as the app stores the field; NULL for no value. */
export function valueSql(d: Dialect, column: string, type: FieldType): string {
  const text = d.trim(d.toText(column));
  switch (type) {
    case 'number':
      return d.toDouble(column);
    case 'date':
      return d.nullIf(d.substr(text, 1, 10), "''");
    case 'datetime': {
      // "2024-01-05" is its midnight, "2024-01-05 10:00" gets its seconds; fractions and zones go, as in the import.
      const t = d.replace(text, "' '", "'T'");
      return `CASE WHEN ${text} = '' THEN NULL WHEN LENGTH(${text}) = 10 THEN ${d.concat([text, "'T00:00:00'"])} WHEN LENGTH(${text}) = 16 THEN ${d.concat([t, "':00'"])} ELSE ${d.substr(t, 1, 19)} END`;
    }
    case 'boolean': {
      const yes = ['true', 't', '1', '1.0', 'yes', 'y'];
      const no = ['false', 'f', '0', '0.0', 'no', 'n'];
      const whens = [...yes.map((w) => `WHEN '${w}' THEN 'true'`), ...no.map((w) => `WHEN '${w}' THEN 'false'`)];
      return `CASE LOWER(${text}) ${whens.join(' ')} ELSE NULL END`;
    }
    default:
      return d.nullIf(d.toText(column), "''");
  }
}

/** The key text of a value (a `values` rule's part): JavaScript's String for numbers, the value itself otherwise. */
function valueKeySql(d: Dialect, v: string, type: FieldType): string {
  return type === 'number' ? d.numberText(v) : v;
}

/** A bound or chosen value of the classifier, as a literal comparable with the rule's value. */
function literal(d: Dialect, type: FieldType, value: StoredValue): string {
  if (type === 'boolean') return d.str(valueKey('boolean', value));
  return typeof value === 'number' ? d.double(value) : d.str(value);
}

/** JSON string escaping of a text in SQL, as JSON.stringify does it: \\ and \" first, then control characters. */
export function jsonEscapeSql(d: Dialect, x: string): string {
  let out = d.replace(d.replace(x, d.str('\\'), d.str('\\\\')), d.str('"'), d.str('\\"'));
  const short: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
  // U+0000 cannot be held in PostgreSQL text; the others are escaped as JSON.stringify does.
  for (let code = 1; code < 0x20; code += 1) out = d.replace(out, d.chr(code), d.str(short[code] ?? `\\u${code.toString(16).padStart(4, '0')}`));
  return d.mayNeedJsonEscape ? `CASE WHEN ${d.mayNeedJsonEscape(x)} THEN ${out} ELSE ${x} END` : out;
}

/** A rule compiled: its value expression (computed once per row) and its key from that value. */
export interface CompiledRule {
  /** SQL of the value, over the audience table's row. */
  readonly value: string;
  /** SQL of the part's key from the value column named `v`; `json`: as a JSON string ("..."). */
  key(v: string, json: boolean): string;
  /** The rule in words, for the query's comments. */
  readonly words: string;
}

export function compileRule(d: Dialect, rule: WarehouseRule, today: string | null): CompiledRule {
  const value = valueSql(d, d.ident(rule.column), rule.type);
  const target = { name: rule.field, type: rule.type };
  // The scheme's check again (it is idempotent): a rule as typed (dates as 31.12.1999) is normalised, a bad one refused.
  const checked = checkRule(rule.spec, target);
  if (!checked.ok) throw new RangeError(checked.problem);
  const spec = checked.spec;
  const classifier = ruleClassifier(spec, target, today);
  if (classifier === null) {
    // `values`: each value is its own part, its key from the data.
    const textual = rule.type === 'string' || rule.type === 'enum';
    return {
      value,
      key: (v, json) => {
        const key = valueKeySql(d, v, rule.type);
        if (!json) return `CASE WHEN ${v} IS NULL THEN ${d.str(NO_VALUE_KEY)} ELSE ${key} END`;
        const escaped = textual ? jsonEscapeSql(d, key) : key;
        return `CASE WHEN ${v} IS NULL THEN ${d.str(JSON.stringify(NO_VALUE_KEY))} ELSE ${d.concat([d.str('"'), escaped, d.str('"')])} END`;
      },
      words: `each value is a stratum (its key: the value as text${rule.type === 'number' ? ', whole numbers without ".0"' : rule.type === 'boolean' ? ": 'true' or 'false'" : ''})`,
    };
  }
  return {
    value,
    key: (v, json) => classifierSql(d, classifier, rule.type, v, json),
    words: wordsOf({ ...rule, spec }, classifier),
  };
}

function classifierSql(d: Dialect, c: RuleClassifier, type: FieldType, v: string, json: boolean): string {
  const key = (part: number) => d.str(json ? JSON.stringify(c.parts[part]!.key) : c.parts[part]!.key);
  const numeric = type === 'number';
  // Dates compare as ISO text in byte order; numbers as numbers.
  const cmp = numeric ? v : d.bytes(v);
  const whens: string[] = [];
  let otherwise = c.other;
  if (c.lookup) {
    const byPart = new Map<number, StoredValue[]>();
    for (const [value, part] of c.lookup) byPart.set(part, [...(byPart.get(part) ?? []), value]);
    for (const [part, values] of [...byPart].sort((a, b) => a[0] - b[0])) {
      whens.push(`WHEN ${v} IN (${values.map((x) => literal(d, type, x)).join(', ')}) THEN ${key(part)}`);
    }
  } else if (c.cuts) {
    c.cuts.forEach((b, i) => whens.push(`WHEN ${cmp} < ${literal(d, type, b)} THEN ${key(i + 1)}`));
    otherwise = c.cuts.length + 1;
  } else {
    for (const s of c.spans ?? []) {
      const conditions = [
        ...(s.lo === null ? [] : [`${cmp} >= ${literal(d, type, s.lo)}`]),
        ...(s.hi === null ? [] : [`${cmp} ${s.hiInclusive ? '<=' : '<'} ${literal(d, type, s.hi)}`]),
      ];
      whens.push(`WHEN ${conditions.length === 0 ? '1 = 1' : conditions.join(' AND ')} THEN ${key(s.part)}`);
    }
  }
  return `CASE WHEN ${v} IS NULL THEN ${key(0)} ${whens.join(' ')} ELSE ${key(otherwise ?? 0)} END`;
}

/** A rule in words: its parts' keys and what each holds. */
function wordsOf(rule: WarehouseRule, c: RuleClassifier): string {
  const keys = staticParts(rule.spec, rule.field, rule.type).map((p) => (p.key === '' ? "'' (no value)" : JSON.stringify(p.key)));
  const kind = rule.spec.kind;
  const how =
    kind === 'ranges'
      ? `cut at ${c.cuts!.map(String).join(', ')} (each range includes its lower bound)`
      : kind === 'age'
        ? 'age in full years (birth dates ' + c.spans!.map((s) => `[${s.lo ?? '...'}, ${s.hi ?? '...'})`).join(', ') + ')'
        : kind === 'intervals'
          ? 'named intervals ' + c.spans!.map((s) => `${JSON.stringify(c.parts[s.part]!.key)} [${String(s.lo)}, ${String(s.hi)}${s.hiInclusive ? ']' : ')'}`).join(', ')
          : rule.spec.kind === 'groups'
            ? 'groups ' + rule.spec.groups.map((g) => `${JSON.stringify(g.label)} = ${g.values.map((v) => JSON.stringify(v)).join(', ')}`).join('; ')
            : rule.spec.kind === 'subset'
              ? `chosen values ${rule.spec.values.map((v) => JSON.stringify(v)).join(', ')}`
              : '';
  return `${how}; keys ${keys.join(', ')}`;
}
