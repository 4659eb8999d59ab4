import { z } from 'zod';
import { isClockTime } from '../domain/clock';

/** A file-system path as given by the user or a dialog. Never empty, never with a NUL byte. */
export const FilePath = z
  .string()
  .min(1, 'A file path is required.')
  .max(4096, 'The path is longer than 4096 characters.')
  .refine((p) => !p.includes('\u0000'), 'The path contains a NUL character.');

/** A path that must name a project file, so the API can never overwrite other files. */
export const ProjectFilePath = FilePath.refine(
  (p) => p.toLowerCase().endsWith('.cplan'),
  'A project file name must end in .cplan.',
);

/** Identifiers made by the engine (sessions, recovery copies, operations). */
export const Token = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Expected 1-64 letters, digits, "-" or "_".');

/** Wall-clock instant, ISO 8601 in UTC ("2026-11-29T16:28:36.000Z"). */
export const Instant = z.string();

/**
 * A moment on the project clock: a naive local date-time "YYYY-MM-DDTHH:mm", with no time
 * zone, so a plan means the same moment on every machine that opens it.
 */
export const ClockTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Expected a date-time like 2026-04-10T10:00.')
  .refine(isClockTime, 'No such date or time (check the day of the month, the hour and the minutes).');

export const Empty = z.strictObject({});
