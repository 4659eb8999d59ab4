/**
 * What type a column's values suggest for a new field, and where each column should go.
 * Conservative on purpose: a column of IDs with leading zeros ("00123") is text, never a
 * number; a number is only a number when it is stored exactly as written (not
 * 12345678901234567890, which a double rounds); 0/1 alone is a number, not yes/no; a date
 * needs every value to be a real date; a value quoted for no other reason is text.
 *
 * The export writes every type so that these rules read it back as the same type (see
 * csv-builder.ts): numbers exactly, dates in ISO, yes/no as true/false, and text that
 * would read as one of those in quotes.
 */
import type { Field } from '../../../shared/contract/databases';
import type { ColumnTarget } from '../../../shared/contract/imports';
import { MAX_ENUM_VALUE_CHARS, MAX_ENUM_VALUES, SUBSCRIPTION_ALIASES, type FieldType } from '../../../shared/domain/profiles';
import { NameIndex } from '../../../shared/names';
import { isBlank, listValueOf, parseDate, parseDateTime, parseNumber, trimCell, type DateOrder, type DecimalSeparator } from './convert';
import { ID_ALIASES, isBooleanWord } from './detect';

/**
 * At most this many different values, among at least ENUM_MIN_ROWS filled cells, each
 * value filling two cells on average, look like a choice (the demo's 22 cities do).
 */
export const ENUM_MAX_VALUES = 50;
export const ENUM_MIN_ROWS = 20;

const LEADING_ZERO = /^[+-]?0\d/;

const fitsDate = (cell: string, order: DateOrder) =>
  order === null ? parseDate(cell, 'dmy') !== null || parseDate(cell, 'mdy') !== null : parseDate(cell, order) !== null;
const fitsDateTime = (cell: string, order: DateOrder) =>
  order === null ? parseDateTime(cell, 'dmy') !== null || parseDateTime(cell, 'mdy') !== null : parseDateTime(cell, order) !== null;

/** A decimal number's significant digits and where the point goes: 0.DIGITS x 10^exponent. */
function decimalOf(text: string): string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return text;
  const whole = match[2] ?? '';
  let digits = whole + (match[3] ?? '');
  let exponent = Number(match[4] ?? 0) + whole.length;
  const zeros = /^0*/.exec(digits)![0].length;
  digits = digits.slice(zeros).replace(/0+$/, '');
  exponent -= zeros;
  return digits === '' ? '0' : `${match[1] === '-' ? '-' : ''}0.${digits}e${exponent}`;
}

/**
 * The cell's number is stored exactly as written: the double read from it has the same
 * decimal value as the cell (0.30000000000000004, 1e+21 and 100000000000000000000 do;
 * 12345678901234567890 and 0.1000000000000000055511 do not, a double rounds them).
 */
export function storedExactly(cell: string, decimal: DecimalSeparator): boolean {
  const value = parseNumber(cell, decimal);
  if (value === null) return false;
  let text = trimCell(cell).replace(/[ \u00a0\u202f]/g, '');
  if (decimal === ',') text = text.replace(',', '.');
  return decimalOf(text) === decimalOf(String(value));
}

export interface InferredType {
  readonly type: FieldType;
  readonly enumValues: string[];
}

/**
 * The type of a new field for these cells (the sample of one column). `quotedAsText`: a
 * value that would read as a number, date or yes/no was quoted, as the export quotes text.
 */
export function inferType(
  cells: readonly string[],
  options: { decimal: DecimalSeparator; dateOrder: DateOrder; quotedAsText?: boolean },
): InferredType {
  const values = cells.filter((c) => !isBlank(c)).map((c) => c.trim());
  const text = { type: 'string' as const, enumValues: [] };
  if (values.length === 0) return text;
  if (!options.quotedAsText) {
    if (values.every((v) => parseNumber(v, options.decimal) !== null)) {
      // "00123" and numbers a double would round would not survive as numbers.
      if (values.some((v) => LEADING_ZERO.test(v) || !storedExactly(v, options.decimal))) return text;
      return { type: 'number', enumValues: [] };
    }
    if (values.every(isBooleanWord)) return { type: 'boolean', enumValues: [] };
    // Dates in the chosen order; with no order chosen yet, in either (the user then picks).
    if (values.every((v) => fitsDate(v, options.dateOrder))) return { type: 'date', enumValues: [] };
    if (values.every((v) => fitsDateTime(v, options.dateOrder))) return { type: 'datetime', enumValues: [] };
  }
  // A choice holds values as the import stores them (the export's apostrophe taken off).
  const distinct = [...new Set(values.map(listValueOf))];
  if (
    values.length >= ENUM_MIN_ROWS &&
    distinct.length <= ENUM_MAX_VALUES &&
    distinct.length * 2 <= values.length &&
    distinct.length <= MAX_ENUM_VALUES &&
    distinct.every((v) => v.length <= MAX_ENUM_VALUE_CHARS)
  ) {
    return { type: 'enum', enumValues: distinct.sort((a, b) => a.localeCompare(b)) };
  }
  return text;
}

/** A field name from a header cell: trimmed, no control characters, at most 64 characters. */
export function fieldNameOf(header: string): string {
  return header.replace(/[\u0000-\u001f]/g, ' ').trim().slice(0, 64).trim();
}

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

/** A new field of the inferred type; a new list takes the values of the whole file, not only the sample's. */
function newField(name: string, inferred: InferredType): ColumnTarget {
  if (inferred.type === 'enum') return { kind: 'newField', field: { name: fieldNameOf(name), type: 'enum', enumValues: inferred.enumValues }, addEnumValues: true };
  return { kind: 'newField', field: { name: fieldNameOf(name), type: inferred.type } };
}
