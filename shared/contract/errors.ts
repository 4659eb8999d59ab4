/**
 * The one error envelope that crosses every boundary (engine worker, IPC, HTTP, CLI).
 * `code` comes from a closed list so callers can branch on it without parsing messages.
 */

export const ERROR_CODES = [
  /** Arguments failed validation; `details.issues` lists each path and reason. */
  'INVALID_ARGUMENT',
  /** No engine method of that name. */
  'UNKNOWN_METHOD',
  /** The call needs an open project and none is open. */
  'NO_PROJECT',
  /** The open project has unsaved changes and the call would drop them. */
  'UNSAVED_CHANGES',
  /** A named thing (file, folder, recovery copy, database, ...) does not exist. */
  'NOT_FOUND',
  /** The target already exists and overwriting was not asked for. */
  'ALREADY_EXISTS',
  /** The file is not an SQLite database at all. */
  'NOT_SQLITE',
  /** The file is an SQLite database, but truncated or damaged. */
  'CORRUPT_FILE',
  /** The file is an SQLite database of another application. */
  'FOREIGN_FILE',
  /** A project file holds objects this version does not create (triggers, views, changed tables); `details.findings` lists them, `details.cleanable` says whether a cleaned copy can be opened. */
  'FOREIGN_SCHEMA',
  /** The file was written by a newer version of Campaign Planner. */
  'NEWER_VERSION',
  /** The file is larger than the app can hold in memory. */
  'FILE_TOO_LARGE',
  /** The file uses a SQLite feature this app cannot open (WAL mode, ...). */
  'UNSUPPORTED_FILE',
  /** Reading or writing a file failed (permissions, disk full, ...). */
  'IO_ERROR',
  /** The action is not allowed in the current state; the message says why. */
  'REFUSED',
  /** The operation was cancelled by the user; nothing was changed. */
  'CANCELLED',
  /** A step on untrusted input ran past its time limit and was stopped; nothing was changed. */
  'TIMED_OUT',
  /** The engine thread stopped unexpectedly; it has been restarted. */
  'ENGINE_CRASHED',
  /** The engine is not reachable (browser mode: the server stopped). */
  'UNAVAILABLE',
  /** Browser mode: missing or wrong token, or a foreign Host or Origin. */
  'UNAUTHORIZED',
  /** A bug: anything not foreseen. The message is kept for the report. */
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorPayload {
  readonly code: ErrorCode;
  /** A sentence for the user: what happened and, where possible, what to do. */
  readonly message: string;
  /** Machine-readable specifics (path, row, field, value, issues ...). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export type Envelope<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly error: ErrorPayload };

/** The single error class used on every side; it round-trips through an envelope. */
export class EngineError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.details = details;
  }

  toPayload(): ErrorPayload {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromPayload(payload: ErrorPayload): EngineError {
    return new EngineError(payload.code, payload.message, payload.details);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

export function ok<T>(data: T): Envelope<T> {
  return { ok: true, data };
}

export function fail(error: ErrorPayload): Envelope<never> {
  return { ok: false, error };
}

/** Turns anything thrown into a payload; unknown errors become INTERNAL with their message. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof EngineError) return error.toPayload();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}

/** Checks the shape of an envelope that came from outside (HTTP body, IPC reply). */
export function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; data?: unknown; error?: unknown };
  if (v.ok === true) return 'data' in v;
  if (v.ok !== false || typeof v.error !== 'object' || v.error === null) return false;
  const e = v.error as { code?: unknown; message?: unknown };
  return isErrorCode(e.code) && typeof e.message === 'string';
}
