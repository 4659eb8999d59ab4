/**
 * Values the app stores as text in a project (a campaign's LCG settings as JSON, a build's
 * reason, a list field's values), read back from a file that may have been edited by hand.
 * The schema check on opening keeps a file's SQL out; the values themselves are checked
 * where they are read: one that is not JSON, or not of its shape, makes the project
 * "damaged", saying where and what was found, never an internal error.
 */
import type { z } from 'zod';
import { EngineError } from '../../../shared/contract/errors';

/** A name or value from a file, fit for a one-line message: no control characters, at most `max` characters. */
export function fileText(value: unknown, max: number): string {
  const text = String(value).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function damaged(where: string, value: unknown, why: string): EngineError {
  return new EngineError('CORRUPT_FILE', `The project is damaged: ${where} cannot be read ("${fileText(value, 60)}": ${why}). Open a backup or an earlier copy of it.`, {
    where,
  });
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'not of the expected form';
  const message = issue.message.replace(/\.$/, '');
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${message}` : message;
}

/** A stored value of a closed set or shape (not JSON), such as a build's reason. */
export function storedValue<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw damaged(where, value, issueText(parsed.error));
  return parsed.data;
}

/** A value stored as JSON text, of the shape `schema` says. */
export function storedJson<T>(schema: z.ZodType<T>, text: unknown, where: string): T {
  let value: unknown;
  try {
    value = JSON.parse(String(text));
  } catch {
    throw damaged(where, text, 'not JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw damaged(where, text, issueText(parsed.error));
  return parsed.data;
}
