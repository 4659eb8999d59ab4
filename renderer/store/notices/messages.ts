import { EngineError, type ErrorCode } from '../../../shared/contract/index';

export type NoticeTone = 'error' | 'warning' | 'info' | 'success';

export interface ErrorDescription {
  readonly tone: NoticeTone;
  /** A short headline: what kind of problem this is. */
  readonly title: string;
  /** The engine's own sentence: it names the file and what is wrong with it. */
  readonly message: string;
  /** What to do, where the engine's sentence does not already say it. */
  readonly hint: string | null;
  readonly code: ErrorCode;
}

interface CodeText {
  readonly title: string;
  readonly hint?: string;
  readonly tone?: NoticeTone;
}

/**
 * One headline per error code, and a hint where the engine's message says what happened
 * but not what to do. Messages of file refusals already say it ("Open a backup ...",
 * "Update Campaign Planner ..."), so they get no hint.
 */
const CODE_TEXT: Readonly<Record<ErrorCode, CodeText>> = {
  INVALID_ARGUMENT: { title: 'Check what you entered' },
  UNKNOWN_METHOD: {
    title: 'Version mismatch',
    hint: 'The window and the engine come from different versions. Restart Campaign Planner.',
  },
  NO_PROJECT: { title: 'No project is open', hint: 'Create a new project or open one from the start screen.' },
  UNSAVED_CHANGES: { title: 'Unsaved changes', tone: 'warning' },
  NOT_FOUND: {
    title: 'Not found',
    hint: 'It may have been moved, renamed or deleted. Check the location and try again.',
  },
  ALREADY_EXISTS: { title: 'The file already exists', tone: 'warning' },
  NOT_SQLITE: {
    title: 'Not a Campaign Planner project',
    hint: 'Choose a .cplan file saved by Campaign Planner.',
  },
  CORRUPT_FILE: { title: 'The project file is damaged' },
  FOREIGN_FILE: {
    title: "Another application's database",
    hint: 'Open it with the application that made it; Campaign Planner opens .cplan projects only.',
  },
  FOREIGN_SCHEMA: { title: 'The project file was changed outside Campaign Planner' },
  NEWER_VERSION: { title: 'Saved by a newer version' },
  FILE_TOO_LARGE: { title: 'The file is too large' },
  UNSUPPORTED_FILE: { title: 'Unsupported file format' },
  IO_ERROR: {
    title: 'The file could not be read or written',
    hint: 'Check that the folder exists, that you are allowed to write there and that the disk is not full.',
  },
  REFUSED: { title: 'Not possible right now', tone: 'warning' },
  CANCELLED: { title: 'Cancelled', tone: 'info' },
  TIMED_OUT: { title: 'Stopped: it took too long' },
  ENGINE_CRASHED: { title: 'The engine was restarted' },
  UNAVAILABLE: { title: 'The engine cannot be reached' },
  UNAUTHORIZED: {
    title: 'Access refused',
    hint: 'Open the address the server printed when it started, including its #token=… part.',
  },
  INTERNAL: {
    title: 'Something went wrong',
    hint: 'This is a bug in Campaign Planner. Save your work with Save As, and report this message.',
  },
};

/** Turns anything an action caught into a notice that says what happened and what to do. */
export function describeError(error: unknown): ErrorDescription {
  const engineError =
    error instanceof EngineError
      ? error
      : new EngineError('INTERNAL', `Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  const text = CODE_TEXT[engineError.code];
  return {
    tone: text.tone ?? 'error',
    title: text.title,
    message: engineError.message,
    hint: text.hint ?? null,
    code: engineError.code,
  };
}

/** An error in one or two sentences for a dialog that shows it in place: the engine's message and what to do. */
export function errorSentence(error: unknown): string {
  const { message, hint } = describeError(error);
  return hint ? `${message} ${hint}` : message;
}

export function isCancelled(error: unknown): boolean {
  return error instanceof EngineError && error.code === 'CANCELLED';
}

export function hasCode(error: unknown, code: ErrorCode): error is EngineError {
  return error instanceof EngineError && error.code === code;
}
