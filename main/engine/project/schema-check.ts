/**
 * Compares a project file's schema, object by object, with the one this version of
 * Campaign Planner creates for the file's format version: the tables and indexes of the
 * migrations up to that version, and a profile table (with its unique ID index) per row of
 * `databases`, shaped by its `fields` rows, with (from format 7) its events tables in the
 * layout of the file's format version (createEventsTableOfVersion). Anything
 * else (a trigger, a view, an unknown table or index, a changed definition, a missing
 * index) is a finding: a file comes from
 * someone else, and SQL it carries must never run here. Findings that can be removed
 * without losing project data say how.
 *
 * Objects are compared by their CREATE statements reduced to what SQLite means by them
 * (schema-shape.ts), which covers every clause (CHECK, DEFAULT, COLLATE, generated columns,
 * index expressions); SQLite's pragmas are read only to say what differs.
 */
import type { SqlJsStatic } from 'sql.js';
import { FIELD_TYPES, type FieldType } from '../../../shared/domain/profiles';
import { addFieldColumn, createProfileTable, profileTable } from '../databases/profile-table';
import { SqlDb } from '../sqlite/database';
import { fileText } from '../sqlite/stored-values';
import { MIGRATIONS, createEventsTableOfVersion, migrate } from './schema';
import { canonicalSql, quoteName, readObjects, readTableShape, type SchemaObject, type TableShape } from './schema-shape';

/** What cleaning does about a finding: drop the object, or create an index as this version does. */
export type Fix = { readonly drop: 'trigger' | 'view' | 'index' | 'table'; readonly name: string } | { readonly create: string };

export interface Finding {
  /** What was found, for the user: 'a trigger "wipe" on segments'. */
  readonly text: string;
  /** How a cleaned copy deals with it; null when it cannot be cleaned (data would be lost or made up). */
  readonly fixes: readonly Fix[] | null;
  /** What the cleaned copy did, for the user: 'removed a trigger "wipe" on segments'. */
  readonly fixed: string;
}

interface ExpectedObject extends SchemaObject {
  readonly canonical: string | null;
  /** The database the object was built in, to read its shape when a file's differs. */
  readonly source: SqlDb;
}

/** ANALYZE's statistics; SQLite's AUTOINCREMENT counters are `sqlite_sequence`. */
export const SQLITE_STATISTICS = /^sqlite_stat[1-4]$/;
const SQLITE_SEQUENCE = 'sqlite_sequence';
const PROFILE_TABLE = /^profiles_(\d+)$/i;
/** The tables a database's rows call for: its profiles and (from format 7) its events (one table, two from format 9). */
const DATABASE_TABLE = /^(profiles|events)_(\d+)(?:_by_profile)?$/i;

const key = (name: string) => name.toLowerCase();

const shown = (text: unknown) => fileText(text, 80);
const q = (text: unknown) => `"${shown(text)}"`;
const isOrdinaryTable = (object: SchemaObject | undefined) =>
  object?.type === 'table' && object.sql !== null && canonicalSql(object.sql).startsWith('create table ');

/** The objects of a database, by lowercased name; triggers have a namespace of their own, so they are kept apart. */
function objectsOf(db: SqlDb): Map<string, ExpectedObject> {
  const objects = new Map<string, ExpectedObject>();
  for (const object of readObjects(db)) {
    if (object.type !== 'trigger') objects.set(key(object.name), { ...object, canonical: object.sql === null ? null : canonicalSql(object.sql), source: db });
  }
  return objects;
}

/**
 * The schema that migrations 1..version create, built once per version and thread; the
 * database stays open (a few pages in memory) to read shapes from when a file differs.
 */
const migratedSchemas = new Map<number, Map<string, ExpectedObject>>();
function migratedSchema(sql: SqlJsStatic, version: number): Map<string, ExpectedObject> {
  let objects = migratedSchemas.get(version);
  if (!objects) {
    const db = SqlDb.create(sql);
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= version),
    );
    objects = objectsOf(db);
    migratedSchemas.set(version, objects);
  }
  return objects;
}

interface ProfileDatabase {
  readonly id: number;
  readonly name: string;
  readonly fields: { readonly id: number; readonly type: FieldType }[];
}

const unfixable = (text: string): Finding => ({ text, fixes: null, fixed: '' });

/** Reads `databases` and `fields`; rows no profile table can be built from are findings. */
function readProfileDatabases(file: SqlDb, withFields: boolean, findings: Finding[]): ProfileDatabase[] {
  const databases = file.all('SELECT id, name FROM databases ORDER BY id').map((d) => ({ id: Number(d.id), name: String(d.name), fields: [] as ProfileDatabase['fields'] }));
  const usable = databases.filter((d) => {
    if (Number.isSafeInteger(d.id) && d.id > 0) return true;
    findings.push(unfixable(`the database ${q(d.name)} has an impossible id (${d.id})`));
    return false;
  });
  if (!withFields) return usable;
  const byId = new Map(usable.map((d) => [d.id, d]));
  for (const f of file.all('SELECT id, database_id, type FROM fields ORDER BY id')) {
    const database = byId.get(Number(f.database_id));
    if (!database) continue; // a field of no database: no table has its column, and nothing shows it
    const id = Number(f.id);
    const type = String(f.type);
    if (!Number.isSafeInteger(id) || id <= 0 || !(FIELD_TYPES as readonly string[]).includes(type)) {
      findings.push(unfixable(`a field of the database ${q(database.name)} has an impossible id or type (${id}, ${q(type)})`));
      continue;
    }
    database.fields.push({ id, type: type as FieldType });
  }
  return usable;
}

/**
 * Builds, in `scratch`, the profile tables the file's `databases` and `fields` rows call
 * for, with the code that builds them in the app; columns come in the file's order (which
 * only the history of adding and removing fields decides).
 */
function buildProfileTables(scratch: SqlDb, file: SqlDb, databases: readonly ProfileDatabase[], fileObjects: ReadonlyMap<string, SchemaObject>, version: number): void {
  for (const database of databases) {
    createProfileTable(scratch, database.id);
    createEventsTableOfVersion(scratch, database.id, version);
    const table = profileTable(database.id);
    const order = new Map(isOrdinaryTable(fileObjects.get(table)) ? file.columnNames(`SELECT * FROM ${quoteName(table)}`).map((c, i) => [c, i]) : []);
    const place = (fieldId: number) => order.get(`f_${fieldId}`) ?? Number.MAX_SAFE_INTEGER;
    for (const field of [...database.fields].sort((a, b) => place(a.id) - place(b.id) || a.id - b.id)) {
      addFieldColumn(scratch, database.id, field.id, field.type);
    }
  }
}

/** Where a table's rows belong, in the user's words. */
function tableLabel(name: string, databases: readonly ProfileDatabase[]): string {
  const match = DATABASE_TABLE.exec(name);
  const database = match ? databases.find((d) => d.id === Number(match[2])) : undefined;
  const what = match?.[1]?.toLowerCase() === 'events' ? 'events table' : 'profile table';
  return database ? `the ${what} of the database ${q(database.name)} (${name})` : `the table ${q(name)}`;
}

/** Says how a table's definition differs from the expected one, most specific first. */
function tableDifference(expected: TableShape, actual: TableShape): string {
  const found = new Map(actual.columns.map((c) => [key(c.name), c]));
  const wanted = new Set(expected.columns.map((c) => key(c.name)));
  for (const column of expected.columns) {
    const other = found.get(key(column.name));
    const it = `its column ${q(column.name)}`;
    if (!other) return `${it} is missing`;
    if (other.type !== column.type) return `${it} is ${other.type || 'untyped'} instead of ${column.type || 'untyped'}`;
    if (other.hidden !== column.hidden) return `${it} is computed from an expression`;
    if (other.notNull !== column.notNull) return `${it} ${column.notNull ? 'accepts' : 'refuses'} empty values`;
    if (other.defaultValue !== column.defaultValue) return `${it} has another default value`;
    if (other.pk !== column.pk) return `${it} has another place in the primary key`;
  }
  const extra = actual.columns.find((c) => !wanted.has(key(c.name)));
  if (extra) return `it has an unknown column ${q(extra.name)}`;
  if (expected.withoutRowid !== actual.withoutRowid) return 'it is stored another way (WITHOUT ROWID)';
  if (expected.foreignKeys.join('|') !== actual.foreignKeys.join('|')) return 'its references to other tables differ';
  const constraints = (s: TableShape) => s.indexes.filter((i) => i.origin !== 'c').map((i) => `${i.origin} ${i.unique} ${i.partial} ${i.keys.join(',')}`);
  if (constraints(expected).join('|') !== constraints(actual).join('|')) return 'its UNIQUE or PRIMARY KEY constraints differ';
  return 'its constraints differ (CHECK, COLLATE or other clauses)';
}

export interface Comparison {
  /** What the file holds that this version does not create, or lacks beyond repair. */
  readonly findings: Finding[];
  /**
   * Indexes of ours that are missing and can be built as this version builds them (no
   * repeated values where they must be unique): built on opening, like a migration. Version
   * 0.1.0 saved a database filled by its first import without its unique ID index.
   */
  readonly repairs: Fix[];
}

/**
 * Every difference between the file's schema and the one this version creates for the
 * file's format version. No findings and no repairs: the file holds only our own objects.
 */
export function compareSchema(sql: SqlJsStatic, file: SqlDb, version: number): Comparison {
  const scratch = SqlDb.create(sql);
  try {
    return compareWith(scratch, sql, file, version);
  } finally {
    scratch.close();
  }
}

function compareWith(scratch: SqlDb, sql: SqlJsStatic, file: SqlDb, version: number): Comparison {
  const findings: Finding[] = [];
  const repairs: Fix[] = [];
  const expected = new Map(migratedSchema(sql, version));
  const fileObjects = objectsOf(file);
  const sameTable = (name: string) => isOrdinaryTable(fileObjects.get(name)) && fileObjects.get(name)?.canonical === expected.get(name)?.canonical;
  // The profile tables are known only once `databases` and `fields` are known to be ours.
  const withFields = expected.has('fields');
  const profilesKnown = sameTable('databases') && (!withFields || sameTable('fields'));
  const databases = profilesKnown ? readProfileDatabases(file, withFields, findings) : [];
  buildProfileTables(scratch, file, databases, fileObjects, version);
  for (const [name, object] of objectsOf(scratch)) expected.set(name, object);
  const label = (name: string) => tableLabel(name, databases);

  for (const [name, wanted] of expected) {
    const actual = fileObjects.get(name);
    if (wanted.type === 'table') {
      if (!actual) findings.push(unfixable(`${label(wanted.name)} is missing`));
      else if (actual.type === 'view') findings.push(unfixable(`a view ${q(actual.name)} stands where ${label(wanted.name)} belongs`));
      else if (!isOrdinaryTable(actual)) findings.push(unfixable(`${label(wanted.name)} is not an ordinary table`));
      else if (actual.canonical !== wanted.canonical) {
        const difference = tableDifference(readTableShape(wanted.source, wanted.name), readTableShape(file, actual.name));
        findings.push(unfixable(`${label(wanted.name)} differs from the one Campaign Planner makes: ${difference}`));
      }
    } else if (wanted.type === 'index' && wanted.sql !== null && sameTable(key(wanted.table))) {
      // An index of a missing or changed table is covered by that table's finding.
      const result = indexFinding(file, wanted, actual, label);
      if (Array.isArray(result)) findings.push(...result);
      else repairs.push(result);
    }
  }

  for (const object of readObjects(file)) {
    const name = key(object.name);
    const wanted = object.type === 'trigger' ? undefined : expected.get(name);
    if (wanted) continue; // compared above
    if (object.type === 'table' && (name === SQLITE_SEQUENCE || SQLITE_STATISTICS.test(name))) continue;
    // Not checkable until `databases` is ours; its own finding says why.
    if (!profilesKnown && (DATABASE_TABLE.test(name) || DATABASE_TABLE.test(object.table))) continue;
    if (object.type === 'index' && object.sql === null) continue; // part of its table's definition
    if (object.type === 'trigger') findings.push(droppable('trigger', object, `a trigger ${q(object.name)} on ${shown(object.table)}`));
    else if (object.type === 'view') findings.push(droppable('view', object, `a view ${q(object.name)}`));
    else if (object.type === 'index') findings.push(droppable('index', object, `an unknown index ${q(object.name)} on ${shown(object.table)}`));
    else if (name.startsWith('sqlite_') || !isOrdinaryTable(object)) findings.push(unfixable(`an unknown table ${q(object.name)} of a kind that cannot be removed safely`));
    else findings.push(droppable('table', object, `an unknown table ${q(object.name)}`));
  }
  return { findings, repairs };
}

function droppable(type: 'trigger' | 'view' | 'index' | 'table', object: SchemaObject, text: string): Finding {
  return { text, fixes: [{ drop: type, name: object.name }], fixed: `removed ${text}` };
}

/**
 * A missing or changed index of ours. Missing: a repair (the Fix returned), unless a unique
 * one would refuse the rows. Changed: a finding, cleaned by building it again.
 */
function indexFinding(file: SqlDb, wanted: ExpectedObject, actual: ExpectedObject | undefined, label: (name: string) => string): Finding[] | Fix {
  if (actual?.type === 'index' && actual.canonical === wanted.canonical) return [];
  const unique = wanted.canonical?.startsWith('create unique index ') === true;
  const value = PROFILE_TABLE.test(wanted.table) ? 'profile ID' : 'value';
  const what = `the index ${q(wanted.name)} of ${label(wanted.table)}${unique ? `, which keeps ${value}s unique,` : ''}`;
  if (actual && actual.type !== 'index') {
    const text = `a ${actual.type} ${q(actual.name)} stands where ${what.replace(/,$/, '')} belongs`;
    return [actual.type === 'view' ? { text, fixes: [{ drop: 'view', name: actual.name }, { create: wanted.sql! }], fixed: `removed ${text}` } : unfixable(text)];
  }
  const text = actual ? `${what} differs from the one Campaign Planner makes` : `${what} is missing`;
  if (unique) {
    const columns = wanted.source.all('SELECT name FROM pragma_index_info(?) ORDER BY seqno', [wanted.name]).map((c) => String(c.name));
    const dup = duplicates(file, wanted.table, columns);
    if (dup.count > 0) {
      const many = dup.count === 1 ? `1 ${value} appears` : `${dup.count} ${value}s appear`;
      return [unfixable(`${text}, and ${many} more than once (such as ${dup.examples.join(', ')})`)];
    }
  }
  if (!actual) return { create: wanted.sql! };
  return [{ text, fixes: [{ drop: 'index', name: actual.name }, { create: wanted.sql! }], fixed: `rebuilt ${what.replace(/,$/, '')}` }];
}

/** Keys that a unique index would refuse: how many, and up to 3 examples. */
function duplicates(file: SqlDb, table: string, columns: readonly string[]): { count: number; examples: string[] } {
  const list = columns.map(quoteName).join(', ');
  const repeated = `SELECT ${list} FROM ${quoteName(table)} GROUP BY ${list} HAVING COUNT(*) > 1`;
  const count = Number(file.scalar(`SELECT COUNT(*) FROM (${repeated})`) ?? 0);
  const examples = count === 0 ? [] : file.all(`${repeated} ORDER BY ${list} LIMIT 3`).map((row) => Object.values(row).map(q).join(' / '));
  return { count, examples };
}

/**
 * Applies the fixes of cleanable findings in one transaction: triggers and views first,
 * then indexes and tables, then our own indexes. Foreign keys are off meanwhile: dropping
 * an unknown table must not depend on the order of other unknown tables that refer to it
 * (none of ours can: their definitions were compared).
 */
export function applyFixes(file: SqlDb, fixes: readonly Fix[]): void {
  const rank = (fix: Fix) => ('create' in fix ? 4 : ['trigger', 'view', 'index', 'table'].indexOf(fix.drop));
  const ordered = [...fixes].sort((a, b) => rank(a) - rank(b));
  file.exec('PRAGMA foreign_keys = OFF');
  try {
    file.transaction(() => {
      for (const fix of ordered) file.exec('create' in fix ? fix.create : `DROP ${fix.drop.toUpperCase()} IF EXISTS ${quoteName(fix.name)}`);
    });
  } finally {
    file.exec('PRAGMA foreign_keys = ON');
  }
}

/** ANALYZE's statistics steer SQLite's query planner; this app never makes them, so a file's are dropped. */
export function dropStatistics(file: SqlDb): void {
  for (const object of readObjects(file)) {
    if (object.type === 'table' && SQLITE_STATISTICS.test(object.name)) file.exec(`DROP TABLE ${quoteName(object.name)}`);
  }
}
