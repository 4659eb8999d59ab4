/**
 * Compares a project file's schema, object by object, with the one this version of
 * Campaign Planner creates for the file's format version: the tables of the migrations up
 * to that version, and a profile table per row of `databases` shaped by its `fields` rows.
 * Anything else (a trigger, a view, an unknown table or index, a changed definition, a
 * missing index) is a finding: a file comes from someone else, and SQL it carries must
 * never run here. Findings that can be removed without losing project data say how.
 */
import type { SqlJsStatic } from 'sql.js';
import { FIELD_TYPES, type FieldType } from '../../../shared/domain/profiles';
import { addFieldColumn, createProfileTable, profileTable } from '../databases/profile-table';
import { SqlDb } from '../sqlite/database';
import { MIGRATIONS, migrate } from './schema';
import { canonicalSql, quoteName, readObjects, readTableShape, type SchemaObject, type TableShape } from './schema-shape';

/** What cleaning does about a finding: drop the object, or create an index as this version does. */
export type Fix = { readonly drop: 'trigger' | 'view' | 'index' | 'table'; readonly name: string } | { readonly create: string };

export interface Finding {
  /** What was found, for the user: 'a trigger "wipe" on segments'. */
  readonly text: string;
  /** How a cleaned copy deals with it, in order; null when it cannot be cleaned (data would be lost or made up). */
  readonly fixes: readonly Fix[] | null;
  /** What the cleaned copy did, for the user: 'removed a trigger "wipe" on segments'. */
  readonly fixed: string;
}

interface Expected {
  readonly objects: ReadonlyMap<string, SchemaObject & { readonly canonical: string | null }>;
  readonly shapes: ReadonlyMap<string, TableShape>;
}

/** Tables SQLite makes by itself (AUTOINCREMENT's counters, ANALYZE's statistics). */
const SQLITE_SEQUENCE = 'sqlite_sequence';
export const SQLITE_STATISTICS = /^sqlite_stat[1-4]$/;

const key = (name: string) => name.toLowerCase();
const PROFILE_TABLE = /^profiles_(\d+)$/i;

const references = new Map<number, Expected>();

/** The schema that migrations 1..version create, read once per version and thread. */
function migratedSchema(sql: SqlJsStatic, version: number): Expected {
  const cached = references.get(version);
  if (cached) return cached;
  const db = SqlDb.create(sql);
  try {
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= version),
    );
    const expected = describe(db, () => true);
    references.set(version, expected);
    return expected;
  } finally {
    db.close();
  }
}

function describe(db: SqlDb, include: (o: SchemaObject) => boolean): Expected {
  const objects = new Map<string, SchemaObject & { canonical: string | null }>();
  const shapes = new Map<string, TableShape>();
  for (const object of readObjects(db)) {
    if (!include(object)) continue;
    objects.set(key(object.name), { ...object, canonical: object.sql === null ? null : canonicalSql(object.sql) });
    if (object.type === 'table') shapes.set(key(object.name), readTableShape(db, object.name));
  }
  return { objects, shapes };
}

interface ProfileDatabase {
  readonly id: number;
  readonly name: string;
  readonly fields: { readonly id: number; readonly type: FieldType }[];
}

/**
 * The profile tables the file's own `databases` and `fields` rows call for, built by the
 * code that builds them in the app (with the file's column order, which only history decides).
 */
function profileSchema(sql: SqlJsStatic, file: SqlDb, databases: readonly ProfileDatabase[], fileTables: ReadonlySet<string>): Expected {
  const db = SqlDb.create(sql);
  try {
    for (const database of databases) {
      createProfileTable(db, database.id);
      const table = profileTable(database.id);
      const order = new Map(fileTables.has(table) ? readTableShape(file, table).columns.map((c, i) => [c.name, i]) : []);
      const fields = [...database.fields].sort((a, b) => (order.get(`f_${a.id}`) ?? Infinity) - (order.get(`f_${b.id}`) ?? Infinity) || a.id - b.id);
      for (const field of fields) addFieldColumn(db, database.id, field.id, field.type);
    }
    return describe(db, () => true);
  } finally {
    db.close();
  }
}

/** Reads `databases` and `fields`; rows that no profile table can be built from are findings. */
function readProfileDatabases(file: SqlDb, withFields: boolean, findings: Finding[]): ProfileDatabase[] {
  const databases = file.all('SELECT id, name FROM databases ORDER BY id').map((d) => ({ id: Number(d.id), name: String(d.name), fields: [] as ProfileDatabase['fields'] }));
  const byId = new Map(databases.map((d) => [d.id, d]));
  const usable = databases.filter((d) => {
    if (Number.isSafeInteger(d.id) && d.id > 0) return true;
    findings.push(unfixable(`the database "${d.name}" has an impossible id (${d.id})`));
    return false;
  });
  if (!withFields) return usable;
  for (const f of file.all('SELECT id, database_id, type FROM fields ORDER BY id')) {
    const database = byId.get(Number(f.database_id));
    if (!database) continue; // a field of no database: nothing is built for it, and nothing shows it
    const id = Number(f.id);
    const type = String(f.type);
    if (!Number.isSafeInteger(id) || id <= 0 || !(FIELD_TYPES as readonly string[]).includes(type)) {
      findings.push(unfixable(`a field of the database "${database.name}" has an impossible id or type (${id}, "${type}")`));
      continue;
    }
    database.fields.push({ id, type: type as FieldType });
  }
  return usable;
}

const unfixable = (text: string): Finding => ({ text, fixes: null, fixed: '' });

/** Where a table's rows belong, in the user's words. */
function tableLabel(name: string, databases: readonly ProfileDatabase[]): string {
  const match = PROFILE_TABLE.exec(name);
  const database = match ? databases.find((d) => d.id === Number(match[1])) : undefined;
  return database ? `the profile table of the database "${database.name}" (${name})` : `the table "${name}"`;
}

/** Says how a table's definition differs from the expected one, most specific first. */
function tableDifference(expected: TableShape, actual: TableShape): string {
  const found = new Map(actual.columns.map((c) => [key(c.name), c]));
  const wanted = new Map(expected.columns.map((c) => [key(c.name), c]));
  for (const column of expected.columns) {
    const other = found.get(key(column.name));
    if (!other) return `its column "${column.name}" is missing`;
    if (other.type !== column.type) return `its column "${column.name}" is ${other.type || 'untyped'} instead of ${column.type || 'untyped'}`;
    if (other.hidden !== column.hidden) return `its column "${column.name}" is computed from an expression`;
    if (other.notNull !== column.notNull) return `its column "${column.name}" ${column.notNull ? 'accepts' : 'refuses'} empty values`;
    if (other.defaultValue !== column.defaultValue) return `its column "${column.name}" has another default value`;
    if (other.pk !== column.pk) return `its column "${column.name}" has another place in the primary key`;
  }
  const extra = actual.columns.find((c) => !wanted.has(key(c.name)));
  if (extra) return `it has an unknown column "${extra.name}"`;
  if (expected.withoutRowid !== actual.withoutRowid) return 'it is stored another way (WITHOUT ROWID)';
  if (expected.foreignKeys.join('|') !== actual.foreignKeys.join('|')) return 'its references to other tables differ';
  const constraintIndexes = (s: TableShape) => s.indexes.filter((i) => i.origin !== 'c').map((i) => `${i.origin} ${i.unique} ${i.partial} ${i.keys.join(',')}`);
  if (constraintIndexes(expected).join('|') !== constraintIndexes(actual).join('|')) return 'its UNIQUE or PRIMARY KEY constraints differ';
  return 'its constraints differ (CHECK, COLLATE or other clauses)';
}

/** Profile IDs (or other keys) that a unique index would refuse: up to 3 examples and the count. */
function duplicates(file: SqlDb, table: string, columns: readonly string[]): { count: number; examples: string[] } {
  const list = columns.map(quoteName).join(', ');
  const count = Number(file.scalar(`SELECT COUNT(*) FROM (SELECT 1 FROM ${quoteName(table)} GROUP BY ${list} HAVING COUNT(*) > 1)`) ?? 0);
  if (count === 0) return { count, examples: [] };
  const examples = file
    .all(`SELECT ${list} FROM ${quoteName(table)} GROUP BY ${list} HAVING COUNT(*) > 1 ORDER BY ${list} LIMIT 3`)
    .map((row) => Object.values(row).map((v) => `"${String(v)}"`).join(' / '));
  return { count, examples };
}

/**
 * Every difference between the file's schema and the one this version creates for the
 * file's format version. An empty list means the file holds only our own objects.
 */
export function compareSchema(sql: SqlJsStatic, file: SqlDb, version: number): Finding[] {
  const findings: Finding[] = [];
  const migrated = migratedSchema(sql, version);
  const objects = readObjects(file);
  // Triggers have a namespace of their own: a trigger may share a table's name.
  const byName = new Map(objects.filter((o) => o.type !== 'trigger').map((o) => [key(o.name), o]));
  const fileTables = new Set(objects.filter((o) => o.type === 'table').map((o) => key(o.name)));
  const expected = new Map(migrated.objects);
  const sameTable = (name: string) => {
    const object = byName.get(name);
    return object?.type === 'table' && object.sql !== null && expected.get(name)?.canonical === canonicalSql(object.sql);
  };
  // The profile tables are known only once `databases` and `fields` are known to be ours.
  const profilesKnown = sameTable('databases') && (!migrated.objects.has('fields') || sameTable('fields'));
  const databases = profilesKnown ? readProfileDatabases(file, migrated.objects.has('fields'), findings) : [];
  const profiles = profileSchema(sql, file, databases, fileTables);
  for (const [name, object] of profiles.objects) expected.set(name, object);
  const shapes = new Map([...migrated.shapes, ...profiles.shapes]);
  const label = (name: string) => tableLabel(name, databases);

  for (const [name, wanted] of expected) {
    const actual = byName.get(name);
    if (wanted.type === 'table') {
      if (!actual) findings.push(unfixable(`${label(wanted.name)} is missing`));
      else if (actual.type === 'view') findings.push(unfixable(`a view "${actual.name}" stands where ${label(wanted.name)} belongs`));
      else if (actual.type !== 'table' || actual.sql === null || !/^create table /.test(canonicalSql(actual.sql))) {
        findings.push(unfixable(`${label(wanted.name)} is not an ordinary table`));
      } else if (canonicalSql(actual.sql) !== wanted.canonical) {
        findings.push(unfixable(`${label(wanted.name)} differs from the one Campaign Planner makes: ${tableDifference(shapes.get(name)!, readTableShape(file, actual.name))}`));
      }
    } else if (wanted.type === 'index' && wanted.sql !== null && sameTable(key(wanted.table))) {
      // An index of a table that is missing or changed is covered by that table's finding.
      findings.push(...indexFinding(file, wanted, actual, shapes.get(key(wanted.table)), label));
    }
  }

  for (const object of objects) {
    const name = key(object.name);
    const wanted = expected.get(name);
    if (wanted && wanted.type === object.type) continue;
    if (object.type === 'table' && (name === SQLITE_SEQUENCE || SQLITE_STATISTICS.test(name))) continue;
    if (!profilesKnown && PROFILE_TABLE.test(name)) continue; // not checkable until `databases` is ours
    if (object.type === 'index' && object.sql === null) continue; // belongs to its table's definition, compared above
    if (wanted?.type === 'table' && object.type === 'view') continue; // reported above
    if (object.type === 'trigger') {
      findings.push(droppable('trigger', object, `a trigger "${object.name}" on ${object.table}`));
    } else if (object.type === 'view') {
      findings.push(droppable('view', object, `a view "${object.name}"`));
    } else if (object.type === 'index') {
      if (!profilesKnown && PROFILE_TABLE.test(object.table)) continue;
      findings.push(droppable('index', object, `an unknown index "${object.name}" on ${object.table}`));
    } else if (name.startsWith('sqlite_') || (object.sql !== null && !/^create table /.test(canonicalSql(object.sql)))) {
      findings.push(unfixable(`an unknown table "${object.name}" of a kind that cannot be removed safely`));
    } else {
      findings.push(droppable('table', object, `an unknown table "${object.name}"`));
    }
  }
  return findings;
}

function droppable(type: 'trigger' | 'view' | 'index' | 'table', object: SchemaObject, text: string): Finding {
  return { text, fixes: [{ drop: type, name: object.name }], fixed: `removed ${text}` };
}

/** A missing or changed index of ours: rebuilt in a cleaned copy, unless a unique one would refuse the rows. */
function indexFinding(
  file: SqlDb,
  wanted: SchemaObject,
  actual: SchemaObject | undefined,
  tableShape: TableShape | undefined,
  label: (name: string) => string,
): Finding[] {
  if (actual?.type === 'index' && actual.sql !== null && canonicalSql(actual.sql) === canonicalSql(wanted.sql!)) return [];
  const shape = tableShape?.indexes.find((i) => key(i.name) === key(wanted.name));
  const value = PROFILE_TABLE.test(wanted.table) ? 'profile ID' : 'value';
  const values = `${value}s`;
  const what = `the index "${wanted.name}" of ${label(wanted.table)}${shape?.unique ? `, which keeps ${values} unique,` : ''}`;
  const text = actual?.type === 'index' ? `${what} differs from the one Campaign Planner makes` : `${what} is missing`;
  if (shape?.unique) {
    const dup = duplicates(file, wanted.table, shape.keys.map((k) => k.split(' ')[0]!));
    if (dup.count > 0) {
      const many = dup.count === 1 ? `1 ${value} appears` : `${dup.count} ${values} appear`;
      return [unfixable(`${text}, and ${many} more than once (such as ${dup.examples.join(', ')})`)];
    }
  }
  const fixes: Fix[] = actual ? [{ drop: 'index', name: actual.name }, { create: wanted.sql! }] : [{ create: wanted.sql! }];
  return [{ text, fixes, fixed: `rebuilt ${what.replace(/,$/, '')}` }];
}

/**
 * Applies the fixes of cleanable findings, in one transaction: triggers and views first,
 * then indexes and tables, then our own indexes. Foreign keys are off meanwhile: dropping
 * an unknown table must not depend on the order of other unknown tables that refer to it
 * (none of ours can: their definitions were compared).
 */
export function applyFixes(file: SqlDb, findings: readonly Finding[]): void {
  const fixes = findings.flatMap((f) => f.fixes ?? []);
  const rank = (fix: Fix) => ('create' in fix ? 5 : ['trigger', 'view', 'index', 'table'].indexOf(fix.drop));
  file.exec('PRAGMA foreign_keys = OFF');
  try {
    file.transaction(() => {
      for (const fix of [...fixes].sort((a, b) => rank(a) - rank(b))) {
        file.exec('create' in fix ? fix.create : `DROP ${fix.drop.toUpperCase()} IF EXISTS ${quoteName(fix.name)}`);
      }
    });
  } finally {
    file.exec('PRAGMA foreign_keys = ON');
  }
}

/** ANALYZE's statistics steer SQLite's query planner; this app never makes them, so a file's are not trusted. */
export function dropStatistics(file: SqlDb): void {
  for (const object of readObjects(file)) {
    if (object.type === 'table' && SQLITE_STATISTICS.test(object.name)) file.exec(`DROP TABLE ${quoteName(object.name)}`);
  }
}
