/**
 * Dates as the import reads them, for every side: the import's converters (re-exported by
 * main/engine/import/convert.ts), the bounds of stratification rules (engine, `cplan`,
 * renderer) and ages on the project clock's date. Pure functions; they run for every date
 * cell of an import, so the usual ISO cell is checked without a regular expression.
 *
 * Dates are "YYYY-MM-DD" text and date-times "YYYY-MM-DDTHH:MM:SS" (no zone, like the
 * project clock): as text they sort as time, which is how SQLite compares them.
 */

/** How a local date such as 04.03.2024 is read: day first, month first, or only ISO. */
export type DateOrder = 'dmy' | 'mdy' | null;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

function daysIn(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysIn(year, month);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number) => String(n).padStart(4, '0');

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
/** 31.12.2024, 31/12/2024, 12-31-2024: one separator used twice, the year last. */
const LOCAL_DATE = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4})$/;

const digitAt = (text: string, i: number) => {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -100_000;
};

/** "2024-12-31" exactly, checked without a regular expression: most dates in a file. */
function canonicalIsoDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const year = digitAt(text, 0) * 1000 + digitAt(text, 1) * 100 + digitAt(text, 2) * 10 + digitAt(text, 3);
  const month = digitAt(text, 5) * 10 + digitAt(text, 6);
  const day = digitAt(text, 8) * 10 + digitAt(text, 9);
  return year >= 0 && month >= 0 && day >= 0 && isRealDate(year, month, day);
}

/** A date as "YYYY-MM-DD": ISO always; day-first or month-first only per `order`. */
export function parseDate(cell: string, order: DateOrder): string | null {
  // trim() returns the same string when there is nothing to remove.
  const text = cell.trim();
  if (canonicalIsoDate(text)) return text;
  let match = ISO_DATE.exec(text);
  if (match) {
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return isRealDate(y, m, d) ? `${match[1]}-${pad2(m)}-${pad2(d)}` : null;
  }
  if (order === null) return null;
  match = LOCAL_DATE.exec(text);
  if (!match) return null;
  const first = Number(match[1]);
  const second = Number(match[3]);
  const year = Number(match[4]);
  const [day, month] = order === 'dmy' ? [first, second] : [second, first];
  return isRealDate(year, month, day) ? `${match[4]}-${pad2(month)}-${pad2(day)}` : null;
}

// Date-times: a date (as above), then T or spaces, then HH:MM[:SS[.fraction]], then an
// optional zone (Z, +03:00, +0300, -05). The zone is dropped: the value is stored as the
// wall time written in the file, like the project clock, which has no zone either.
const TIME_PART = /^(.*?)(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * "2024-12-31 23:59:59" or "2024-12-31T23:59:59" exactly, as "YYYY-MM-DDTHH:MM:SS", checked
 * without a regular expression (most date-times of a file, millions in an events import);
 * null for anything else, which the general reading below then decides.
 */
function canonicalDateTime(text: string): string | null {
  if (text.length !== 19) return null;
  const separator = text.charCodeAt(10);
  if ((separator !== 32 && separator !== 84) || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return null;
  const date = text.slice(0, 10);
  if (!canonicalIsoDate(date)) return null;
  const h = digitAt(text, 11) * 10 + digitAt(text, 12);
  const mi = digitAt(text, 14) * 10 + digitAt(text, 15);
  const s = digitAt(text, 17) * 10 + digitAt(text, 18);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return null;
  return separator === 84 ? text : `${date}T${text.slice(11)}`;
}

/** A date-time as "YYYY-MM-DDTHH:MM:SS"; a date alone means its midnight. */
export function parseDateTime(cell: string, order: DateOrder): string | null {
  const text = cell.trim();
  const canonical = canonicalDateTime(text);
  if (canonical !== null) return canonical;
  const match = TIME_PART.exec(text);
  if (!match) {
    const date = parseDate(text, order);
    return date === null ? null : `${date}T00:00:00`;
  }
  const date = parseDate(match[1] ?? '', order);
  if (date === null) return null;
  const [h, mi, s] = [Number(match[2]), Number(match[3]), match[4] === undefined ? 0 : Number(match[4])];
  if (h > 23 || mi > 59 || s > 59) return null;
  return `${date}T${pad2(h)}:${pad2(mi)}:${pad2(s)}`;
}

// ---------------------------------------------------------------------------------------
// Dates written by people (bounds of stratification rules)

export type BoundDate = { readonly ok: true; readonly date: string; readonly hasTime: boolean } | { readonly ok: false; readonly problem: string };

/**
 * A date (or date-time) typed as a bound, in the formats the import accepts: ISO
 * (2024-01-31, 2024-01-31T10:00), or a local date 31.12.1999, 31/12/1999, 12-31-1999 read
 * by `order`. Without an order, a local date is read the only way it can be; where both
 * ways make a date, dots mean day first (31.12.1999, as written in Europe and Russia) and
 * slashes or dashes are refused as ambiguous, naming both readings.
 *
 * A date-time that the import writes as "YYYY-MM-DDTHH:MM:SS" and that is typed in ISO
 * keeps its text (2024-01-31T10:00 stays so: existing rules keep their stratum keys).
 */
export function parseBoundDate(text: string, order: DateOrder = null): BoundDate {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?$/.test(trimmed) && parseDateTime(trimmed.replace(/\.\d+$/, ''), null) !== null) {
    return { ok: true, date: trimmed, hasTime: trimmed.length > 10 };
  }
  const readings = order === null ? [parseDateTime(trimmed, 'dmy'), parseDateTime(trimmed, 'mdy')] : [parseDateTime(trimmed, order)];
  const found = [...new Set(readings.filter((r): r is string => r !== null))];
  if (found.length === 0) return { ok: false, problem: `"${trimmed}" is not a date: write it as 2024-12-31 or 31.12.2024.` };
  let chosen = found[0]!;
  if (found.length > 1) {
    if (!/^\d{1,2}\.\d{1,2}\.\d{4}/.test(trimmed)) {
      return { ok: false, problem: `"${trimmed}" can be read as ${humanDate(found[0]!)} or ${humanDate(found[1]!)}: write it as ${found[0]!.slice(0, 10)} or ${found[1]!.slice(0, 10)}.` };
    }
    chosen = parseDateTime(trimmed, 'dmy')!;
  }
  const hasTime = /\d:\d/.test(trimmed);
  return { ok: true, date: hasTime ? chosen : chosen.slice(0, 10), hasTime };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function humanDate(iso: string): string {
  return `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1] ?? '?'} ${iso.slice(0, 4)}`;
}

// ---------------------------------------------------------------------------------------
// Calendar arithmetic on "YYYY-MM-DD"

/** The day after an ISO date. */
export function nextDay(date: string): string {
  let y = Number(date.slice(0, 4));
  let m = Number(date.slice(5, 7));
  let d = Number(date.slice(8, 10)) + 1;
  if (d > daysIn(y, m)) {
    d = 1;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
}

/**
 * The latest birth date of someone at least `years` old on `today` ("YYYY-MM-DD"): the same
 * day `years` years earlier (29 February becomes the 28th in a year without it). A person
 * becomes a year older on their birthday; one born on 29 February, on 1 March in other years.
 */
export function latestBirthDate(today: string, years: number): string {
  const y = Number(today.slice(0, 4)) - years;
  const m = Number(today.slice(5, 7));
  const d = Math.min(Number(today.slice(8, 10)), daysIn(y, m));
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
}

/** Full years between a birth date and `today` (both "YYYY-MM-DD"). */
export function ageOn(birth: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birth.slice(0, 4));
  return today.slice(5, 10) < birth.slice(5, 10) ? years - 1 : years;
}

/**
 * The birth dates of the people aged `from` to `to` full years on `today` (`to` null: no
 * upper age): lo <= birth < hi, lo null for no lower bound. Stratification by age and the
 * condition "age between" count ages by this one rule.
 */
export function ageSpan(today: string, from: number, to: number | null): { lo: string | null; hi: string } {
  return { lo: to === null ? null : nextDay(latestBirthDate(today, to + 1)), hi: nextDay(latestBirthDate(today, from)) };
}

/** A date ("YYYY-MM-DD") moved by n days, weeks or months (a month keeps the day, or the month's last day). */
export function shiftDate(date: string, n: number, unit: 'days' | 'weeks' | 'months'): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  if (unit === 'months') {
    const index = y * 12 + (m - 1) + n;
    const year = Math.floor(index / 12);
    const month = index - year * 12 + 1;
    return `${pad4(year)}-${pad2(month)}-${pad2(Math.min(d, daysIn(year, month)))}`;
  }
  const moved = new Date(0);
  // setUTCFullYear with the month and day reads years below 100 as themselves (Date.UTC does not).
  moved.setUTCFullYear(y, m - 1, d + (unit === 'weeks' ? 7 : 1) * n);
  return `${pad4(moved.getUTCFullYear())}-${pad2(moved.getUTCMonth() + 1)}-${pad2(moved.getUTCDate())}`;
}
