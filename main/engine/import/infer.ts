/**
 * What type a column's values suggest for a new field, and where each column should go.
 * Conservative on purpose: a column of IDs with leading zeros ("00123") or of more than
 * 15 digits is text, never a number (a number would lose the zeros, or digits); 0/1 alone
 * is a number, not yes/no; a date needs every value to be a real date.
 */
import type { Field, FieldDraft } from '../../../shared/contract/databases';
import type { ColumnTarget } from '../../../shared/contract/imports';
import { MAX_ENUM_VALUES, PROFILE_ID_ALIASES, SUBSCRIPTION_ALIASES, type FieldType } from '../../../shared/domain/profiles';
import { isBlank, parseDate, parseDateTime, parseNumber, type DateOrder, type DecimalSeparator } from './convert';
import { isBooleanWord } from './detect';
import { NameIndex } from '../../../shared/names';

/** At most this many different values, among at least ENUM_MIN_ROWS filled cells, look like a choice. */
export const ENUM_MAX_VALUES = 12;
export const ENUM_MIN_ROWS = 20;

const LEADING_ZERO = /^[+-]?0\d/;
const LONG_DIGITS = /\d{16,}/;

const fitsDate = (cell: string, order: DateOrder) =>
  order === null ? parseDate(cell, 'dmy') !== null || parseDate(cell, 'mdy') !== null : parseDate(cell, order) !== null;
const fitsDateTime = (cell: string, order: DateOrder) =>
  order === null ? parseDateTime(cell, 'dmy') !== null || parseDateTime(cell, 'mdy') !== null : parseDateTime(cell, order) !== null;

export interface InferredType {
  readonly type: FieldType;
  readonly enumValues: string[];
}

/** The type of a new field for these cells (the sample of one column). */
export function inferType(cells: readonly string[], options: { decimal: DecimalSeparator; dateOrder: DateOrder }): InferredType {
  const values = cells.filter((c) => !isBlank(c)).map((c) => c.trim());
  const text = { type: 'string' as const, enumValues: [] };
  if (values.length === 0) return text;
  if (values.every((v) => parseNumber(v, options.decimal) !== null)) {
    // "00123" and 16+ digit IDs would not survive as numbers.
    if (values.some((v) => LEADING_ZERO.test(v) || LONG_DIGITS.test(v))) return text;
    return { type: 'number', enumValues: [] };
  }
  if (values.every(isBooleanWord)) return { type: 'boolean', enumValues: [] };
  // Dates in the chosen order; with no order chosen yet, in either (the user then picks).
  if (values.every((v) => fitsDate(v, options.dateOrder))) return { type: 'date', enumValues: [] };
  if (values.every((v) => fitsDateTime(v, options.dateOrder))) return { type: 'datetime', enumValues: [] };
  const distinct = [...new Set(values)];
  if (
    values.length >= ENUM_MIN_ROWS &&
    distinct.length <= ENUM_MAX_VALUES &&
    distinct.length * 2 <= values.length &&
    distinct.length <= MAX_ENUM_VALUES &&
    distinct.every((v) => v.length <= 200)
  ) {
    return { type: 'enum', enumValues: distinct.sort((a, b) => a.localeCompare(b)) };
  }
  return text;
}

/** A field name from a header cell: trimmed, no control characters, at most 64 characters. */
export function fieldNameOf(header: string): string {
  return header.replace(/[\u0000-\u001f]/g, ' ').trim().slice(0, 64).trim();
}

const ID_ALIASES = new NameIndex(PROFILE_ID_ALIASES.map((a) => [a, true] as const));
const STATUS_ALIASES = new NameIndex(SUBSCRIPTION_ALIASES.map((a) => [a, true] as const));

/**
 * A target for each column: an existing field of the same name; the ID and the status
 * columns by their usual names (the first of each); otherwise a new field named after the
 * header, of the inferred type. Columns without a usable name (empty, repeated) are skipped
 * until the user decides.
 */
export function suggestTargets(
  columns: readonly { name: string; header: string | null; inferred: InferredType; nameIssue?: 'empty' | 'duplicate' }[],
  fields: readonly Field[],
): ColumnTarget[] {
  let idTaken = false;
  let statusTaken = false;
  const used = new Set<number>();
  const fieldsByName = new NameIndex(fields.map((f) => [f.name, f] as const));
  return columns.map((column): ColumnTarget => {
    if (column.nameIssue || column.header === null) return column.header === null ? newField(column.name, column.inferred) : { kind: 'skip' };
    const header = column.header.trim();
    const field = fieldsByName.get(header);
    if (field && !used.has(field.id)) {
      used.add(field.id);
      return { kind: 'field', fieldId: field.id };
    }
    if (!idTaken && ID_ALIASES.get(header)) {
      idTaken = true;
      return { kind: 'profileId' };
    }
    if (!statusTaken && STATUS_ALIASES.get(header)) {
      statusTaken = true;
      return { kind: 'subscription' };
    }
    return newField(column.header, column.inferred);
  });
}

function newField(name: string, inferred: InferredType): ColumnTarget {
  const draft: FieldDraft =
    inferred.type === 'enum' ? { name: fieldNameOf(name), type: 'enum', enumValues: inferred.enumValues } : { name: fieldNameOf(name), type: inferred.type };
  return { kind: 'newField', field: draft };
}
