/**
 * Strata of a campaign's split, from its stratification rules (contract StratumRule).
 *
 * Each rule becomes a SQL expression giving a small index per profile (0 = "(no value)"):
 * `values` looks the value up in a temporary dictionary of the field's values, `groups`
 * looks it up among the groups' values (anything else is "Other"), `ranges` compares the
 * typed column with the bounds (numbers as numbers, dates and date-times as ISO text, which
 * sorts as time). The indices of the rules combine into one integer code per profile (mixed
 * radix), so strata are found with one GROUP BY, and each code is described once, in
 * JavaScript, as a stable key and a human label.
 *
 * Keys are what the split hashes for its tie-break (md5(seed ":stratum:" key), STATS.md
 * 1.2), so they are plain and portable: a rule's part is the value as text ("female",
 * "42", "true"), the group's label, or the range ("<18", "18..25", ">=65"); no value is
 * the empty string (an empty text counts as no value). One rule: the key is its part; more:
 * a JSON array of the parts in field-id order, so reordering the rules keeps the keys.
 * No rule: one stratum, key "". Every SQL text here is built from our own integer ids; user
 * values only ever reach SQLite as bound parameters (in the dictionaries).
 */
import type { Field } from '../../../shared/contract/databases';
import type { StratumRule } from '../../../shared/contract/campaigns';
import { EngineError } from '../../../shared/contract/errors';
import { fieldColumn, SQL_TYPES } from '../databases/profile-table';
import { listFields } from '../databases/repository';
import type { SqlDb, SqlValue } from '../sqlite/database';

/** More distinct values than this in a `values` rule is a list, not strata: group them. */
export const MAX_VALUES_PER_FIELD = 1000;
/** The largest number of strata a split works with. */
export const MAX_STRATA = 10_000;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)?$/;

export interface StratumName {
  readonly key: string;
  readonly label: string;
}

/**
 * A rule on a text field (`values`, `groups`) computed in JavaScript from the field's raw
 * text: the same index its SQL expression gives, without a dictionary lookup per profile in
 * SQL (about a microsecond each in WebAssembly). NULL reaches `index` as "" (both are no value).
 */
export interface TextPart {
  /** SQL of the raw text (NULL as ''); the profile row is aliased `p`. */
  readonly textSql: string;
  readonly multiplier: number;
  index(text: string): number;
}

/** The strata of one set of rules, ready to compute: dispose() drops its temporary tables. */
export interface CompiledStrata {
  readonly stratified: boolean;
  /** SQL giving each profile's stratum code; the profile row is aliased `p`. Has no parameters. */
  readonly codeSql: string;
  /**
   * The same code in two halves: `sql` for the rules SQL computes (ranges, numbers, yes/no),
   * and `textParts` for the text rules, whose index times multiplier is added in JavaScript.
   */
  readonly split: { readonly sql: string; readonly textParts: readonly TextPart[] };
  /** The key and label of a code. */
  describe(code: number): StratumName;
  dispose(): void;
}

interface RulePart {
  readonly field: Field;
  readonly expression: string;
  readonly radix: number;
  readonly keyOf: (index: number) => string;
  readonly labelOf: (index: number) => string;
  /** For a rule on a text field: its index from the raw text. */
  readonly textIndex?: (text: string) => number;
}

let tableCounter = 0;

/** A stored value as the text of a key: numbers printed exactly ("42", "0.1"), yes/no as true/false. */
function valueText(field: Field, value: SqlValue): string {
  if (field.type === 'boolean') return Number(value) !== 0 ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return String(value);
}

function valueDisplay(field: Field, value: SqlValue): string {
  if (field.type === 'boolean') return Number(value) !== 0 ? 'yes' : 'no';
  return valueText(field, value);
}

/** A group's or the user's value, typed as the field stores it; null if it cannot be one. */
function typedValue(field: Field, text: string): SqlValue {
  const trimmed = text.trim();
  switch (field.type) {
    case 'number': {
      const n = Number(trimmed.replace(',', '.'));
      return trimmed !== '' && Number.isFinite(n) ? n : null;
    }
    case 'boolean':
      if (/^(true|yes|1)$/i.test(trimmed)) return 1;
      if (/^(false|no|0)$/i.test(trimmed)) return 0;
      return null;
    case 'date':
    case 'datetime':
      return ISO_DATE.test(trimmed) ? trimmed : null;
    default:
      return text;
  }
}

function boundText(bound: number | string): string {
  return typeof bound === 'number' ? String(bound) : bound;
}

/**
 * Checks rules against the fields of a database; throws INVALID_ARGUMENT saying what is
 * wrong and how to fix it. Returns the fields by id.
 */
export function validateRules(db: SqlDb, databaseId: number, rules: readonly StratumRule[]): Map<number, Field> {
  const fields = new Map(listFields(db, databaseId).map((f) => [f.id, f]));
  const bad = (message: string, fieldId: number): never => {
    throw new EngineError('INVALID_ARGUMENT', message, { fieldId });
  };
  for (const rule of rules) {
    const field = fields.get(rule.fieldId);
    if (!field) bad(`There is no field with id ${rule.fieldId} in this database to stratify by.`, rule.fieldId);
    const f = field as Field;
    if (rule.kind === 'groups') {
      const labels = new Set<string>();
      const seen = new Map<string, string>();
      for (const group of rule.groups) {
        const label = group.label.trim();
        if (label.toLowerCase() === 'other') bad(`Values in no group of "${f.name}" form "Other" by themselves; give the group another name.`, f.id);
        if (labels.has(label.toLowerCase())) bad(`"${f.name}" has two groups named "${label}".`, f.id);
        labels.add(label.toLowerCase());
        for (const value of group.values) {
          const typed = typedValue(f, value);
          if (typed === null || typed === '') bad(`"${value}" is not a value of "${f.name}" (${f.type}).`, f.id);
          const k = String(typed);
          const other = seen.get(k);
          if (other !== undefined) bad(`The value "${value}" of "${f.name}" is in two groups ("${other}" and "${label}").`, f.id);
          seen.set(k, label);
        }
      }
    }
    if (rule.kind === 'ranges') {
      if (f.type === 'number') {
        if (!rule.bounds.every((b) => typeof b === 'number' && Number.isFinite(b))) bad(`The range bounds of "${f.name}" must be numbers.`, f.id);
      } else if (f.type === 'date' || f.type === 'datetime') {
        if (!rule.bounds.every((b) => typeof b === 'string' && ISO_DATE.test(b))) {
          bad(`The range bounds of "${f.name}" must be dates like 2024-01-31 (or date-times like 2024-01-31T10:00).`, f.id);
        }
      } else {
        bad(`"${f.name}" is a ${f.type} field: ranges are for numbers and dates; stratify it by values or groups.`, f.id);
      }
      for (let i = 1; i < rule.bounds.length; i += 1) {
        const a = rule.bounds[i - 1]!;
        const b = rule.bounds[i]!;
        if (!(a < b)) bad(`The range bounds of "${f.name}" must go up: ${boundText(a)} is followed by ${boundText(b)}.`, f.id);
      }
    }
  }
  return fields;
}

/**
 * Compiles rules into a code expression over the profile table of `databaseId`. Builds the
 * temporary dictionaries it needs (values of the fields, groups, bounds); call dispose().
 */
export function compileStrata(db: SqlDb, databaseId: number, rules: readonly StratumRule[]): CompiledStrata {
  const fields = validateRules(db, databaseId, rules);
  if (rules.length === 0) {
    return {
      stratified: false,
      codeSql: '0',
      split: { sql: '0', textParts: [] },
      describe: () => ({ key: '', label: 'All profiles' }),
      dispose: () => undefined,
    };
  }
  const tables: string[] = [];
  const newTable = (columns: string): string => {
    tableCounter += 1;
    const name = `campaign_strata_${tableCounter}`;
    db.exec(`DROP TABLE IF EXISTS temp.${name}; CREATE TEMP TABLE ${name} (${columns})`);
    tables.push(name);
    return name;
  };
  const dispose = () => {
    for (const t of tables.splice(0)) db.exec(`DROP TABLE IF EXISTS temp.${t}`);
  };
  try {
    // Keys in field-id order (stable when rules are reordered); labels in the user's order.
    const sorted = [...rules].sort((a, b) => a.fieldId - b.fieldId);
    const parts: RulePart[] = sorted.map((rule) => compileRule(db, rule, fields.get(rule.fieldId) as Field, newTable));
    const multipliers: number[] = [];
    let product = 1;
    for (const part of parts) {
      multipliers.push(product);
      product *= part.radix;
    }
    if (!Number.isSafeInteger(product)) {
      throw new EngineError('REFUSED', 'These stratification fields together have too many combinations; group values or use fewer fields.');
    }
    const term = (part: RulePart, i: number) => (multipliers[i] === 1 ? `(${part.expression})` : `(${part.expression}) * ${multipliers[i]}`);
    const codeSql = parts.map(term).join(' + ');
    const sqlTerms = parts.flatMap((part, i) => (part.textIndex ? [] : [term(part, i)]));
    const textParts: TextPart[] = parts.flatMap((part, i) =>
      part.textIndex ? [{ textSql: `COALESCE(p.${fieldColumn(part.field.id)}, '')`, multiplier: multipliers[i]!, index: part.textIndex }] : [],
    );
    const split = { sql: sqlTerms.length > 0 ? sqlTerms.join(' + ') : '0', textParts };
    const labelOrder = rules.map((rule) => sorted.findIndex((s) => s.fieldId === rule.fieldId));
    const describe = (code: number): StratumName => {
      const indices = parts.map((part, i) => Math.floor(code / multipliers[i]!) % part.radix);
      const keys = parts.map((part, i) => part.keyOf(indices[i]!));
      const key = keys.length === 1 ? keys[0]! : JSON.stringify(keys);
      const label = labelOrder.map((i) => parts[i]!.labelOf(indices[i]!)).join(' · ');
      return { key, label };
    };
    return { stratified: true, codeSql, split, describe, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

function compileRule(db: SqlDb, rule: StratumRule, field: Field, newTable: (columns: string) => string): RulePart {
  const column = `p.${fieldColumn(field.id)}`;
  const noValue = `${field.name}: (no value)`;
  if (rule.kind === 'values') {
    const dict = newTable('idx INTEGER PRIMARY KEY, v UNIQUE');
    db.exec(
      `INSERT INTO temp.${dict} (v) SELECT DISTINCT ${column} FROM profiles_${field.databaseId} p
        WHERE ${column} IS NOT NULL AND ${column} <> '' ORDER BY ${column}`,
    );
    const values = db.all<{ v: SqlValue }>(`SELECT v FROM temp.${dict} ORDER BY idx`).map((r) => r.v);
    if (values.length > MAX_VALUES_PER_FIELD) {
      throw new EngineError(
        'REFUSED',
        `"${field.name}" has ${values.length.toLocaleString('en-US')} different values, too many to stratify by one each (at most ${MAX_VALUES_PER_FIELD}); group the values or use ranges.`,
        { fieldId: field.id },
      );
    }
    const textual = SQL_TYPES[field.type] === 'TEXT' && values.every((v) => typeof v === 'string');
    const indexOf = textual ? new Map(values.map((v, i) => [v as string, i + 1])) : null;
    return {
      field,
      expression: `COALESCE((SELECT d.idx FROM temp.${dict} d WHERE d.v = ${column}), 0)`,
      ...(indexOf ? { textIndex: (text: string) => indexOf.get(text) ?? 0 } : {}),
      radix: values.length + 1,
      keyOf: (i) => (i === 0 ? '' : valueText(field, values[i - 1]!)),
      labelOf: (i) => (i === 0 ? noValue : `${field.name} = ${valueDisplay(field, values[i - 1]!)}`),
    };
  }
  if (rule.kind === 'groups') {
    const dict = newTable('v PRIMARY KEY, idx INTEGER NOT NULL');
    rule.groups.forEach((group, g) => {
      for (const value of group.values) db.run(`INSERT OR IGNORE INTO temp.${dict} (v, idx) VALUES (?, ?)`, [typedValue(field, value), g + 1]);
    });
    const other = rule.groups.length + 1;
    const labels = rule.groups.map((g) => g.label.trim());
    const members = db.all<{ v: SqlValue; idx: number }>(`SELECT v, idx FROM temp.${dict}`);
    const textual = SQL_TYPES[field.type] === 'TEXT' && members.every((m) => m.v === null || typeof m.v === 'string');
    const indexOf = textual ? new Map(members.flatMap((m) => (typeof m.v === 'string' ? [[m.v, Number(m.idx)] as const] : []))) : null;
    return {
      field,
      ...(indexOf ? { textIndex: (text: string) => (text === '' ? 0 : (indexOf.get(text) ?? other)) } : {}),
      expression: `CASE WHEN ${column} IS NULL OR ${column} = '' THEN 0 ELSE COALESCE((SELECT d.idx FROM temp.${dict} d WHERE d.v = ${column}), ${other}) END`,
      radix: other + 1,
      keyOf: (i) => (i === 0 ? '' : i === other ? 'Other' : labels[i - 1]!),
      labelOf: (i) => (i === 0 ? noValue : `${field.name}: ${i === other ? 'Other' : labels[i - 1]!}`),
    };
  }
  const bounds = rule.bounds;
  const table = newTable('i INTEGER PRIMARY KEY, b');
  bounds.forEach((b, i) => db.run(`INSERT INTO temp.${table} (i, b) VALUES (?, ?)`, [i + 1, b]));
  // Uncorrelated scalar subqueries: SQLite evaluates each once per statement.
  const whens = bounds.map((_, i) => `WHEN ${column} < (SELECT b FROM temp.${table} WHERE i = ${i + 1}) THEN ${i + 1}`).join(' ');
  const last = bounds.length + 1;
  const text = bounds.map(boundText);
  return {
    field,
    expression: `CASE WHEN ${column} IS NULL OR ${column} = '' THEN 0 ${whens} ELSE ${last} END`,
    radix: last + 1,
    keyOf: (i) => (i === 0 ? '' : i === 1 ? `<${text[0]!}` : i === last ? `>=${text[last - 2]!}` : `${text[i - 2]!}..${text[i - 1]!}`),
    labelOf: (i) =>
      i === 0
        ? noValue
        : i === 1
          ? `${field.name} < ${text[0]!}`
          : i === last
            ? `${field.name} ≥ ${text[last - 2]!}`
            : `${field.name} ${text[i - 2]!} to under ${text[i - 1]!}`,
  };
}

/** True when the two rule lists stratify by the same set of fields. */
export function sameFieldSet(a: readonly StratumRule[], b: readonly StratumRule[]): boolean {
  if (a.length !== b.length) return false;
  const ids = new Set(a.map((r) => r.fieldId));
  return b.every((r) => ids.has(r.fieldId));
}

/** True when the two rule lists cut the audience the same way (order of rules aside). */
export function sameRules(a: readonly StratumRule[], b: readonly StratumRule[]): boolean {
  if (!sameFieldSet(a, b)) return false;
  const byField = new Map(a.map((r) => [r.fieldId, JSON.stringify(r)]));
  return b.every((r) => byField.get(r.fieldId) === JSON.stringify(r));
}

/**
 * The campaign's stratum numbers for codes: a key the campaign has seen keeps its number
 * (its label is refreshed), a new key gets the next one. Members store these numbers.
 */
export function stratumNumbers(db: SqlDb, campaignId: number, compiled: CompiledStrata, codes: readonly number[]): Map<number, number> {
  const known = new Map(
    db
      .all<{ stratum: number; key: string; label: string }>('SELECT stratum, key, label FROM campaign_strata WHERE campaign_id = ?', [campaignId])
      .map((r) => [String(r.key), { stratum: Number(r.stratum), label: String(r.label) }]),
  );
  let next = Number(db.scalar('SELECT COALESCE(MAX(stratum), 0) + 1 FROM campaign_strata WHERE campaign_id = ?', [campaignId]));
  const out = new Map<number, number>();
  for (const code of codes) {
    const { key, label } = compiled.describe(code);
    const existing = known.get(key);
    if (existing) {
      if (existing.label !== label) {
        db.run('UPDATE campaign_strata SET label = ? WHERE campaign_id = ? AND stratum = ?', [label, campaignId, existing.stratum]);
        existing.label = label;
      }
      out.set(code, existing.stratum);
    } else {
      db.run('INSERT INTO campaign_strata (campaign_id, stratum, key, label) VALUES (?, ?, ?, ?)', [campaignId, next, key, label]);
      known.set(key, { stratum: next, label });
      out.set(code, next);
      next += 1;
    }
  }
  return out;
}

/** Writes code -> stratum into a temporary table (code INTEGER PRIMARY KEY, stratum) for set-based joins. */
export function writeCodeMap(db: SqlDb, table: string, map: ReadonlyMap<number, number>): void {
  db.exec(`DROP TABLE IF EXISTS temp.${table}; CREATE TEMP TABLE ${table} (code INTEGER PRIMARY KEY, stratum INTEGER NOT NULL)`);
  db.run(`INSERT INTO temp.${table} (code, stratum) SELECT key, value FROM json_each(?)`, [JSON.stringify(Object.fromEntries(map))]);
}

/** Refuses more strata than a split works with. */
export function checkStrataCount(count: number): void {
  if (count > MAX_STRATA) {
    throw new EngineError(
      'REFUSED',
      `These stratification rules cut the audience into ${count.toLocaleString('en-US')} strata; at most ${MAX_STRATA.toLocaleString('en-US')} can be used. Group values, use wider ranges or fewer fields.`,
    );
  }
}
