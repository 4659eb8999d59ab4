import { z } from 'zod';
import { Empty, FilePath, Instant, Token } from './common';
import { method } from './method';

export const RecentProject = z.object({
  path: z.string(),
  name: z.string(),
  openedAt: Instant,
  /** False when the file has been moved or deleted since. */
  exists: z.boolean(),
});
export type RecentProject = z.infer<typeof RecentProject>;

export const RecoveryCopy = z.object({
  id: Token,
  name: z.string(),
  /** The project file the unsaved work belongs to; null for a never-saved project. */
  originalPath: z.string().nullable(),
  writtenAt: Instant,
  sizeBytes: z.number().int(),
});
export type RecoveryCopy = z.infer<typeof RecoveryCopy>;

export const EngineInfo = z.object({
  appVersion: z.string(),
  /** The worker thread the engine runs in (0 when it runs on a process's main thread). */
  threadId: z.number().int(),
  pid: z.number().int(),
  startedAt: Instant,
  sqliteVersion: z.string(),
  /** The largest project file this engine will open, in bytes. */
  maxProjectBytes: z.number().int(),
});
export type EngineInfo = z.infer<typeof EngineInfo>;

export const appMethods = {
  'recent/list': method({
    doc: 'Recently opened or saved projects, newest first.',
    args: Empty,
    result: z.array(RecentProject),
    concurrent: true,
  }),
  'recent/forget': method({
    doc: 'Remove a project from the recent list (the file itself is not touched).',
    args: z.strictObject({ path: FilePath }),
    result: z.array(RecentProject),
  }),
  'recovery/list': method({
    doc: 'Unsaved work left behind by a session that ended without saving (a crash or a killed app).',
    args: Empty,
    result: z.array(RecoveryCopy),
  }),
  'recovery/discard': method({
    doc: 'Delete a recovery copy for good.',
    args: z.strictObject({ id: Token }),
    result: z.array(RecoveryCopy),
  }),
  'operation/cancel': method({
    doc: 'Cancel a long operation in progress; it stops and leaves everything as it was.',
    args: z.strictObject({ operationId: Token }),
    result: z.object({ cancelled: z.boolean() }),
    concurrent: true,
  }),
  'engine/ping': method({
    doc: 'Version and whereabouts of the engine.',
    args: Empty,
    result: EngineInfo,
    concurrent: true,
  }),
} as const;
