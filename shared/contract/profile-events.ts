/**
 * Profile events: time-stamped actions of a database's profiles (purchase, open, click, or
 * any type the user names), with an optional amount and text. Imported from CSV through
 * the profile import's reader; listed and exported "as of" the project clock (an event
 * after the clock's minute does not exist yet).
 */
import { z } from 'zod';
import { FilePath, Token } from './common';
import { Id } from './databases';
import { CsvDelimiter, CsvOptions, ImportProblem } from './imports';
import { method } from './method';

/** The longest event type name (a fixed type, a filter, or a type cell of the file). */
export const MAX_EVENT_TYPE = 100;

/** An event type as the user names it: trimmed, 1 to MAX_EVENT_TYPE characters. */
export const EventType = z
  .string()
  .trim()
  .min(1, 'Name the event type (purchase, open, click, ...).')
  .max(MAX_EVENT_TYPE, `An event type has at most ${MAX_EVENT_TYPE} characters.`);

const Column = z.number().int().min(0);

/** Which CSV column (0-based) holds what. */
export const EventsMapping = z.strictObject({
  /** The profile ID, matched exactly against the database's profile IDs. */
  idColumn: Column,
  /** The event type: from a column, or one fixed type for every row. */
  type: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('column'), column: Column }), z.strictObject({ kind: z.literal('fixed'), value: EventType })]),
  /** A date or a date-time, read with the CSV options' date order; a date alone means its midnight. */
  timeColumn: Column,
  /** A number (the decimal separator of the CSV options); an empty cell means none. */
  amountColumn: Column.nullable().default(null),
  /** Text such as an order ID; an empty cell means none. */
  noteColumn: Column.nullable().default(null),
});
export type EventsMapping = z.input<typeof EventsMapping>;

export const EventsImportRequest = z.strictObject({
  databaseId: Id,
  path: FilePath,
  /** As `import/preview` detects them (the same reader reads the file). */
  csv: CsvOptions,
  mapping: EventsMapping,
  /** On bad rows: stop and import nothing (default), or skip them and import the rest, as profile imports do. */
  onBadRows: z.enum(['stop', 'skip']).default('stop'),
});
export type EventsImportRequest = z.input<typeof EventsImportRequest>;

/** A row whose profile ID is not in the database: its events are not imported. */
export const UnknownProfileRow = z.object({ row: z.number().int(), profileId: z.string() });

/** Rows of unknown profiles listed in a result; all are counted. */
export const UNKNOWN_ROWS_SHOWN = 20;

export const EventsImportResult = z.object({
  /** Names this run for `import/report` (the problems as a CSV error report). */
  runId: Token,
  /** `stopped`: nothing was imported (bad rows with `stop`, a cancel, or no row to import). */
  outcome: z.enum(['imported', 'stopped']),
  /** The record of this import in the project (events carry it as import_id); null when nothing was imported. */
  importId: Id.nullable(),
  rowsRead: z.number().int(),
  imported: z.number().int(),
  /** Rows not imported because of a problem (a missing or bad value). */
  skipped: z.number().int(),
  problemCount: z.number().int(),
  /** The first problems, by row, column and value (all are in the report). */
  problems: z.array(ImportProblem),
  /** Rows whose profile ID is not in the database: not imported, never invented. */
  unknownProfiles: z.object({
    rows: z.number().int(),
    /** Different IDs among them. */
    ids: z.number().int(),
    /** The first UNKNOWN_ROWS_SHOWN of them, in file order. */
    first: z.array(UnknownProfileRow),
  }),
  /** Events of this import after the project clock: imported, but they do not exist yet for lists and conditions. */
  afterClock: z.number().int(),
  durationMs: z.number(),
});
export type EventsImportResult = z.infer<typeof EventsImportResult>;

export const ProfileEvent = z.object({
  profileId: z.string(),
  type: z.string(),
  /** "YYYY-MM-DDTHH:MM:SS", wall time like the project clock. */
  at: z.string(),
  amount: z.number().nullable(),
  note: z.string().nullable(),
});
export type ProfileEvent = z.infer<typeof ProfileEvent>;

export const EVENTS_PAGE_MAX = 1000;

export const eventsMethods = {
  'events/import': method({
    doc: 'Import time-stamped profile events from a CSV file, in one transaction; events of unknown profiles are reported, not imported.',
    args: EventsImportRequest,
    result: EventsImportResult,
    mutates: true,
    long: true,
  }),
  'events/list': method({
    doc: "A database's events at or before the project clock, newest first: all, one profile's, or one type's, a page at a time.",
    args: z.strictObject({
      databaseId: Id,
      profileId: z.string().min(1).max(1000).optional(),
      type: EventType.optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(EVENTS_PAGE_MAX).default(100),
    }),
    result: z.object({
      /** Events matching, at or before the clock. */
      total: z.number().int(),
      offset: z.number().int(),
      /** The project clock the list was read at ("YYYY-MM-DDTHH:MM"). */
      clock: z.string(),
      events: z.array(ProfileEvent),
      /** Each type with its count (before the clock), for filters. */
      types: z.array(z.object({ type: z.string(), count: z.number().int() })),
    }),
  }),
  'events/export': method({
    doc: "Write a database's events at or before the project clock (all, or one type) to CSV: profile_id, type, at, amount, note.",
    args: z.strictObject({
      databaseId: Id,
      path: FilePath.refine((p) => /\.(csv|txt|tsv)$/i.test(p), 'The export file name must end in .csv, .tsv or .txt.'),
      overwrite: z.boolean().optional(),
      type: EventType.optional(),
      delimiter: CsvDelimiter.default(','),
      bom: z.boolean().default(true),
    }),
    result: z.object({ path: z.string(), rows: z.number().int(), bytes: z.number().int(), durationMs: z.number() }),
    long: true,
  }),
} as const;
