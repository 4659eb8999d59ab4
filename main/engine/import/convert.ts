/**
 * Reading one CSV cell as a value of a field type: pure functions, used by the parse
 * worker for every cell of an import and by the preview for its sample. A converter
 * returns the value to store, or a problem code; never a guess.
 */
import type { ImportProblem } from '../../../shared/contract/imports';
import { parseDateTime, type DateOrder } from '../../../shared/domain/dates';
import { MAX_ENUM_VALUES, SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../../../shared/domain/profiles';
import { unescapeFormulaGuard } from '../../../shared/csv-formula-guard';

export type ProblemCode = ImportProblem['code'];
export type { DateOrder };
export type DecimalSeparator = '.' | ',';

/** The longest profile ID, and the longest text cell, an import accepts. */
export const MAX_ID_CHARS = 200;
export const MAX_TEXT_CHARS = 32_768;

// The formula guard's rule lives in shared/csv-formula-guard.ts; the import's cell readers
// take its undoing from here, next to trimCell.
export { unescapeFormulaGuard };

/**
 * Text without the U+FEFF it starts with (byte order marks left inside a value). sql.js
 * decodes every text it reads with a TextDecoder, which drops a leading U+FEFF, so the app
 * would show and export such a value without it (one less each time it is saved and read
 * again): it is stored without any, as it will read back.
 */
export function withoutLeadingBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.replace(/^\uFEFF+/, '') : text;
}

/** A cell as a list (enum) field holds it: trimmed, the export's apostrophe off. */
export function listValueOf(cell: string): string {
  return unescapeFormulaGuard(trimCell(cell));
}

// The hot path of an import runs these for every cell: they avoid allocating when they
// can (most cells are already trimmed, most dates already ISO).

const isPlainAscii = (code: number) => code > 32 && code < 127;

/** An empty cell: nothing but spaces. Empty cells mean "no value" for every type. */
export function isBlank(cell: string): boolean {
  if (cell.length === 0) return true;
  return isPlainAscii(cell.charCodeAt(0)) ? false : cell.trim().length === 0;
}

/** The cell without surrounding spaces (the same string when there are none). */
export function trimCell(cell: string): string {
  const n = cell.length;
  return n > 0 && isPlainAscii(cell.charCodeAt(0)) && isPlainAscii(cell.charCodeAt(n - 1)) ? cell : cell.trim();
}

// Numbers: an optional sign, digits with optional thousands groups separated by a space,
// a no-break space or a narrow no-break space (as Excel and Russian locales write them),
// an optional fraction with the chosen separator, an optional exponent (Excel writes
// 1.5E+10). Nothing else: "1,234.5" with the comma as a thousands separator is refused, not
// guessed.
const NUMBER_DOT = /^[+-]?(?:(?:\d+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NUMBER_COMMA = /^[+-]?(?:(?:\d+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?:,\d+)?|,\d+)(?:[eE][+-]?\d+)?$/;
const GROUP_SPACES = /[ \u00a0\u202f]/g;
const HAS_GROUP_SPACE = /[ \u00a0\u202f]/;

/** A number in the chosen notation, or null. */
/**
 * The usual cell, "1234" or "-12.5" (with the chosen separator), without a regular
 * expression: digits, at most one separator between digits, an optional leading minus.
 * Returns NaN for anything else, which then takes the general path.
 */
function plainNumber(text: string, separator: number): number {
  const length = text.length;
  if (length === 0 || length > 15) return Number.NaN;
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  if (i === length) return Number.NaN;
  let seenSeparator = false;
  let digitsBefore = 0;
  let digitsAfter = 0;
  for (; i < length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      if (seenSeparator) digitsAfter += 1;
      else digitsBefore += 1;
    } else if (code === separator && !seenSeparator) {
      seenSeparator = true;
    } else {
      return Number.NaN;
    }
  }
  if (digitsBefore === 0 || (seenSeparator && digitsAfter === 0)) return Number.NaN;
  return Number(separator === 46 ? text : text.replace(',', '.'));
}

export function parseNumber(cell: string, decimal: DecimalSeparator): number | null {
  const fast = plainNumber(cell, decimal === '.' ? 46 : 44);
  if (fast === fast) return fast;
  const text = trimCell(cell);
  if (!(decimal === '.' ? NUMBER_DOT : NUMBER_COMMA).test(text)) return null;
  let plain = HAS_GROUP_SPACE.test(text) ? text.replace(GROUP_SPACES, '') : text;
  if (decimal === ',') plain = plain.replace(',', '.');
  const value = Number(plain);
  return Number.isFinite(value) ? value : null;
}

// Dates are read by the shared rule (stratification bounds read them the same way).
export { parseDate, parseDateTime } from '../../../shared/domain/dates';

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'да']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'нет']);

/** Yes/no as 1/0, or null. */
export function parseBoolean(cell: string): 0 | 1 | null {
  const word = cell.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return 1;
  if (FALSE_WORDS.has(word)) return 0;
  return null;
}

const STATUS_BY_NAME = new Map<string, SubscriptionStatus>(SUBSCRIPTION_STATUSES.map((s) => [s, s]));

export function parseSubscription(cell: string): SubscriptionStatus | null {
  return STATUS_BY_NAME.get(cell) ?? STATUS_BY_NAME.get(cell.trim().toLowerCase()) ?? null;
}

/**
 * Whether a text value would be read back as another type: a number (with either decimal
 * separator), a yes/no word, or a date or date-time (in either order). The export writes
 * such a text value in quotes, which it needs for nothing else, and the preview takes a
 * quoted value as text (infer.ts), so a text field exported and imported stays text
 * (the convention of Python's csv.QUOTE_NONNUMERIC).
 */
export function readsAsTyped(text: string): boolean {
  return readsAsData(text) || parseBoolean(text) !== null;
}

/**
 * A number or a date (in any notation the import reads): data, never a column's name
 * (detect.ts), so the export quotes a field named like that ("2024").
 */
export function readsAsData(text: string): boolean {
  return parseNumber(text, '.') !== null || parseNumber(text, ',') !== null || parseDateTime(text, 'dmy') !== null || parseDateTime(text, 'mdy') !== null;
}

/** How the chosen date order reads, for messages: "day.month.year". */
export function dateOrderLabel(order: DateOrder): string {
  if (order === 'dmy') return 'day first, as in 31.12.2024';
  if (order === 'mdy') return 'month first, as in 12/31/2024';
  return 'year-month-day, as in 2024-12-31; choose the day/month order for other dates';
}

/** The sentence the result page and the error report show for a problem. */
export function problemReason(
  code: ProblemCode,
  context: { decimal?: DecimalSeparator; dateOrder?: DateOrder; enumValues?: readonly string[]; listFull?: boolean; expected?: number; found?: number },
): string {
  switch (code) {
    case 'missing_id':
      return 'missing ID: every row needs a profile ID';
    case 'missing_value':
      return 'missing value: every row needs one here';
    case 'duplicate_id':
      return 'ID repeated in the file: each profile ID may appear once (this row is left out)';
    case 'not_a_number':
      return `not a number (the decimal separator is "${context.decimal ?? '.'}")`;
    case 'not_a_date':
      return `not a date in the chosen format (${dateOrderLabel(context.dateOrder ?? null)})`;
    case 'not_a_datetime':
      return `not a date and time in the chosen format (${dateOrderLabel(context.dateOrder ?? null)}, then HH:MM or HH:MM:SS)`;
    case 'not_a_boolean':
      return 'not a yes/no value (yes, no, true, false, 1, 0, да, нет)';
    case 'unknown_enum_value': {
      if (context.listFull) return `not in the field's list, which is full (a list holds at most ${MAX_ENUM_VALUES} values)`;
      const values = context.enumValues ?? [];
      const shown = values.slice(0, 10).map((v) => `"${v}"`).join(', ');
      return `not one of the field's values (${shown}${values.length > 10 ? ', …' : ''})`;
    }
    case 'unknown_subscription_status':
      return `unknown subscription status (${SUBSCRIPTION_STATUSES.join(', ')})`;
    case 'too_many_cells':
      return `too many cells: ${context.found ?? '?'}, the header has ${context.expected ?? '?'}`;
    case 'too_few_cells':
      return `too few cells: ${context.found ?? '?'}, the header has ${context.expected ?? '?'}`;
    case 'unterminated_quote':
      return 'a quoted cell is never closed, so the rows after it cannot be told apart: nothing was imported';
    case 'value_too_long':
      return `longer than the ${context.expected ?? MAX_TEXT_CHARS} characters a cell may hold`;
    case 'invalid_quotes':
      return 'text after the closing quote of a quoted cell (a quote inside a cell must be doubled: "")';
  }
}

/** Cell text kept in a problem, so one huge cell cannot fill the report. */
export function problemValue(cell: string): string {
  return cell.length > 200 ? `${cell.slice(0, 200)}…` : cell;
}
