/**
 * Splits beyond one machine (issue 13): a campaign's split as one self-contained SQL query
 * for the warehouse the company already runs, the sticky growth of that split as a second
 * query, the check of a warehouse's output against the app's split, the check of a whole
 * project's stored splits against the rule, and a split's fingerprint (a hash of the
 * sorted assignment) that two colleagues compare in one line.
 */
import { z } from 'zod';
import { FilePath } from './common';
import { Id } from './databases';
import { CsvOptions } from './imports';
import { method } from './method';

/** The SQL dialects the app writes the split for. */
export const SQL_DIALECTS = ['postgresql', 'duckdb', 'sqlite', 'bigquery', 'snowflake', 'clickhouse', 'spark'] as const;
export const SqlDialect = z.enum(SQL_DIALECTS);
export type SqlDialect = z.infer<typeof SqlDialect>;

export const SQL_DIALECT_LABELS: Readonly<Record<SqlDialect, string>> = {
  postgresql: 'PostgreSQL',
  duckdb: 'DuckDB',
  sqlite: 'SQLite',
  bigquery: 'BigQuery',
  snowflake: 'Snowflake',
  clickhouse: 'ClickHouse',
  spark: 'Spark SQL',
};

/** The dialects whose generated SQL the test suite runs on the engine itself. */
export const TESTED_DIALECTS: readonly SqlDialect[] = ['postgresql', 'duckdb', 'sqlite'];

export const DEFAULT_AUDIENCE_TABLE = 'audience';
export const DEFAULT_ASSIGNMENT_TABLE = 'assignment';
export const DEFAULT_ID_COLUMN = 'profile_id';

/** A table name (optionally schema-qualified with dots) or a column name, as the warehouse spells it. */
const SqlName = z
  .string()
  .trim()
  .min(1, 'Give a name.')
  .max(256, 'A name has at most 256 characters.')
  .refine((s) => !/[\u0000-\u001f`"]/.test(s), 'A name cannot contain control characters, quotes or backticks.');

/** Which query: the first split of an audience, or the growth of an existing assignment. */
export const SQL_KINDS = ['split', 'growth'] as const;
export const SqlKind = z.enum(SQL_KINDS);
export type SqlKind = z.infer<typeof SqlKind>;

export const CampaignSqlArgs = z.strictObject({
  campaignId: Id,
  dialect: SqlDialect,
  kind: SqlKind.default('split'),
  /** The table of the audience (the campaign's audience: its segment's members less the GCG). */
  table: SqlName.default(DEFAULT_AUDIENCE_TABLE),
  /** The column of the profile ID (text, as imported: leading zeros kept). */
  idColumn: SqlName.default(DEFAULT_ID_COLUMN),
  /** Stratification field name -> the column holding it (by default the field's own name). */
  columns: z.record(z.string().min(1), SqlName).default({}),
  /** growth only: the table of the existing assignment: columns id, "group" and stratum, as the first query returned them. */
  assignmentTable: SqlName.default(DEFAULT_ASSIGNMENT_TABLE),
  /** Also write the query to this file (written whole or not at all). */
  path: FilePath.optional(),
  overwrite: z.boolean().optional(),
});
export type CampaignSqlArgs = z.input<typeof CampaignSqlArgs>;

/** A column the query reads, with what it must hold. */
export const SqlInputColumn = z.object({
  /** The field it stands for; null for the profile ID. */
  field: z.string().nullable(),
  column: z.string(),
  /** The field's type (profile_id: "string"). */
  type: z.string(),
  /** In words: "text", "number", "date (or ISO text YYYY-MM-DD)", ... */
  expects: z.string(),
});

export const CampaignSql = z.object({
  campaignId: Id,
  campaignName: z.string(),
  dialect: SqlDialect,
  kind: SqlKind,
  /** The query, comments included: what it expects and returns. */
  sql: z.string(),
  table: z.string(),
  assignmentTable: z.string().nullable(),
  columns: z.array(SqlInputColumn),
  /** A file name to suggest when saving: "spring-sale.postgresql.sql". */
  fileName: z.string(),
  /** Where the query was written, when a path was given. */
  path: z.string().nullable(),
});
export type CampaignSql = z.infer<typeof CampaignSql>;

/** 16 lowercase hex digits: the first 64 bits of the SHA-256 of the sorted assignment. */
export const Fingerprint = z.string().regex(/^[0-9a-f]{16}$/);

export const SplitFingerprint = z.object({
  campaignId: Id,
  /** null when the campaign has no split yet. */
  fingerprint: Fingerprint.nullable(),
  members: z.number().int(),
});
export type SplitFingerprint = z.infer<typeof SplitFingerprint>;

/** A group of the assignment as a file or the app gives it. */
export const AssignedGroup = z.enum(['test', 'control']);

export const GroupCounts = z.object({ total: z.number().int(), test: z.number().int(), control: z.number().int() });

export const AssignmentDifference = z.object({
  id: z.string(),
  /** null: not in that side. */
  app: AssignedGroup.nullable(),
  file: AssignedGroup.nullable(),
  appStratum: z.string().nullable(),
  fileStratum: z.string().nullable(),
});

/** How many differences are listed in full. */
export const DIFFERENCES_SHOWN = 100;

export const VerifyAssignmentArgs = z.strictObject({
  campaignId: Id,
  /** The warehouse's output as CSV: columns id (or profile_id), group, and optionally stratum. */
  path: FilePath,
  options: CsvOptions.partial().optional(),
});

export const AssignmentCheck = z.object({
  campaignId: Id,
  campaignName: z.string(),
  /** Every ID in the same group (and stratum, when the file has one) on both sides. */
  matches: z.boolean(),
  rowsRead: z.number().int(),
  /** Whether the file has a stratum column; without one, IDs are compared by group only. */
  stratumColumn: z.boolean().optional(),
  app: GroupCounts,
  file: GroupCounts,
  /** Per stratum key: the app's and the file's counts. */
  strata: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      app: GroupCounts,
      file: GroupCounts,
    }),
  ),
  differences: z.object({
    count: z.number().int(),
    onlyInApp: z.number().int(),
    onlyInFile: z.number().int(),
    otherGroup: z.number().int(),
    otherStratum: z.number().int(),
    first: z.array(AssignmentDifference),
  }),
  fingerprints: z.object({ app: Fingerprint.nullable(), file: Fingerprint.nullable() }),
  /** How long the check took (reading the file, the members, comparing), in ms. */
  durationMs: z.number().optional(),
});
export type AssignmentCheck = z.infer<typeof AssignmentCheck>;

export const CampaignRuleCheck = z.object({
  campaignId: Id,
  name: z.string(),
  status: z.string(),
  members: z.number().int(),
  /** The stored groups are exactly what the rule gives from the recorded settings and history. */
  ok: z.boolean(),
  /** Members whose stored group is not the rule's (0 when ok). */
  wrong: z.number().int(),
  /** Of those: stored in the LCG but Test by the rule, and the other way round. */
  storedControlShouldBeTest: z.number().int(),
  storedTestShouldBeControl: z.number().int(),
  /** A few of them, with their stored and expected groups. */
  first: z.array(z.object({ id: z.string(), stored: AssignedGroup, expected: AssignedGroup })),
  /** Other ways the stored split departs from its record (counts per stratum, unknown profiles), in words. */
  problems: z.array(z.string()),
  fingerprint: Fingerprint.nullable(),
});
export type CampaignRuleCheck = z.infer<typeof CampaignRuleCheck>;

export const ProjectCheck = z.object({
  ok: z.boolean(),
  campaigns: z.array(CampaignRuleCheck),
});
export type ProjectCheck = z.infer<typeof ProjectCheck>;

export const warehouseMethods = {
  'warehouse/sql': method({
    doc: "A campaign's split as one self-contained SQL query for a warehouse (the first split of an audience table, or the sticky growth of an existing assignment), returning id, group and stratum exactly as the app would; optionally written to a file.",
    args: CampaignSqlArgs,
    result: CampaignSql,
  }),
  'warehouse/fingerprint': method({
    doc: "The fingerprint of a campaign's split: the first 16 hex digits of the SHA-256 of its members' lines (id, group, stratum key), sorted by id.",
    args: z.strictObject({ campaignId: Id }),
    result: SplitFingerprint,
  }),
  'warehouse/verifyAssignment': method({
    doc: "Compare a warehouse's output (CSV: id, group, stratum) with the campaign's split: counts per group and stratum, and the IDs that differ.",
    args: VerifyAssignmentArgs,
    result: AssignmentCheck,
    long: true,
  }),
  'warehouse/verifyProject': method({
    doc: "Recompute every campaign's split from its recorded settings and history, and say whether the stored groups are exactly what the rule gives.",
    args: z.strictObject({}),
    result: ProjectCheck,
    long: true,
  }),
} as const;
