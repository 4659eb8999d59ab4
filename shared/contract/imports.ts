import { z } from 'zod';
import { DatabaseSummary, FieldDraft, FieldType, Id } from './databases';
import { FilePath, Token } from './common';
import { formatCount } from '../format';
import { method } from './method';
import { MAX_DATABASE_NAME } from './limits';

export const CSV_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1251', 'windows-1252'] as const;
export const CsvEncoding = z.enum(CSV_ENCODINGS);
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export const CsvDelimiter = z.enum(CSV_DELIMITERS);

/** How a CSV file is read. Detected by `import/preview`; the user may change each. */
export const CsvOptions = z.strictObject({
  encoding: CsvEncoding,
  delimiter: CsvDelimiter,
  /** The first row names the columns. */
  hasHeader: z.boolean(),
  /** "12.5" or "12,5" (usual with semicolons). */
  decimalSeparator: z.enum(['.', ',']),
  /**
   * How to read dates written as 31.12.2024 or 12/31/2024: day first or month first.
   * Null accepts ISO dates (2024-12-31) only, so a date is never guessed and silently flipped.
   */
  dateOrder: z.enum(['dmy', 'mdy']).nullable(),
});
export type CsvOptions = z.infer<typeof CsvOptions>;

/**
 * The most columns a CSV file may have to be imported: each becomes a row of the wizard's
 * Columns step, and a database holds at most MAX_FIELDS_PER_DATABASE fields anyway. The
 * preview and the run refuse a wider file with `tooManyColumnsMessage`; the mapping's
 * schema holds the same limit.
 */
export const MAX_IMPORT_COLUMNS = 500;

export function tooManyColumnsMessage(fileName: string, columns: number): string {
  return (
    `"${fileName}" has ${formatCount(columns)} columns; an import reads at most ${MAX_IMPORT_COLUMNS}. ` +
    'Save a copy with only the columns you need (delete the others in your spreadsheet), then import that file.'
  );
}

export const ImportMode = z.enum(['add', 'update', 'upsert']);
export type ImportMode = z.infer<typeof ImportMode>;

/**
 * For a column that goes to a list (enum) field: values not in the list are added to it,
 * in the same transaction as the import (without it, such a value is a problem of its row).
 */
const AddEnumValues = z.boolean().optional();

/** Where one CSV column goes. */
export const ColumnTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('skip') }),
  z.strictObject({ kind: z.literal('profileId') }),
  z.strictObject({ kind: z.literal('subscription') }),
  z.strictObject({ kind: z.literal('field'), fieldId: Id, addEnumValues: AddEnumValues }),
  z.strictObject({ kind: z.literal('newField'), field: FieldDraft, addEnumValues: AddEnumValues }),
]);
export type ColumnTarget = z.infer<typeof ColumnTarget>;

export const ColumnMapping = z.strictObject({ column: z.number().int().min(0), target: ColumnTarget });
export type ColumnMapping = z.infer<typeof ColumnMapping>;

export const PreviewColumn = z.object({
  index: z.number().int(),
  /** The header cell, or "Column 3" without a header row. */
  name: z.string(),
  /** Up to five different non-empty values from the sample, for the user to judge. */
  examples: z.array(z.string()),
  /** The type the sample suggests for a new field, and the values if it looks like a choice. */
  inferredType: FieldType,
  inferredEnumValues: z.array(z.string()),
  emptyCount: z.number().int(),
  /**
   * The different values of the sample as a list (enum) field would hold them (trimmed,
   * the export's apostrophe off), with their cells, most frequent first: at most
   * MAX_ENUM_VALUES + 1 of them (`moreValues` says there are more), so the wizard can show
   * which values a list field lacks.
   */
  values: z.array(z.object({ value: z.string(), count: z.number().int() })),
  moreValues: z.boolean(),
  /** A suggested target: by the header name (existing field, ID, status) or a new field. */
  suggested: ColumnTarget,
  /**
   * The header cell is empty, or repeats an earlier column's name: such a column is
   * suggested as `skip`, and the user must skip it or give it a target of their own.
   */
  nameIssue: z.enum(['empty', 'duplicate']).optional(),
});
export type PreviewColumn = z.infer<typeof PreviewColumn>;

export const ImportPreview = z.object({
  path: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().int(),
  /** What was detected, and what was used to read the sample (detection overridden by `options`). */
  detected: CsvOptions,
  options: CsvOptions,
  /** BOM found at the start (UTF-8 or UTF-16). */
  bom: z.boolean(),
  lineEnding: z.enum(['lf', 'crlf', 'cr', 'mixed', 'none']),
  columns: z.array(PreviewColumn),
  /** The first rows as read with `options` (header excluded), at most 20. */
  rows: z.array(z.array(z.string())),
  /** Rows in the sample, and whether the whole file fitted in it. */
  sampledRows: z.number().int(),
  wholeFileSampled: z.boolean(),
  /** Dates like 03/04/2024 were seen and neither order can be ruled out: the user must choose. */
  dateOrderAmbiguous: z.boolean(),
  /** Problems seen in the sample (as in an import), so the user can fix options early. */
  warnings: z.array(z.string()),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const IMPORT_PROBLEM_CODES = [
  'missing_id',
  /** An empty cell where every row needs a value (an event's type and time). */
  'missing_value',
  'duplicate_id',
  'not_a_number',
  'not_a_date',
  'not_a_datetime',
  'not_a_boolean',
  'unknown_enum_value',
  'unknown_subscription_status',
  'too_many_cells',
  'too_few_cells',
  'unterminated_quote',
  'value_too_long',
  /** Text after the closing quote of a quoted cell ("abc"def), so the cell cannot be read for sure. */
  'invalid_quotes',
] as const;

export const ImportProblem = z.object({
  /** The row number as a spreadsheet shows it: the header is row 1. */
  row: z.number().int(),
  /** The column's name, or null for a problem of the whole row. */
  column: z.string().nullable(),
  value: z.string().nullable(),
  code: z.enum(IMPORT_PROBLEM_CODES),
  /** For the user: "not a number", "not a date in the chosen format (day.month.year)", ... */
  reason: z.string(),
  /** For `duplicate_id`: the row where the same ID appeared first (that row is the one kept). */
  relatedRow: z.number().int().optional(),
});
export type ImportProblem = z.infer<typeof ImportProblem>;

export const ImportResult = z.object({
  /** Names this run for `import/report`, whether or not anything was imported. */
  runId: Token,
  /** The import recorded in the project; null when nothing was imported. */
  importId: Id.nullable(),
  database: DatabaseSummary.nullable(),
  /**
   * `stopped`: nothing was imported (all rolled back), because rows had problems and the
   * import was set to stop, or because no row could be imported (all had problems, or the
   * rest changed nothing). `imported` with nothing added or updated is no success either:
   * `importVerdict` (shared/import-summary.ts) says what happened, for the app and the CLI.
   */
  outcome: z.enum(['imported', 'stopped']),
  rowsRead: z.number().int(),
  added: z.number().int(),
  updated: z.number().int(),
  /** Rows whose profile already held exactly these values. */
  unchanged: z.number().int(),
  /** Rows not imported because of a problem. */
  skipped: z.number().int(),
  /** Rows left alone by the mode: already in the database (add only) or not in it (update only). */
  leftAlone: z.number().int(),
  problemCount: z.number().int(),
  /** The first problems (all of them are in the report). */
  problems: z.array(ImportProblem),
  /** Values added to list (enum) fields by `addEnumValues`, per field. */
  enumValuesAdded: z.array(z.object({ field: z.string(), values: z.array(z.string()) })),
  durationMs: z.number(),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const ImportRequest = z.strictObject({
  path: FilePath,
  target: z.union([
    z.strictObject({ databaseId: Id }),
    z.strictObject({ newDatabase: z.string().trim().min(1).max(MAX_DATABASE_NAME) }),
  ]),
  csv: CsvOptions,
  mapping: z.array(ColumnMapping).min(1).max(MAX_IMPORT_COLUMNS, `An import reads at most ${MAX_IMPORT_COLUMNS} columns.`),
  mode: ImportMode,
  /** When updating: an empty cell keeps the stored value, or clears it. */
  emptyCells: z.enum(['keep', 'clear']),
  /** On bad rows: stop and import nothing, or skip them and import the rest. */
  onBadRows: z.enum(['stop', 'skip']),
});
export type ImportRequest = z.infer<typeof ImportRequest>;

export const importMethods = {
  'import/preview': method({
    doc: 'Read the start of a CSV file: detected encoding, delimiter, header and line endings, sample rows, and a suggested mapping.',
    args: z.strictObject({
      path: FilePath,
      /** Suggest mappings to this database's fields; omitted for a new database. */
      databaseId: Id.optional(),
      /** Override any detected option. */
      options: CsvOptions.partial().optional(),
    }),
    result: ImportPreview,
  }),
  'import/run': method({
    doc: 'Import a CSV file into a database in one transaction: all of it, or (on cancel or a stop) nothing.',
    args: ImportRequest,
    result: ImportResult,
    mutates: true,
    long: true,
  }),
  'import/report': method({
    doc: 'The problems of an import run as a CSV error report (row, column, value, reason).',
    args: z.strictObject({ runId: Token }),
    result: z.object({
      fileName: z.string(),
      csv: z.string(),
      problemCount: z.number().int(),
      /** The run had more problems than a report keeps (the first 100,000); its last line says so. */
      truncated: z.boolean().optional(),
    }),
  }),
} as const;
