import type { z } from 'zod';
import type { ErrorPayload } from './errors';

/**
 * The INVALID_ARGUMENT payload for input that failed its schema, the same at every
 * boundary (engine, IPC bridge, HTTP): a sentence naming the first problem, and every
 * problem with its path in `details.issues`.
 */
export function invalidArgument(what: string, error: z.ZodError, details: Record<string, unknown> = {}): ErrorPayload {
  const issues = error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  const first = issues[0];
  const where = first?.path ? `${first.path}: ` : '';
  return {
    code: 'INVALID_ARGUMENT',
    message: `Invalid ${what}: ${where}${first?.message ?? 'not valid'}`,
    details: { ...details, issues },
  };
}
