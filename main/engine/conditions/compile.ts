/**
 * A condition tree compiled to one SQL predicate over the profile table of a database
 * (aliased `p`), the database's events, segment members, campaign members and the GCG.
 * Table and column names come only from our own integer ids; every value of the condition
 * reaches SQLite as a bound parameter.
 *
 * Meanings (README "Conditions"):
 *  - every leaf is true or false, never unknown: a profile without a value fails every
 *    test but "is empty" (it is neither "= 5" nor "!= 5"), and NOT is the exact complement
 *    (`not (city is "Kazan")` holds the profiles without a city; `city is not "Kazan"` does not);
 *  - relative times count back (or forward) from the project clock: "in last 7 days" is from
 *    the clock minus 7 days to the clock; on a date field, from that day to today's date;
 *  - events after the clock's minute do not exist yet (at <= clock + ":59");
 *  - dates as bounds of a date-time field mean whole days: "before D" is before D's midnight,
 *    "after D" from the next midnight, "between D1 and D2" both days included;
 *  - ages and birthdays count on the clock's date (ageSpan, as stratification does).
 */
import { FIELD_TESTS, isLeaf, type CampaignLeaf, type Condition, type ConditionLeaf, type EventLeaf, type FieldLeaf, type FieldTest, type Ref } from '../../../shared/contract/conditions';
import type { Field } from '../../../shared/contract/databases';
import { EngineError } from '../../../shared/contract/errors';
import { locate, parseCondition, type SourceSpan } from '../../../shared/conditions/parse';
import { printLeaf, TEST_WORDS } from '../../../shared/conditions/print';
import { ageSpan, nextDay, parseDateTime, shiftDate } from '../../../shared/domain/dates';
import type { FieldType } from '../../../shared/domain/profiles';
import { fieldColumn } from '../databases/profile-table';
import { listFields } from '../databases/repository';
import { gcgMembersSql } from '../gcg/membership';
import { sameName } from '../import/mapping';
import { readMeta } from '../project/project-file';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { clockLimit } from '../events/clock';
import { eventsTable } from '../events/table';
import { readIntegers } from '../split/read-profiles';

export interface CompiledCondition {
  /** A predicate over the profile row aliased `p`. */
  readonly sql: string;
  readonly params: SqlValue[];
}

/** Where the condition came from, to name a leaf the database cannot evaluate. */
export interface ConditionSource {
  readonly text: string;
  readonly spans: ReadonlyMap<ConditionLeaf, SourceSpan>;
}

type Column = { readonly sql: string; readonly type: FieldType; readonly field: Field | null };

/** Thrown while compiling one leaf; turned into an EngineError naming the leaf. */
class LeafProblem extends Error {}

const problem = (message: string): never => {
  throw new LeafProblem(message);
};

/** "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]" as stored date-time text, or null when it is not a real one. */
const dateTimeOf = (value: string): string | null => parseDateTime(value, null);
const isDateOnly = (value: string) => value.length === 10;

class Compiler {
  readonly params: SqlValue[] = [];
  private readonly fields: Map<string, Field>;
  private readonly clock: string;
  private readonly today: string;
  private readonly clockEnd: string;

  constructor(
    private readonly db: SqlDb,
    private readonly databaseId: number,
    /** The segments whose conditions are being compiled, outermost first (a cycle guard). */
    private readonly within: number[] = [],
  ) {
    this.fields = new Map(listFields(db, databaseId).map((f) => [f.name.toLowerCase(), f]));
    this.clock = readMeta(db).clock;
    this.today = this.clock.slice(0, 10);
    this.clockEnd = clockLimit(this.clock);
  }

  private bind(value: SqlValue): string {
    this.params.push(value);
    return '?';
  }

  node(node: Condition, source: ConditionSource | undefined): string {
    if (isLeaf(node)) {
      try {
        return this.leaf(node);
      } catch (error) {
        if (error instanceof LeafProblem) throw leafError(node, error.message, source);
        throw error;
      }
    }
    if ('items' in node) return `(${node.items.map((item) => this.node(item, source)).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
    return `(NOT ${this.node(node.item, source)})`;
  }

  private leaf(leaf: ConditionLeaf): string {
    switch (leaf.kind) {
      case 'field':
        return this.field(leaf);
      case 'subscription':
        return `(p.subscription IN (SELECT value FROM json_each(${this.bind(JSON.stringify(leaf.statuses))})))`;
      case 'event':
        return this.event(leaf);
      case 'segment':
        return this.segment(leaf.segment, leaf.in);
      case 'campaign':
        return this.campaign(leaf);
    }
  }

  private column(name: string): Column {
    const field = this.fields.get(name.toLowerCase());
    if (field) return { sql: `p.${fieldColumn(field.id)}`, type: field.type, field };
    if (name.toLowerCase() === 'profile_id') return { sql: 'p.profile_id', type: 'string', field: null };
    return problem(`There is no field "${name}" in this database (it may have been removed or renamed).`);
  }

  private field(leaf: FieldLeaf): string {
    const col = this.column(leaf.field);
    const { test } = leaf;
    const allowed: readonly FieldTest['op'][] = FIELD_TESTS[col.type];
    if (!allowed.includes(test.op)) {
      const kind = `${/^[aeiou]/.test(col.type) ? 'an' : 'a'} ${col.type} field`;
      problem(`"${leaf.field}" is ${kind}; "${TEST_WORDS[test.op]}" is for other fields (${kind} takes: ${allowed.map((op) => TEST_WORDS[op]).join(', ')}).`);
    }
    const c = col.sql;
    switch (test.op) {
      case 'empty':
        return col.type === 'string' || col.type === 'enum' ? `(${c} IS NULL OR ${c} = '')` : `(${c} IS NULL)`;
      case 'notEmpty':
        return col.type === 'string' || col.type === 'enum' ? `(${c} IS NOT NULL AND ${c} <> '')` : `(${c} IS NOT NULL)`;
      case 'eq':
      case 'ne':
        return `IFNULL(${c} ${test.op === 'eq' ? '=' : '<>'} ${this.bind(this.scalar(col, test.value))}, 0)`;
      case 'contains':
        return `IFNULL(instr(${c}, ${this.bind(test.value)}) > 0, 0)`;
      case 'startsWith':
        return `IFNULL(substr(${c}, 1, ${this.bind(test.value.length)}) = ${this.bind(test.value)}, 0)`;
      case 'oneOf':
        return `IFNULL(${c} IN (SELECT value FROM json_each(${this.bind(JSON.stringify(test.values.map((v) => this.scalar(col, v))))})), 0)`;
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge':
        return `IFNULL(${c} ${{ lt: '<', le: '<=', gt: '>', ge: '>=' }[test.op]} ${this.bind(test.value)}, 0)`;
      case 'between': {
        if (col.type === 'number') {
          if (typeof test.from !== 'number' || typeof test.to !== 'number') problem(`"${leaf.field}" is a number field: give numbers, such as between 1 and 10.`);
          return `IFNULL(${c} BETWEEN ${this.bind(test.from)} AND ${this.bind(test.to)}, 0)`;
        }
        const from = this.dateBound(col, test.from, 'start');
        const to = this.dateBound(col, test.to, 'end');
        return `IFNULL(${c} >= ${this.bind(from)} AND ${c} ${to.op} ${this.bind(to.value)}, 0)`;
      }
      case 'before':
        return `IFNULL(${c} < ${this.bind(this.dateBound(col, test.value, 'start'))}, 0)`;
      case 'after': {
        const end = this.dateBound(col, test.value, 'end');
        return `IFNULL(${c} ${end.op === '<' ? '>=' : '>'} ${this.bind(end.value)}, 0)`;
      }
      case 'inLast':
      case 'inNext': {
        const back = test.op === 'inLast';
        const n = back ? -test.n : test.n;
        if (col.type === 'date') {
          const [lo, hi] = back ? [shiftDate(this.today, n, test.unit), this.today] : [this.today, shiftDate(this.today, n, test.unit)];
          return `IFNULL(${c} BETWEEN ${this.bind(lo)} AND ${this.bind(hi)}, 0)`;
        }
        const moved = `${shiftDate(this.today, n, test.unit)}${this.clock.slice(10)}`;
        const [lo, hi] = back ? [`${moved}:00`, this.clockEnd] : [`${this.clock}:00`, `${moved}:59`];
        return `IFNULL(${c} BETWEEN ${this.bind(lo)} AND ${this.bind(hi)}, 0)`;
      }
      case 'ageBetween': {
        if (test.from > test.to) problem(`The ages ${test.from} to ${test.to} are the wrong way round: write age between ${test.to} and ${test.from}.`);
        const span = ageSpan(this.today, test.from, test.to);
        const birth = col.type === 'date' ? c : `substr(${c}, 1, 10)`;
        return `IFNULL(${birth} >= ${this.bind(span.lo)} AND ${birth} < ${this.bind(span.hi)}, 0)`;
      }
      case 'birthdayWithin':
        return `IFNULL(substr(${c}, 6, 5) IN (SELECT value FROM json_each(${this.bind(JSON.stringify(birthdays(this.today, test.days)))})), 0)`;
    }
  }

  /** A value as the field stores it, or the reason it cannot be one. */
  private scalar(col: Column, value: string | number | boolean): SqlValue {
    const name = col.field?.name ?? 'profile_id';
    switch (col.type) {
      case 'number':
        return typeof value === 'number' ? value : problem(`"${name}" is a number field: give a number, not ${JSON.stringify(value)}.`);
      case 'boolean':
        return typeof value === 'boolean' ? (value ? 1 : 0) : problem(`"${name}" is a yes/no field: give yes or no, not ${JSON.stringify(value)}.`);
      case 'date':
        return typeof value === 'string' && isDateOnly(value) && dateTimeOf(value) ? value : problem(`"${name}" is a date field: give a date like 2026-04-10, not ${JSON.stringify(value)}.`);
      case 'enum':
        if (typeof value !== 'string') return problem(`"${name}" is a list field: give one of its values in quotes, not ${JSON.stringify(value)}.`);
        if (!col.field!.enumValues.includes(value)) problem(`"${value}" is not a value of "${name}" (its values: ${col.field!.enumValues.slice(0, 20).join(', ')}).`);
        return value;
      default:
        return typeof value === 'string' ? value : problem(`"${name}" is a text field: give text in quotes, not ${JSON.stringify(value)}.`);
    }
  }

  /**
   * A date bound on a date or date-time column. `start`: the first stored value at or after
   * it; `end`: the comparison that ends at it (a whole day for a date on a date-time field).
   */
  private dateBound(col: Column, value: string | number, side: 'start'): string;
  private dateBound(col: Column, value: string | number, side: 'end'): { op: '<' | '<='; value: string };
  private dateBound(col: Column, value: string | number, side: 'start' | 'end'): string | { op: '<' | '<='; value: string } {
    const name = col.field?.name ?? 'profile_id';
    const stored = typeof value === 'string' ? dateTimeOf(value) : null;
    if (typeof value !== 'string' || stored === null) return problem(`"${name}" is a ${col.type} field: give a date like 2026-04-10, not ${JSON.stringify(value)}.`);
    if (col.type === 'date') {
      if (!isDateOnly(value)) problem(`"${name}" is a date field: give a date without a time, like ${value.slice(0, 10)}.`);
      return side === 'start' ? value : { op: '<=', value };
    }
    if (side === 'start') return stored;
    return isDateOnly(value) ? { op: '<', value: `${nextDay(value)}T00:00:00` } : { op: '<=', value: stored };
  }

  private event(leaf: EventLeaf): string {
    const table = eventsTable(this.databaseId);
    // The window's terms, with their values bound in this order.
    const where: string[] = [];
    const values: SqlValue[] = [];
    const term = (sql: string, value: SqlValue) => {
      where.push(sql);
      values.push(value);
    };
    term('e.type = ?', leaf.type);
    const when = leaf.window;
    if (when.kind === 'last') term('e.at >= ?', `${shiftDate(this.today, -when.n, when.unit)}${this.clock.slice(10)}:00`);
    if (when.kind === 'between') {
      const from = dateTimeOf(when.from);
      const to = dateTimeOf(when.to);
      if (from === null || to === null) problem('Give the dates of the events as real dates, like 2026-04-10.');
      term('e.at >= ?', from);
      if (isDateOnly(when.to)) term('e.at < ?', `${nextDay(when.to)}T00:00:00`);
      else term('e.at <= ?', to);
    }
    // Events after the clock's minute have not happened yet.
    term('e.at <= ?', this.clockEnd);
    if (leaf.atLeast > 1 && !leaf.amount) {
      // "At least k events": the window's events are counted per profile here, not grouped by
      // SQLite (which sorts them: most of the time of a month of purchases).
      const keys = profilesWithAtLeast(this.db, `SELECT e.profile_key FROM ${table} e WHERE ${where.join(' AND ')}`, values, leaf.atLeast);
      return `(p.rowid ${leaf.has ? 'IN' : 'NOT IN'} (SELECT value FROM json_each(${this.bind(JSON.stringify(keys))})))`;
    }
    for (const value of values) this.bind(value);
    const having: string[] = [];
    if (leaf.atLeast > 1) having.push(`COUNT(*) >= ${this.bind(leaf.atLeast)}`);
    if (leaf.amount) having.push(`${leaf.amount.agg === 'sum' ? 'SUM' : 'MAX'}(e.amount) >= ${this.bind(leaf.amount.atLeast)}`);
    const group = having.length === 0 ? '' : ` GROUP BY e.profile_key HAVING ${having.join(' AND ')}`;
    return `(p.rowid ${leaf.has ? 'IN' : 'NOT IN'} (SELECT e.profile_key FROM ${table} e WHERE ${where.join(' AND ')}${group}))`;
  }

  /**
   * Membership of another segment: static and updatable ones by their stored members (an
   * updatable one as of its last recalculation); a dynamic one by its condition, compiled
   * here on the same clock (it is evaluated at each use). A segment never refers to itself,
   * directly or through dynamic segments.
   */
  private segment(ref: Ref, inside: boolean): string {
    const rows = this.db.all<{ id: number; name: string; kind: string; condition: string | null }>('SELECT id, name, kind, condition FROM segments WHERE database_id = ?', [
      this.databaseId,
    ]);
    const found = typeof ref === 'number' ? rows.find((r) => Number(r.id) === ref) : rows.find((r) => sameName(String(r.name), ref));
    if (!found) return problem(`There is no segment ${typeof ref === 'number' ? `#${ref}` : `"${ref}"`} in this database.`);
    const id = Number(found.id);
    const name = String(found.name);
    if (this.within.includes(id)) {
      const chain = [...this.within.slice(this.within.indexOf(id)), id].map((n) => `"${rows.find((r) => Number(r.id) === n)?.name ?? n}"`);
      return problem(`The segment "${name}" refers to itself (${chain.join(' → ')}).`);
    }
    if (String(found.kind) !== 'dynamic') return `(p.rowid ${inside ? 'IN' : 'NOT IN'} (SELECT profile_key FROM segment_members WHERE segment_id = ${this.bind(id)}))`;
    const parsed = readStoredCondition(found.condition, name);
    this.within.push(id);
    try {
      const sql = this.node(parsed.condition, { text: parsed.text, spans: parsed.spans });
      return inside ? sql : `(NOT ${sql})`;
    } catch (error) {
      if (error instanceof EngineError) return problem(`the condition of the dynamic segment "${name}" cannot be evaluated: ${error.message}`);
      throw error;
    } finally {
      this.within.pop();
    }
  }

  private campaign(leaf: CampaignLeaf): string {
    const rows = this.db.all<{ id: number; name: string; database_id: number; segment_id: number; gcg_exempt: number }>(
      'SELECT id, name, database_id, segment_id, gcg_exempt FROM campaigns WHERE deleted_at IS NULL',
    );
    const ref = leaf.campaign;
    const named = typeof ref === 'number' ? rows.filter((r) => Number(r.id) === ref) : rows.filter((r) => sameName(String(r.name), ref));
    const what = typeof ref === 'number' ? `#${ref}` : `"${ref}"`;
    if (named.length === 0) problem(`There is no campaign ${what}.`);
    if (named.length > 1) problem(`${named.length} campaigns are named ${what}: name one by its id, such as in campaign #${named[0]!.id}.`);
    const c = named[0]!;
    if (Number(c.database_id) !== this.databaseId) problem(`The campaign ${what} is on another database.`);
    let members: string;
    if (leaf.group === 'gcg') {
      // The GCG members the campaign holds out: those of its segment, unless it is exempt from the GCG.
      if (Number(c.gcg_exempt) === 1) return leaf.in ? '0' : '1';
      members = `${gcgMembersSql(this.databaseId)} INTERSECT SELECT profile_key FROM segment_members WHERE segment_id = ${this.bind(Number(c.segment_id))}`;
    } else {
      const grp = leaf.group === 'any' ? '' : ` AND grp = '${leaf.group === 'test' ? 'test' : 'control'}'`;
      members = `SELECT profile_key FROM campaign_members WHERE campaign_id = ${this.bind(Number(c.id))}${grp}`;
    }
    return `(p.rowid ${leaf.in ? 'IN' : 'NOT IN'} (${members}))`;
  }
}

/** Keys up to this value are counted in an array indexed by key (a byte each); others, and counts past 255, by sorting. */
const COUNTED_MAX_KEY = 2 ** 26;

/**
 * The profile keys that `events` (SELECT e.profile_key ...) gives at least `atLeast` times,
 * in ascending order. Only integer keys can be profiles' (a file from someone else may hold
 * others); they are read in one pass and counted, in an array indexed by key (profile keys
 * are rowids, 1 to about the number of profiles), or as runs of the sorted keys.
 */
export function profilesWithAtLeast(db: SqlDb, events: string, params: SqlValue[], atLeast: number): number[] {
  const keys = readIntegers(db, `SELECT profile_key FROM (${events}) WHERE typeof(profile_key) = 'integer'`, params);
  let min = 0;
  let max = 0;
  for (const key of keys) {
    if (key < min) min = key;
    if (key > max) max = key;
  }
  const found: number[] = [];
  if (min >= 0 && max <= COUNTED_MAX_KEY && atLeast <= 255) {
    const counts = new Uint8Array(max + 1);
    for (const key of keys) if (counts[key]! < 255) counts[key]! += 1;
    for (let key = 0; key <= max; key += 1) if (counts[key]! >= atLeast) found.push(key);
    return found;
  }
  keys.sort();
  for (let i = 0; i < keys.length; ) {
    let j = i + 1;
    while (j < keys.length && keys[j] === keys[i]) j += 1;
    if (j - i >= atLeast) found.push(keys[i]!);
    i = j;
  }
  return found;
}

/** The month-days ("MM-DD") of the birthdays from today to `days` days later; 29 February counts on 1 March in other years. */
function birthdays(today: string, days: number): string[] {
  const found = new Set<string>();
  let date = today;
  for (let i = 0; i <= days; i += 1) {
    const md = date.slice(5);
    found.add(md);
    if (md === '03-01' && shiftDate(date, -1, 'days').slice(5) !== '02-29') found.add('02-29');
    date = nextDay(date);
  }
  return [...found];
}

function leafError(leaf: ConditionLeaf, message: string, source: ConditionSource | undefined): EngineError {
  const span = source?.spans.get(leaf);
  const text = span ? source!.text.slice(span.start, span.end) : printLeaf(leaf);
  if (!span) return new EngineError('INVALID_ARGUMENT', `The condition "${text}" cannot be evaluated: ${message}`, { leaf: text });
  const at = locate(source!.text, span.start);
  return new EngineError('INVALID_ARGUMENT', `The condition "${text}" (line ${at.line}, column ${at.column}) cannot be evaluated: ${message}`, {
    leaf: text,
    line: at.line,
    column: at.column,
    excerpt: at.excerpt,
  });
}

/**
 * The condition a segment keeps in the project file (canonical text), read again. A file
 * comes from someone else: text that does not read is an error that names the segment.
 */
export function readStoredCondition(text: unknown, segmentName: string): { condition: Condition; text: string; spans: ReadonlyMap<ConditionLeaf, SourceSpan> } {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new EngineError('INVALID_ARGUMENT', `The segment "${segmentName}" has no condition in the project file; it cannot be evaluated.`, { segment: segmentName });
  }
  const parsed = parseCondition(text);
  if (!parsed.ok) {
    const { message, line, column, excerpt } = parsed.error;
    throw new EngineError('INVALID_ARGUMENT', `The condition of the segment "${segmentName}" in the project file does not read at line ${line}, column ${column}: ${message}`, {
      segment: segmentName,
      line,
      column,
      excerpt,
    });
  }
  return { condition: parsed.condition, text, spans: parsed.spans };
}

/**
 * Compiles a condition for the profiles of `databaseId` on the project clock; a leaf that
 * cannot be evaluated is refused (INVALID_ARGUMENT) with its text and, from text, its place.
 */
export function compileCondition(db: SqlDb, databaseId: number, condition: Condition, source?: ConditionSource, segmentId?: number): CompiledCondition {
  const compiler = new Compiler(db, databaseId, segmentId === undefined ? [] : [segmentId]);
  const sql = compiler.node(condition, source);
  return { sql, params: compiler.params };
}
