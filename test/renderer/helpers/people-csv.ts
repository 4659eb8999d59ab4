/**
 * The CSV file the import tests (store and end to end) read: semicolons, a UTF-8 byte
 * order mark, Windows line endings, IDs with leading zeros, Cyrillic names, typed
 * columns, and two bad rows (a non-number in the age column, a repeated ID).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PEOPLE_HEADER = ['customer_id', 'name', 'age', 'signup_date', 'vip', 'subscription_status'];

/** Data rows; the file's row numbers count the header as row 1. */
export const PEOPLE_ROWS: readonly (readonly string[])[] = [
  ['00123', 'Анна', '34', '2024-03-08', 'yes', 'subscribed'],
  ['00124', 'Борис', '41', '2024-03-09', 'no', 'unsubscribed'],
  ['00125', 'Vera', 'abc', '2024-03-10', 'yes', 'subscribed'], // row 4: not a number
  ['00126', 'Gleb', '29', '2024-03-11', 'no', 'bounced'],
  ['00127', 'Daria', '52', '2024-03-12', 'yes', 'subscribed'],
  ['00128', 'Egor', '38', '2024-03-13', 'no', 'unconfirmed'],
  ['00129', 'Zoya', '45', '2024-03-14', 'yes', 'subscribed'],
  ['00130', 'Ivan', '27', '2024-03-15', 'no', 'subscribed'],
  ['00124', 'Boris again', '44', '2024-03-16', 'yes', 'subscribed'], // row 10: the ID of row 3 again
  ['00131', 'Kira', '33', '2024-03-17', 'no', 'subscribed'],
  ['00132', 'Lev', '61', '2024-03-18', 'yes', 'subscribed'],
  ['00133', 'Mila', '36', '2024-03-19', 'no', 'subscribed'],
];

export const PEOPLE_BAD_ROWS = [4, 10];
export const PEOPLE_GOOD_COUNT = PEOPLE_ROWS.length - PEOPLE_BAD_ROWS.length;

export function writePeopleCsv(dir: string, fileName = 'people.csv'): string {
  const path = join(dir, fileName);
  const lines = [PEOPLE_HEADER, ...PEOPLE_ROWS].map((r) => r.join(';'));
  writeFileSync(path, `\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
  return path;
}
