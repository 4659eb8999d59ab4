/**
 * The engine's rules for names, checked as the user types so a form says what is wrong
 * before anything is sent. The engine checks again; its word is final.
 */
import { MAX_DATABASE_NAME, MAX_FIELD_NAME, type DatabaseSummary, type Field } from '../../../shared/contract/index';
import { MAX_ENUM_VALUES } from '../../../shared/domain/profiles';
import { sameName, tooLongProblem } from '../../lib/text';

const RESERVED_FIELD_NAMES = ['profile_id', 'profile id', 'subscription_status', 'subscription status'];

export function databaseNameProblem(name: string, databases: readonly DatabaseSummary[], exceptId?: number): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'The database name cannot be empty.';
  const tooLong = tooLongProblem(trimmed, MAX_DATABASE_NAME);
  if (tooLong) return tooLong;
  const taken = databases.find((d) => d.id !== exceptId && sameName(d.name, trimmed));
  return taken ? `A database named "${taken.name}" already exists.` : null;
}

/** `others`: names already used (existing fields, or other new fields of the same import). */
export function fieldNameProblem(name: string, others: readonly string[]): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'The field name cannot be empty.';
  const tooLong = tooLongProblem(trimmed, MAX_FIELD_NAME);
  if (tooLong) return tooLong;
  if (/[\u0000-\u001f]/.test(trimmed)) return 'The field name contains a control character.';
  if (RESERVED_FIELD_NAMES.some((r) => sameName(r, trimmed))) return `"${trimmed}" is the name of a system field; choose another.`;
  const taken = others.find((o) => sameName(o, trimmed));
  return taken === undefined ? null : `There is already a field named "${taken}".`;
}

export function otherFieldNames(fields: readonly Field[], exceptId?: number): string[] {
  return fields.filter((f) => f.id !== exceptId).map((f) => f.name);
}

/** Enum values as typed: one per line. */
export function parseEnumValues(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function enumValuesProblem(values: readonly string[]): string | null {
  if (values.length === 0) return 'A choice field needs at least one value.';
  if (values.length > MAX_ENUM_VALUES) return `At most ${MAX_ENUM_VALUES} values.`;
  if (values.some((v) => v.length > 200)) return 'A value can have at most 200 characters.';
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) return `"${v}" is listed twice.`;
    seen.add(v);
  }
  return null;
}
