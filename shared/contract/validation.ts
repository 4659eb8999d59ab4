import type { z } from 'zod';
import { formatCount } from '../format';
import type { ErrorPayload } from './errors';

/** What a size issue carries (zod's too_big and too_small), read without trusting its type. */
interface SizeIssue {
  readonly code: string;
  readonly origin?: unknown;
  readonly maximum?: unknown;
  readonly minimum?: unknown;
  readonly inclusive?: unknown;
  readonly message: string;
}

/**
 * A size out of bounds in plain words ("at most 200 characters") instead of the schema
 * library's own ("Too big: expected string to have <=200 characters"); a message a schema
 * gives itself is kept.
 */
function plainMessage(issue: SizeIssue): string {
  if ((issue.code !== 'too_big' && issue.code !== 'too_small') || !/^Too (big|small): expected /.test(issue.message)) return issue.message;
  const big = issue.code === 'too_big';
  const bound = Number(big ? issue.maximum : issue.minimum);
  if (!Number.isFinite(bound)) return issue.message;
  const exclusive = issue.inclusive === false;
  const side = big ? (exclusive ? 'below' : 'at most') : exclusive ? 'above' : 'at least';
  if (issue.origin === 'string' || issue.origin === 'array' || issue.origin === 'set') {
    // Lengths are whole numbers: an exclusive bound is the next one in.
    const n = exclusive ? (big ? bound - 1 : bound + 1) : bound;
    if (!big && n === 1 && issue.origin === 'string') return 'cannot be empty';
    const unit = issue.origin === 'string' ? 'character' : 'item';
    return `${big ? 'at most' : 'at least'} ${formatCount(n)} ${unit}${n === 1 ? '' : 's'}`;
  }
  return `${side} ${formatCount(bound)}`;
}

/**
 * The INVALID_ARGUMENT payload for input that failed its schema, the same at every
 * boundary (engine, IPC bridge, HTTP): a sentence naming the first problem, and every
 * problem with its path in `details.issues`.
 */
export function invalidArgument(what: string, error: z.ZodError, details: Record<string, unknown> = {}): ErrorPayload {
  const issues = error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: plainMessage(issue) }));
  const first = issues[0];
  const where = first?.path ? `${first.path}: ` : '';
  const message = first?.message ?? 'not valid';
  return {
    code: 'INVALID_ARGUMENT',
    message: `Invalid ${what}: ${where}${message}${/[.!?]$/.test(message) ? '' : '.'}`,
    details: { ...details, issues },
  };
}
