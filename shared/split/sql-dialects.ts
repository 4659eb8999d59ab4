/**
 * The SQL dialects the warehouse query is written for (warehouse-sql.ts): how each one
 * spells what the split needs. Each entry names the vendor's own function, because the
 * traps are real (STATS.md 1.6): PostgreSQL's SUM(bigint) is numeric, so `/` would not
 * truncate; DuckDB's `/` is float division; Snowflake's `/` gives a decimal; BigQuery,
 * Spark, Snowflake and ClickHouse read a backslash in a string literal as an escape; text
 * order must be the order of UTF-8 bytes (PostgreSQL: COLLATE "C").
 *
 * Everything here is pure text building; the query that uses it is tested on SQLite,
 * PostgreSQL and DuckDB, and pinned by golden files for the other four.
 */
import type { SqlDialect } from '../contract/warehouse';

export interface Dialect {
  readonly name: SqlDialect;
  /** One identifier (a column, or one part of a table name), quoted as the dialect needs. */
  ident(name: string): string;
  /** A string literal holding exactly `text`. */
  str(text: string): string;
  /** Any value as text. */
  toText(x: string): string;
  /** Text as a double, NULL for NULL or empty text (tolerates numeric and text columns). */
  toDouble(x: string): string;
  /** A whole number as a 64-bit integer. */
  toBigint(x: string): string;
  /** A double literal equal to the JavaScript number `n`. */
  double(n: number): string;
  /** The lowercase hex md5 of a text's UTF-8 bytes. */
  md5(x: string): string;
  /** Concatenation; with `indent`, one part a line. */
  concat(parts: readonly string[], indent?: string): string;
  /** Integer division and remainder of non-negative whole numbers. */
  div(a: string, b: string): string;
  mod(a: string, b: string): string;
  /** A text ordered (and compared) by its UTF-8 bytes. */
  bytes(x: string): string;
  /** The character with this code point (for JSON escapes of control characters). */
  chr(code: number): string;
  trim(x: string): string;
  nullIf(x: string, y: string): string;
  substr(x: string, from: number, length: number): string;
  replace(x: string, from: string, to: string): string;
  /**
   * True when a text may hold a character JSON escapes (a quote, a backslash, a control
   * character), so the chain of replacements runs only on those values: a third of the
   * query's time on DuckDB without it. A superset is fine; absent, every value is escaped.
   * Only the dialects the test suite runs have it.
   */
  readonly mayNeedJsonEscape?: (x: string) => string;
  /** A double as JavaScript's String(n) prints it, for whole numbers below 10^18: "42", not "42.0". */
  numberText(v: string): string;
  /** What the user must know about this dialect, for the query's comments. */
  readonly notes: readonly string[];
}

const hex2 = (code: number) => code.toString(16).padStart(2, '0');
const hex4 = (code: number) => code.toString(16).padStart(4, '0');

/** '...' with the quote doubled: the SQL standard (PostgreSQL, DuckDB, SQLite). A backslash is an ordinary character. */
export function standardLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * '...' for dialects that read backslash escapes in literals (BigQuery, Spark SQL,
 * Snowflake, ClickHouse): the backslash and the quote are escaped with a backslash, and
 * control characters (a raw newline is an error in BigQuery) as the dialect's hex escape.
 */
export function backslashLiteral(text: string, control: (code: number) => string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (code < 0x20 || code === 0x7f) out += control(code);
    else out += ch;
  }
  return `'${out}'`;
}

/** "name" with inner quotes doubled (the SQL standard); `name` with backticks doubled (BigQuery, Spark, ClickHouse). */
export const doubleQuoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const backticked = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** Snowflake's reserved words (its documentation's list), which must be quoted to be used as names. */
const SNOWFLAKE_RESERVED = new Set(
  (
    'ACCOUNT ALL ALTER AND ANY AS BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONNECTION CONSTRAINT CREATE CROSS CURRENT ' +
    'CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DATABASE DELETE DISTINCT DROP ELSE EXISTS FALSE FOLLOWING FOR ' +
    'FROM FULL GRANT GROUP GSCLUSTER HAVING ILIKE IN INCREMENT INNER INSERT INTERSECT INTO IS ISSUE JOIN LATERAL LEFT LIKE ' +
    'LOCALTIME LOCALTIMESTAMP MINUS NATURAL NOT NULL OF ON OR ORDER ORGANIZATION QUALIFY REGEXP REVOKE RIGHT RLIKE ROW ROWS ' +
    'SAMPLE SCHEMA SELECT SET SOME START TABLE TABLESAMPLE THEN TO TRIGGER TRUE TRY_CAST UNION UNIQUE UPDATE USING VALUES ' +
    'VIEW WHEN WHENEVER WHERE WITH'
  ).split(' '),
);

/**
 * Snowflake folds an unquoted name to upper case and keeps a quoted one exactly: a table
 * made with `CREATE TABLE audience (profile_id ...)` is AUDIENCE.PROFILE_ID, which the
 * quoted "audience" does not find. A simple name (letters, digits, _ and $, not a reserved
 * word) is therefore written unquoted and found as the user's unquoted DDL made it; any
 * other name is quoted and must match exactly.
 */
export function snowflakeIdent(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) && !SNOWFLAKE_RESERVED.has(name.toUpperCase()) ? name : doubleQuoted(name);
}

interface Types {
  readonly text: string;
  readonly double: string;
  readonly bigint: string;
}

/** The parts most dialects spell the standard way. */
function standardDialect(name: SqlDialect, types: Types, own: Partial<Dialect> & Pick<Dialect, 'md5' | 'div' | 'mod' | 'notes'>): Dialect {
  return {
    name,
    ident: doubleQuoted,
    str: standardLiteral,
    toText: (x) => `CAST(${x} AS ${types.text})`,
    toDouble: (x) => `CAST(NULLIF(TRIM(CAST(${x} AS ${types.text})), '') AS ${types.double})`,
    toBigint: (x) => `CAST(${x} AS ${types.bigint})`,
    double: (n) => `CAST('${String(n)}' AS ${types.double})`,
    concat: (parts, indent) => parts.join(indent === undefined ? ' || ' : `\n${indent}|| `),
    bytes: (x) => x,
    chr: (code) => `CHR(${code})`,
    trim: (x) => `TRIM(${x})`,
    nullIf: (x, y) => `NULLIF(${x}, ${y})`,
    substr: (x, from, length) => `SUBSTR(${x}, ${from}, ${length})`,
    replace: (x, from, to) => `REPLACE(${x}, ${from}, ${to})`,
    numberText: (v) =>
      `CASE WHEN ${v} = FLOOR(${v}) AND ABS(${v}) < 1000000000000000000 THEN CAST(CAST(${v} AS ${types.bigint}) AS ${types.text}) ELSE CAST(${v} AS ${types.text}) END`,
    ...own,
  };
}

const postgresql = standardDialect(
  'postgresql',
  { text: 'TEXT', double: 'DOUBLE PRECISION', bigint: 'BIGINT' },
  {
    md5: (x) => `md5(${x})`,
    // Both operands are BIGINT here (SUM is cast back from numeric), so `/` truncates.
    div: (a, b) => `(${a}) / (${b})`,
    mod: (a, b) => `(${a}) % (${b})`,
    bytes: (x) => `(${x}) COLLATE "C"`,
    // A POSIX class and an escaped backslash in an ARE bracket expression.
    mayNeedJsonEscape: (x) => `${x} ~ '[[:cntrl:]"\\\\]'`,
    notes: [
      'PostgreSQL: md5() is the lowercase hex md5 of the UTF-8 bytes (the database encoding must be UTF8);',
      'SUM(bigint) is numeric, so sums are cast back to BIGINT for `/` to truncate; text is ordered with COLLATE "C" (byte order);',
      'dates and timestamps are read through their text (the default DateStyle ISO).',
    ],
  },
);

const duckdb = standardDialect(
  'duckdb',
  { text: 'VARCHAR', double: 'DOUBLE', bigint: 'BIGINT' },
  {
    md5: (x) => `md5(${x})`,
    // `/` is float division in DuckDB; `//` divides integers.
    div: (a, b) => `(${a}) // (${b})`,
    mod: (a, b) => `(${a}) % (${b})`,
    mayNeedJsonEscape: (x) => `regexp_matches(${x}, '[[:cntrl:]"\\\\]')`,
    notes: ['DuckDB: md5() is lowercase hex; `//` is integer division (`/` would divide as floats); text compares by bytes (the default collation).'],
  },
);

const sqlite = standardDialect(
  'sqlite',
  { text: 'TEXT', double: 'REAL', bigint: 'INTEGER' },
  {
    md5: (x) => `md5(${x})`,
    // Integers divide as integers.
    div: (a, b) => `(${a}) / (${b})`,
    mod: (a, b) => `(${a}) % (${b})`,
    bytes: (x) => `(${x}) COLLATE BINARY`,
    chr: (code) => `char(${code})`,
    // GLOB's character class: the quote, the backslash and U+0001 to U+001F.
    mayNeedJsonEscape: (x) => `${x} GLOB '*["\\' || char(1) || '-' || char(31) || ']*'`,
    // SQLite's CAST(real AS TEXT) prints 15 digits, so a stored number is taken as it is, text is parsed.
    toDouble: (x) =>
      `CASE WHEN typeof(${x}) IN ('integer', 'real') THEN CAST(${x} AS REAL) WHEN TRIM(${x}) = '' THEN NULL ELSE CAST(TRIM(${x}) AS REAL) END`,
    double: (n) => String(n),
    numberText: (v) => `CASE WHEN ${v} = CAST(${v} AS INTEGER) THEN CAST(CAST(${v} AS INTEGER) AS TEXT) ELSE CAST(${v} AS TEXT) END`,
    notes: [
      'SQLite has no md5(): register one that returns the lowercase hex md5 of the UTF-8 bytes of its text argument before running this query,',
      "e.g. Python: con.create_function('md5', 1, lambda s: hashlib.md5(s.encode('utf-8')).hexdigest(), deterministic=True);",
      "sql.js: db.create_function('md5', s => <md5 hex of s>). Integers divide as integers; text compares by bytes (BINARY).",
    ],
  },
);

const bigquery: Dialect = {
  ...standardDialect(
    'bigquery',
    { text: 'STRING', double: 'FLOAT64', bigint: 'INT64' },
    {
      md5: (x) => `TO_HEX(MD5(${x}))`,
      div: (a, b) => `DIV(${a}, ${b})`,
      mod: (a, b) => `MOD(${a}, ${b})`,
      notes: [
        'BigQuery: MD5() returns BYTES, TO_HEX() makes it lowercase hex; DIV() and MOD() divide INT64 exactly;',
        'strings compare by code point (= UTF-8 byte order); backslashes in string literals are escapes.',
      ],
    },
  ),
  ident: backticked,
  str: (text) => backslashLiteral(text, (c) => `\\x${hex2(c)}`),
  chr: (code) => `CODE_POINTS_TO_STRING([${code}])`,
  concat: (parts, indent) => `CONCAT(${parts.join(indent === undefined ? ', ' : `,\n${indent}`)})`,
};

const snowflake: Dialect = {
  ...standardDialect(
    'snowflake',
    { text: 'VARCHAR', double: 'DOUBLE', bigint: 'BIGINT' },
    {
      md5: (x) => `MD5(${x})`,
      // `/` gives a decimal: (a - MOD(a, b)) / b is exact, then made an integer.
      div: (a, b) => `CAST(((${a}) - MOD(${a}, ${b})) / (${b}) AS BIGINT)`,
      mod: (a, b) => `MOD(${a}, ${b})`,
      bytes: (x) => `COLLATE(${x}, 'utf8')`,
      notes: [
        "Snowflake: MD5() is lowercase hex; `/` gives a decimal, so quotients are (a - MOD(a, b)) / b; text is ordered with COLLATE(x, 'utf8') (byte order);",
        'backslashes in string literals are escapes; simple names are unquoted, so they fold to upper case like the names of an unquoted CREATE TABLE',
        '(other names are quoted and must match exactly); the result columns are ID, "group" and STRATUM.',
      ],
    },
  ),
  ident: snowflakeIdent,
  str: (text) => backslashLiteral(text, (c) => `\\u${hex4(c)}`),
};

const clickhouse: Dialect = {
  name: 'clickhouse',
  ident: backticked,
  str: (text) => backslashLiteral(text, (c) => `\\x${hex2(c)}`),
  // toString keeps NULL (CAST to String would fail on a Nullable column holding NULL).
  toText: (x) => `toString(${x})`,
  toDouble: (x) => `toFloat64OrNull(trimBoth(toString(${x})))`,
  toBigint: (x) => `toInt64(${x})`,
  double: (n) => `toFloat64('${String(n)}')`,
  md5: (x) => `lower(hex(MD5(${x})))`,
  concat: (parts, indent) => `concat(${parts.join(indent === undefined ? ', ' : `,\n${indent}`)})`,
  div: (a, b) => `intDiv(${a}, ${b})`,
  mod: (a, b) => `modulo(${a}, ${b})`,
  bytes: (x) => x,
  chr: (code) => `char(${code})`,
  trim: (x) => `trimBoth(${x})`,
  nullIf: (x, y) => `nullIf(${x}, ${y})`,
  substr: (x, from, length) => `substring(${x}, ${from}, ${length})`,
  replace: (x, from, to) => `replaceAll(${x}, ${from}, ${to})`,
  numberText: (v) => `if(${v} = floor(${v}) AND abs(${v}) < 1000000000000000000, toString(toInt64(${v})), toString(${v}))`,
  notes: [
    'ClickHouse: MD5() returns a binary string, lower(hex(MD5(x))) makes it lowercase hex; intDiv() and modulo() divide integers; counts are cast to Int64',
    '(UInt64 would wrap below zero); strings compare by bytes; backslashes in string literals are escapes; window functions need ClickHouse 21.8 or later.',
  ],
};

const spark: Dialect = {
  ...standardDialect(
    'spark',
    { text: 'STRING', double: 'DOUBLE', bigint: 'BIGINT' },
    {
      md5: (x) => `md5(${x})`,
      div: (a, b) => `(${a}) div (${b})`,
      mod: (a, b) => `(${a}) % (${b})`,
      notes: [
        'Spark SQL: md5() is lowercase hex of the UTF-8 bytes; `div` is integer division; strings compare by bytes (UTF8_BINARY);',
        "backslashes in string literals are escapes (and 'a''b' would be two literals), so quotes are escaped as \\'.",
      ],
    },
  ),
  ident: backticked,
  str: (text) => backslashLiteral(text, (c) => `\\u${hex4(c)}`),
  concat: (parts, indent) => `concat(${parts.join(indent === undefined ? ', ' : `,\n${indent}`)})`,
};

export const DIALECTS: Readonly<Record<SqlDialect, Dialect>> = { postgresql, duckdb, sqlite, bigquery, snowflake, clickhouse, spark };

/** A table name, schema-qualified with dots ("analytics.audience"): each part quoted. */
export function tableName(dialect: Dialect, name: string): string {
  return name
    .split('.')
    .map((part) => dialect.ident(part))
    .join('.');
}
