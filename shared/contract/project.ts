import { z } from 'zod';
import { ClockTime, Empty, FilePath, Instant, ProjectFilePath, Token } from './common';
import { method } from './method';
import { CAMPAIGN_STATUSES } from '../domain/campaign-status';
import { MAX_PROJECT_DESCRIPTION, MAX_PROJECT_NAME } from './limits';

const ProjectName = z.string().trim().min(1, 'The project name cannot be empty.').max(MAX_PROJECT_NAME);

export const OpenProjectState = z.object({
  open: z.literal(true),
  /** Random per opening; names the recovery copy. */
  sessionId: Token,
  name: z.string(),
  description: z.string(),
  /** Where the project is saved; null until the first save. */
  path: z.string().nullable(),
  fileName: z.string().nullable(),
  /** Unsaved changes exist. */
  dirty: z.boolean(),
  /** Wall-clock time of the last save or open; null for a new project. */
  savedAt: Instant.nullable(),
  /** The project clock. */
  clock: ClockTime,
  schemaVersion: z.number().int(),
  /** Opened from a recovery copy and not saved since. */
  recovered: z.boolean(),
  /** Opened as a cleaned copy and not saved since: what cleaning removed or rebuilt. */
  cleaned: z.array(z.string()).optional(),
});

export const ClosedProjectState = z.object({ open: z.literal(false) });

export const ProjectState = z.discriminatedUnion('open', [OpenProjectState, ClosedProjectState]);
export type ProjectState = z.infer<typeof ProjectState>;
export type OpenProjectState = z.infer<typeof OpenProjectState>;

export const ProjectInfo = z.object({
  name: z.string(),
  description: z.string(),
  path: z.string().nullable(),
  /** Size of the saved file in bytes; null while never saved. */
  sizeBytes: z.number().int().nullable(),
  /** The format version of the project as it is in memory (always the latest). */
  schemaVersion: z.number().int(),
  /** The format version of the file on disk; older until the next save upgrades it. Null if never saved. */
  fileSchemaVersion: z.number().int().nullable(),
  /** Version of Campaign Planner that created the file. */
  createdWith: z.string(),
  createdAt: Instant,
  clock: ClockTime,
  databases: z.array(
    z.object({ id: z.number().int(), name: z.string(), profileCount: z.number().int() }),
  ),
  campaigns: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      status: z.enum(CAMPAIGN_STATUSES),
      databaseName: z.string(),
    }),
  ),
});
export type ProjectInfo = z.infer<typeof ProjectInfo>;

/** `discard: true` confirms that unsaved changes of the open project may be dropped. */
const Discard = { discard: z.boolean().optional() };

export const projectMethods = {
  'project/state': method({
    doc: 'The open project (file, name, unsaved changes, clock), or that none is open.',
    args: Empty,
    result: ProjectState,
    concurrent: true,
  }),
  'project/new': method({
    doc: 'Start a new, empty, unsaved project; its clock starts now, or at `clock` (to replay a past year: the clock never goes back later).',
    args: z.strictObject({ name: ProjectName.optional(), clock: ClockTime.optional(), ...Discard }),
    result: OpenProjectState,
  }),
  'project/open': method({
    doc: 'Open a .cplan project file, checking that it is whole, of a version this app can read, and holds only what this version creates.',
    /** `clean: true` opens a cleaned copy of a file refused with FOREIGN_SCHEMA (cleanable): unsaved, the file untouched. */
    args: z.strictObject({ path: FilePath, clean: z.boolean().optional(), ...Discard }),
    result: OpenProjectState,
    long: true,
  }),
  'project/save': method({
    doc: 'Save the open project to its file, atomically.',
    args: Empty,
    result: OpenProjectState,
    long: true,
  }),
  'project/saveAs': method({
    doc: 'Save the open project to a new .cplan file, atomically; it becomes the project file.',
    args: z.strictObject({ path: ProjectFilePath, overwrite: z.boolean().optional() }),
    result: OpenProjectState,
    long: true,
  }),
  'project/close': method({
    doc: 'Close the open project.',
    args: z.strictObject({ ...Discard }),
    result: ClosedProjectState,
  }),
  'project/update': method({
    doc: 'Rename the project or change its description.',
    args: z
      .strictObject({ name: ProjectName.optional(), description: z.string().max(MAX_PROJECT_DESCRIPTION).optional() })
      .refine((a) => a.name !== undefined || a.description !== undefined, 'Nothing to change.'),
    result: OpenProjectState,
    mutates: true,
  }),
  'project/info': method({
    doc: 'Schema version, databases with profile counts, and campaigns of the open project.',
    args: Empty,
    result: ProjectInfo,
  }),
  'project/recover': method({
    doc: 'Open a recovery copy of unsaved work; it stays unsaved until saved.',
    args: z.strictObject({ id: Token, ...Discard }),
    result: OpenProjectState,
    long: true,
  }),
} as const;
