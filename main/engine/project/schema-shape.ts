/**
 * A database's schema as plain data, read from `sqlite_schema` and SQLite's pragmas, so a
 * project file can be compared object by object with the schema this version creates.
 * Reading runs none of the file's SQL: it reads the catalogue and table definitions only.
 */
import type { SqlDb } from '../sqlite/database';

export type ObjectType = 'table' | 'index' | 'view' | 'trigger';

export interface SchemaObject {
  readonly type: ObjectType;
  readonly name: string;
  /** The table an index or trigger belongs to (the object itself for a table or view). */
  readonly table: string;
  /** The CREATE statement as SQLite keeps it; null for indexes SQLite makes for UNIQUE and PRIMARY KEY. */
  readonly sql: string | null;
}

export interface ColumnShape {
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
  readonly defaultValue: string | null;
  /** Position in the primary key (0: not part of it). */
  readonly pk: number;
  /** 0 ordinary, 2 or 3 generated. */
  readonly hidden: number;
}

export interface IndexShape {
  readonly name: string;
  readonly unique: boolean;
  /** 'c' CREATE INDEX, 'u' UNIQUE constraint, 'pk' PRIMARY KEY. */
  readonly origin: string;
  readonly partial: boolean;
  /** The key columns in order, with their sort order and collation. */
  readonly keys: readonly string[];
}

export interface TableShape {
  readonly columns: readonly ColumnShape[];
  readonly withoutRowid: boolean;
  readonly foreignKeys: readonly string[];
  readonly indexes: readonly IndexShape[];
}

const OBJECT_TYPES: readonly string[] = ['table', 'index', 'view', 'trigger'];

/** Every object of the main schema, in the order SQLite lists them. */
export function readObjects(db: SqlDb): SchemaObject[] {
  return db.all<{ type: string; name: string; tbl_name: string; sql: string | null }>('SELECT type, name, tbl_name, sql FROM main.sqlite_schema').map((row) => {
    const type = String(row.type);
    // SQLite refuses a catalogue row of any other type as a malformed schema; be exact anyway.
    if (!OBJECT_TYPES.includes(type)) throw new Error(`malformed database schema: an object of type "${type}"`);
    return { type: type as ObjectType, name: String(row.name), table: String(row.tbl_name), sql: row.sql === null ? null : String(row.sql) };
  });
}

/** Columns, WITHOUT ROWID, foreign keys and indexes of one table (a real table: never a view or virtual table). */
export function readTableShape(db: SqlDb, table: string): TableShape {
  const columns = db.all('SELECT name, type, "notnull" AS nn, dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid', [table]).map(
    (c): ColumnShape => ({
      name: String(c.name),
      type: String(c.type ?? '').toUpperCase(),
      notNull: Number(c.nn) === 1,
      defaultValue: c.dflt_value === null || c.dflt_value === undefined ? null : String(c.dflt_value),
      pk: Number(c.pk),
      hidden: Number(c.hidden),
    }),
  );
  const withoutRowid = Number(db.scalar("SELECT wr FROM pragma_table_list(?) WHERE schema = 'main'", [table]) ?? 0) === 1;
  const foreignKeys = db
    .all('SELECT id, seq, "table" AS parent, "from" AS child, "to" AS target, on_update, on_delete, "match" AS m FROM pragma_foreign_key_list(?) ORDER BY id, seq', [table])
    .map((k) => [k.id, k.seq, String(k.parent).toLowerCase(), k.child, k.target, k.on_update, k.on_delete, k.m].map(String).join(' '));
  const indexes = db
    .all<{ name: string; unique: number; origin: string; partial: number }>('SELECT name, "unique", origin, partial FROM pragma_index_list(?)', [table])
    .map(
      (i): IndexShape => ({
        name: String(i.name),
        unique: Number(i.unique) === 1,
        origin: String(i.origin),
        partial: Number(i.partial) === 1,
        keys: db
          .all('SELECT seqno, cid, name, "desc" AS d, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno', [String(i.name)])
          .map((k) => `${k.name === null ? `expr(${String(k.cid)})` : String(k.name)} ${Number(k.d) === 1 ? 'DESC' : 'ASC'} ${String(k.coll)}`),
      }),
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { columns, withoutRowid, foreignKeys, indexes };
}

/**
 * A CREATE statement reduced to what SQLite means by it: comments and spacing dropped,
 * names unquoted and lowercased, string literals kept exactly. Two statements with the same
 * canonical form define the same object, whichever tool wrote or renamed them.
 */
export function canonicalSql(sql: string): string {
  const tokens: string[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      let text = '';
      while (j < sql.length) {
        if (sql[j] === close && close !== ']' && sql[j + 1] === close) {
          text += close;
          j += 2;
        } else if (sql[j] === close) {
          break;
        } else {
          text += sql[j];
          j += 1;
        }
      }
      // A quoted name means the same as the bare name; a string literal keeps its case.
      tokens.push(c === "'" ? `'${text.replace(/'/g, "''")}'` : text.toLowerCase());
      i = j + 1;
    } else if (/[A-Za-z0-9_$\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_$.\u0080-\uffff]/.test(sql[j]!)) j += 1;
      tokens.push(sql.slice(i, j).toLowerCase());
      i = j;
    } else {
      const two = sql.slice(i, i + 2);
      const operator = ['<=', '>=', '<>', '!=', '==', '||', '<<', '>>', '->'].includes(two) ? two : c;
      tokens.push(operator);
      i += operator.length;
    }
  }
  return tokens.join(' ');
}

/** An SQL identifier, quoted (names in a foreign file can hold anything). */
export function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
