/**
 * Strata of a campaign's split, from its stratification rules (contract StratumRule), by
 * the stratum scheme of shared/split/ (stratum-scheme.ts: parts, keys, labels, limits;
 * stratum-rules.ts: checking and classifying), compiled to SQL.
 *
 * Each rule becomes a SQL expression giving its part number per profile (0 = "(no value)"):
 * `values` looks the value up in a temporary dictionary of the field's values (an enum
 * field's list, or the column's distinct values: see ValuesSource); `subset` and
 * `groups` look it up among the chosen or grouped values (anything else is "Other");
 * `ranges`, `intervals` and `age` compare the typed column with the bounds the classifier
 * gives (numbers as numbers, dates and date-times as ISO text, which sorts as time; ages as
 * birth dates on the project clock's date). The parts of the rules combine into one integer
 * code per profile (mixed radix), so strata are found with one GROUP BY, and each code is
 * described once, in JavaScript, by the scheme's key and label. Rules on text columns are
 * classified in JavaScript from the raw text, by the same classifier (TextPart).
 *
 * Every SQL text here is built from our own integer ids; user values only ever reach SQLite
 * as bound parameters (in the temporary tables).
 */
import type { Field } from '../../../shared/contract/databases';
import type { StratumRule } from '../../../shared/contract/campaigns';
import { EngineError } from '../../../shared/contract/errors';
import { checkRule, ruleClassifier, ruleText, type RuleClassifier, type StoredValue } from '../../../shared/split/stratum-rules';
import {
  ALL_PROFILES,
  MAX_STRATA,
  MAX_VALUES_PER_FIELD,
  noValuePart,
  stratumKey,
  stratumLabel,
  tooManyStrataMessage,
  tooManyValuesMessage,
  valuePart,
  type StratumPart,
} from '../../../shared/split/stratum-scheme';
import { fieldColumn, SQL_TYPES } from '../databases/profile-table';
import { listFields } from '../databases/repository';
import { readMeta } from '../project/project-file';
import type { SqlDb, SqlValue } from '../sqlite/database';

export { MAX_STRATA, MAX_VALUES_PER_FIELD };

export interface StratumName {
  readonly key: string;
  readonly label: string;
}

/**
 * A rule on a text column computed in JavaScript from the field's raw text: the same part
 * its SQL expression gives, without a lookup per profile in SQL (about a microsecond each in
 * WebAssembly). NULL reaches `index` as "" (both are no value).
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
   * The same code in two halves: `sql` for the rules SQL computes (numbers, yes/no, values),
   * and `textParts` for the rules on text columns, whose index times multiplier is added in JavaScript.
   */
  readonly split: { readonly sql: string; readonly textParts: readonly TextPart[] };
  /** The key and label of a code. */
  describe(code: number): StratumName;
  /** The number of codes the rules can give (the product of their parts): an upper bound of the strata. */
  readonly codes: number;
  /**
   * Compiles the rules again with every `values` rule's values read from its column, when
   * some came from the field's list instead (see ValuesSource); true if it did. Call it when
   * a read found a value the list does not have (an index below 0, a code below 0), then read again.
   */
  rescan(): boolean;
  dispose(): void;
}

/**
 * Where a `values` rule takes its values from. `column` reads the distinct values of the
 * field's column (a pass over every profile). `listed` takes an enum field's list of values
 * instead, which holds every value its column holds: the import adds the values it brings
 * (extendEnumLists), a value in use cannot be removed from the list (updateField), so
 * nothing needs reading. The list may hold values no profile has; they only widen the
 * codes (each value keeps its place in the sorted order), so strata, keys, labels and their
 * order are the same. A value missing from the list (a file edited elsewhere) makes the
 * rule's part -1 (in JavaScript) or the code NULL, read as -1 (in SQL): the reader calls
 * rescan() and reads again.
 */
export type ValuesSource = 'column' | 'listed';

interface RulePart {
  readonly field: Field;
  readonly expression: string;
  readonly radix: number;
  readonly partOf: (index: number) => StratumPart;
  /** For a rule on a text column: its part from the raw text. */
  readonly textIndex?: (text: string) => number;
  /** Its values came from the field's list (a value outside it gives part -1 or a NULL code). */
  readonly listed?: boolean;
}

let tableCounter = 0;

/** A stored value as the scheme takes it (blobs do not occur in profile columns; decoded if they do). */
const stored = (value: SqlValue): StoredValue => (value instanceof Uint8Array ? new TextDecoder().decode(value) : (value ?? ''));

/**
 * Checks rules against the fields of a database; throws INVALID_ARGUMENT saying what is
 * wrong and how to fix it (the scheme's words). Returns the fields by id and the rules
 * normalised (dates in bounds as ISO text).
 */
export function validateRules(db: SqlDb, databaseId: number, rules: readonly StratumRule[]): { fields: Map<number, Field>; rules: StratumRule[] } {
  const fields = new Map(listFields(db, databaseId).map((f) => [f.id, f]));
  const normalised = rules.map((rule) => {
    const field = fields.get(rule.fieldId);
    if (!field) throw new EngineError('INVALID_ARGUMENT', `There is no field with id ${rule.fieldId} in this database to stratify by.`, { fieldId: rule.fieldId });
    const checked = checkRule(rule, field);
    if (!checked.ok) throw new EngineError('INVALID_ARGUMENT', checked.problem, { fieldId: rule.fieldId });
    return { ...checked.spec, fieldId: rule.fieldId } as StratumRule;
  });
  return { fields, rules: normalised };
}

/**
 * Compiles rules into a code expression over the profile table of `databaseId`. Builds the
 * temporary tables it needs (values of the fields, chosen values, bounds); call dispose().
 * Ages are counted on the project clock's date. `values`: see ValuesSource; `listed` only
 * for readers that check every part (readAudienceCodes, which rescans on a value not listed).
 */
export function compileStrata(db: SqlDb, databaseId: number, rules: readonly StratumRule[], values: ValuesSource = 'column'): CompiledStrata {
  const { fields, rules: checked } = validateRules(db, databaseId, rules);
  if (checked.length === 0) {
    return {
      stratified: false,
      codeSql: '0',
      split: { sql: '0', textParts: [] },
      describe: () => ALL_PROFILES,
      codes: 1,
      rescan: () => false,
      dispose: () => undefined,
    };
  }
  let current = compileChecked(db, fields, checked, values);
  return {
    stratified: true,
    get codeSql() {
      return current.codeSql;
    },
    get split() {
      return current.split;
    },
    describe: (code) => current.describe(code),
    get codes() {
      return current.codes;
    },
    rescan() {
      if (!current.listed) return false;
      current.dispose();
      current = compileChecked(db, fields, checked, 'column');
      return true;
    },
    dispose: () => current.dispose(),
  };
}

interface Compiled {
  readonly codeSql: string;
  readonly split: CompiledStrata['split'];
  describe(code: number): StratumName;
  readonly codes: number;
  /** Some values came from a field's list. */
  readonly listed: boolean;
  dispose(): void;
}

function compileChecked(db: SqlDb, fields: ReadonlyMap<number, Field>, checked: readonly StratumRule[], values: ValuesSource): Compiled {
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
    const today = readMeta(db).clock.slice(0, 10);
    // Keys in field-id order (stable when rules are reordered); labels in the user's order.
    const sorted = [...checked].sort((a, b) => a.fieldId - b.fieldId);
    const parts: RulePart[] = sorted.map((rule) => compileRule(db, rule, fields.get(rule.fieldId)!, today, newTable, values));
    const multipliers: number[] = [];
    let product = 1;
    for (const part of parts) {
      multipliers.push(product);
      product *= part.radix;
    }
    if (!Number.isSafeInteger(product)) {
      throw new EngineError('REFUSED', tooManyStrataMessage(product, sorted.map((r) => fields.get(r.fieldId)!.name)));
    }
    const listed = parts.some((part) => part.listed === true);
    const term = (part: RulePart, i: number) => (multipliers[i] === 1 ? `(${part.expression})` : `(${part.expression}) * ${multipliers[i]}`);
    // A value missing from a list makes its term NULL: the code is then -1, for the reader to see.
    const whole = (terms: string[]) => (terms.length === 0 ? '0' : listed ? `COALESCE(${terms.join(' + ')}, -1)` : terms.join(' + '));
    const codeSql = whole(parts.map(term));
    const textParts: TextPart[] = parts.flatMap((part, i) =>
      part.textIndex ? [{ textSql: `COALESCE(p.${fieldColumn(part.field.id)}, '')`, multiplier: multipliers[i]!, index: part.textIndex }] : [],
    );
    const split = { sql: whole(parts.flatMap((part, i) => (part.textIndex ? [] : [term(part, i)]))), textParts };
    const labelOrder = checked.map((rule) => sorted.findIndex((s) => s.fieldId === rule.fieldId));
    const describe = (code: number): StratumName => {
      const named = parts.map((part, i) => part.partOf(Math.floor(code / multipliers[i]!) % part.radix));
      return { key: stratumKey(named.map((p) => p.key)), label: stratumLabel(labelOrder.map((i) => named[i]!.label)) };
    };
    return { codeSql, split, describe, codes: product, listed, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

function compileRule(db: SqlDb, rule: StratumRule, field: Field, today: string, newTable: (columns: string) => string, values: ValuesSource): RulePart {
  const column = `p.${fieldColumn(field.id)}`;
  const textual = SQL_TYPES[field.type] === 'TEXT';
  const classifier = ruleClassifier(rule, field, today);
  if (classifier === null) return valuesRule(db, field, column, newTable, values);
  const { parts } = classifier;
  const partOf = (i: number) => parts[i]!;
  const noValue = `${column} IS NULL OR ${column} = ''`;
  const expression = classifierSql(db, classifier, column, newTable);
  return {
    field,
    expression: `CASE WHEN ${noValue} THEN 0 ${expression} END`,
    radix: parts.length,
    partOf,
    ...(textual ? { textIndex: (text: string) => classifier.classify(text) } : {}),
  };
}

/** The WHEN ... ELSE ... of a classifier (after the "(no value)" case); bounds and values bound in a temporary table. */
function classifierSql(db: SqlDb, classifier: RuleClassifier, column: string, newTable: (columns: string) => string): string {
  const other = classifier.other ?? 0;
  if (classifier.lookup) {
    const dict = newTable('v PRIMARY KEY, idx INTEGER NOT NULL');
    for (const [v, idx] of classifier.lookup) db.run(`INSERT OR IGNORE INTO temp.${dict} (v, idx) VALUES (?, ?)`, [v, idx]);
    return `ELSE COALESCE((SELECT d.idx FROM temp.${dict} d WHERE d.v = ${column}), ${other})`;
  }
  const table = newTable('i INTEGER PRIMARY KEY, b');
  let next = 0;
  // Uncorrelated scalar subqueries: SQLite evaluates each once per statement.
  const bound = (value: StoredValue): string => {
    next += 1;
    db.run(`INSERT INTO temp.${table} (i, b) VALUES (?, ?)`, [next, value]);
    return `(SELECT b FROM temp.${table} WHERE i = ${next})`;
  };
  if (classifier.cuts) {
    const whens = classifier.cuts.map((b, i) => `WHEN ${column} < ${bound(b)} THEN ${i + 1}`).join(' ');
    return `${whens} ELSE ${classifier.cuts.length + 1}`;
  }
  const whens = classifier.spans!.map((s) => {
    const conditions = [
      ...(s.lo === null ? [] : [`${column} >= ${bound(s.lo)}`]),
      ...(s.hi === null ? [] : [`${column} ${s.hiInclusive ? '<=' : '<'} ${bound(s.hi)}`]),
    ];
    return `WHEN ${conditions.length === 0 ? '1' : conditions.join(' AND ')} THEN ${s.part}`;
  });
  return `${whens.join(' ')} ELSE ${other}`;
}

/**
 * Every value its own part: a dictionary of the field's values (at most MAX_VALUES_PER_FIELD),
 * in SQLite's order; from the field's list when `values` allows it (see ValuesSource).
 */
function valuesRule(db: SqlDb, field: Field, column: string, newTable: (columns: string) => string, values: ValuesSource): RulePart {
  const dict = newTable('idx INTEGER PRIMARY KEY, v UNIQUE');
  // An enum list longer than a rule takes is not a list the app made: count the column's values instead.
  const listed = values === 'listed' && field.type === 'enum' && field.enumValues.length <= MAX_VALUES_PER_FIELD;
  if (listed) {
    db.run(
      `INSERT OR IGNORE INTO temp.${dict} (v) SELECT value FROM json_each(?) WHERE type = 'text' AND value <> '' ORDER BY value`,
      [JSON.stringify(field.enumValues)],
    );
  } else {
    db.exec(
      `INSERT INTO temp.${dict} (v) SELECT DISTINCT ${column} FROM profiles_${field.databaseId} p
        WHERE ${column} IS NOT NULL AND ${column} <> '' ORDER BY ${column}`,
    );
  }
  const found = db.all<{ v: SqlValue }>(`SELECT v FROM temp.${dict} ORDER BY idx`).map((r) => stored(r.v));
  if (found.length > MAX_VALUES_PER_FIELD) throw new EngineError('REFUSED', tooManyValuesMessage(field.name, found.length), { fieldId: field.id, values: found.length });
  const textual = SQL_TYPES[field.type] === 'TEXT' && found.every((v) => typeof v === 'string');
  const indexOf = textual ? new Map(found.map((v, i) => [v as string, i + 1])) : null;
  // A listed rule: a value the list lacks is -1 (JavaScript) or NULL (SQL), never "(no value)".
  const missing = listed ? -1 : 0;
  const lookup = `(SELECT d.idx FROM temp.${dict} d WHERE d.v = ${column})`;
  const noValue = noValuePart(field.name);
  return {
    field,
    expression: listed ? `COALESCE(${lookup}, CASE WHEN ${column} IS NULL OR ${column} = '' THEN 0 END)` : `COALESCE(${lookup}, 0)`,
    ...(indexOf ? { textIndex: (text: string) => indexOf.get(text) ?? (text === '' ? 0 : missing) } : {}),
    radix: found.length + 1,
    partOf: (i) => (i === 0 ? noValue : valuePart(field, found[i - 1]!)),
    listed,
  };
}

/** True when the two rule lists stratify by the same set of fields. */
export function sameFieldSet(a: readonly StratumRule[], b: readonly StratumRule[]): boolean {
  if (a.length !== b.length) return false;
  const ids = new Set(a.map((r) => r.fieldId));
  return b.every((r) => ids.has(r.fieldId));
}

/** True when the two rule lists cut the audience the same way (order of rules and of their keys aside). */
export function sameRules(a: readonly StratumRule[], b: readonly StratumRule[]): boolean {
  if (!sameFieldSet(a, b)) return false;
  const byField = new Map(a.map((r) => [r.fieldId, ruleText(r)]));
  return b.every((r) => byField.get(r.fieldId) === ruleText(r));
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

/** Refuses more strata than a split works with, naming the fields. */
export function checkStrataCount(count: number, fieldNames: readonly string[] = []): void {
  if (count > MAX_STRATA) throw new EngineError('REFUSED', tooManyStrataMessage(count, fieldNames), { strata: count });
}
