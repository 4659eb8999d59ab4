import { describe, expect, it } from 'vitest';
import { escapeFormulaGuard, unescapeFormulaGuard } from '../../../../shared/csv-formula-guard';
import {
  isBlank,
  parseBoolean,
  parseDate,
  parseDateTime,
  parseNumber,
  parseSubscription,
} from '../../../../main/engine/import/convert';

describe('numbers', () => {
  it('reads the chosen decimal separator, spaces and no-break spaces as thousands groups, exponents', () => {
    expect(parseNumber('12.5', '.')).toBe(12.5);
    expect(parseNumber(' -3 ', '.')).toBe(-3);
    expect(parseNumber('1 234 567.25', '.')).toBe(1234567.25);
    expect(parseNumber('1\u00a0234,5', ',')).toBe(1234.5);
    expect(parseNumber('1\u202f234', ',')).toBe(1234);
    expect(parseNumber('12,5', ',')).toBe(12.5);
    expect(parseNumber(',5', ',')).toBe(0.5);
    expect(parseNumber('1.5E+10', '.')).toBe(1.5e10);
  });

  it('refuses everything else, never guessing', () => {
    for (const text of ['12,5', '1,234.5', '1.234,5', 'abc', '', '-', '.', '1e', '12 34', '1 2345', 'NaN', 'Infinity', '0x10', '5%']) {
      expect(parseNumber(text, '.'), text).toBeNull();
    }
    expect(parseNumber('12.5', ',')).toBeNull();
    expect(parseNumber('1e999', '.')).toBeNull();
  });
});

describe('dates', () => {
  it('reads ISO dates always, and real calendar days only', () => {
    expect(parseDate('2024-12-31', null)).toBe('2024-12-31');
    expect(parseDate(' 2024-2-9 ', null)).toBe('2024-02-09');
    expect(parseDate('2024-02-29', null)).toBe('2024-02-29');
    expect(parseDate('2023-02-29', null)).toBeNull();
    expect(parseDate('2100-02-29', null)).toBeNull();
    expect(parseDate('2000-02-29', null)).toBe('2000-02-29');
    expect(parseDate('2024-13-01', null)).toBeNull();
    expect(parseDate('2024-04-31', null)).toBeNull();
  });

  it('reads day-first and month-first dates only in the chosen order', () => {
    expect(parseDate('31.12.2024', null)).toBeNull();
    expect(parseDate('31.12.2024', 'dmy')).toBe('2024-12-31');
    expect(parseDate('31/12/2024', 'dmy')).toBe('2024-12-31');
    expect(parseDate('12/31/2024', 'mdy')).toBe('2024-12-31');
    expect(parseDate('12/31/2024', 'dmy')).toBeNull();
    expect(parseDate('03/04/2024', 'dmy')).toBe('2024-04-03');
    expect(parseDate('03/04/2024', 'mdy')).toBe('2024-03-04');
    expect(parseDate('3.4.2024', 'dmy')).toBe('2024-04-03');
    expect(parseDate('31.12/2024', 'dmy')).toBeNull();
    expect(parseDate('31.12.24', 'dmy')).toBeNull();
  });

  it('reads date-times with T or a space, seconds optional, a zone dropped (the wall time written is kept)', () => {
    expect(parseDateTime('2024-12-31 10:15', null)).toBe('2024-12-31T10:15:00');
    expect(parseDateTime('2024-12-31T10:15:30', null)).toBe('2024-12-31T10:15:30');
    expect(parseDateTime('2024-12-31T10:15:30.123Z', null)).toBe('2024-12-31T10:15:30');
    expect(parseDateTime('2024-12-31T23:59:59+03:00', null)).toBe('2024-12-31T23:59:59');
    expect(parseDateTime('31.12.2024 9:05', 'dmy')).toBe('2024-12-31T09:05:00');
    expect(parseDateTime('12/31/2024 09:05:07', 'mdy')).toBe('2024-12-31T09:05:07');
    expect(parseDateTime('2024-12-31', null)).toBe('2024-12-31T00:00:00');
    expect(parseDateTime('2024-12-31 24:00', null)).toBeNull();
    expect(parseDateTime('2024-12-31 10:60', null)).toBeNull();
    expect(parseDateTime('31.12.2024 10:00', null)).toBeNull();
    expect(parseDateTime('yesterday', null)).toBeNull();
  });

  it('reads the usual "YYYY-MM-DD HH:MM:SS" exactly as every other form: a real date and time, or nothing', () => {
    expect(parseDateTime('2024-02-29 23:59:59', null)).toBe('2024-02-29T23:59:59');
    expect(parseDateTime(' 2024-02-29T00:00:00 ', null)).toBe('2024-02-29T00:00:00');
    expect(parseDateTime('2024-02-29t10:00:00', null)).toBe('2024-02-29T10:00:00');
    for (const bad of ['2023-02-29 10:00:00', '2024-13-01 10:00:00', '2024-12-00 10:00:00', '2024-12-31 24:00:00', '2024-12-31 23:60:00', '2024-12-31 23:59:60', '2024-12-31 2a:00:00', '2024-12-31_10:00:00', '2024/12/31 10:00:00']) {
      expect(parseDateTime(bad, null), bad).toBeNull();
    }
    // The same answers for every canonical shape as through the general reading (seconds given as :SS.0).
    for (let i = 0; i < 2000; i += 1) {
      const pad = (n: number) => String(n).padStart(2, '0');
      const cell = `20${pad(i % 100)}-${pad((i * 7) % 14)}-${pad((i * 13) % 33)} ${pad((i * 5) % 26)}:${pad((i * 11) % 62)}:${pad((i * 3) % 62)}`;
      expect(parseDateTime(cell, null), cell).toBe(parseDateTime(`${cell}.0`, null));
    }
  });
});

describe('yes/no, status, blanks', () => {
  it('reads yes/no words in English and Russian, and 1/0', () => {
    for (const yes of ['yes', 'YES', 'true', 'True', 'y', '1', 'да', 'Да']) expect(parseBoolean(yes), yes).toBe(1);
    for (const no of ['no', 'false', 'N', '0', 'нет', ' НЕТ ']) expect(parseBoolean(no), no).toBe(0);
    expect(parseBoolean('maybe')).toBeNull();
    expect(parseBoolean('2')).toBeNull();
  });

  it('reads subscription statuses in any case', () => {
    expect(parseSubscription('subscribed')).toBe('subscribed');
    expect(parseSubscription(' Unsubscribed ')).toBe('unsubscribed');
    expect(parseSubscription('BOUNCED')).toBe('bounced');
    expect(parseSubscription('active')).toBeNull();
  });

  it('treats cells of spaces as empty', () => {
    expect(isBlank('')).toBe(true);
    expect(isBlank('  \t')).toBe(true);
    expect(isBlank('\u00a0')).toBe(true);
    expect(isBlank(' a ')).toBe(false);
    expect(isBlank('0')).toBe(false);
  });
});

describe('the formula guard of export and import', () => {
  it('import removes exactly the one apostrophe the export added', () => {
    expect(unescapeFormulaGuard("'=1+1")).toBe('=1+1');
    expect(unescapeFormulaGuard("''=1+1")).toBe("'=1+1");
    expect(unescapeFormulaGuard("'+7 999 123")).toBe('+7 999 123');
    expect(unescapeFormulaGuard("'-5")).toBe('-5');
    expect(unescapeFormulaGuard("'@home")).toBe('@home');
    expect(unescapeFormulaGuard("'\tx")).toBe('\tx');
    expect(unescapeFormulaGuard("'\rx")).toBe('\rx');
    // Apostrophes that protect nothing are data.
    expect(unescapeFormulaGuard("'quoted'")).toBe("'quoted'");
    expect(unescapeFormulaGuard("'123")).toBe("'123");
    expect(unescapeFormulaGuard('=HYPERLINK("http://x")')).toBe('=HYPERLINK("http://x")');
  });

  it('export then import gives back every value', () => {
    for (const value of ['=1+1', "'=1+1", "''=SUM(A1)", '+7', '-', '@', '\tTab', '\rCR', "'", "'x", 'plain', '', "''"]) {
      expect(unescapeFormulaGuard(escapeFormulaGuard(value)), JSON.stringify(value)).toBe(value);
    }
  });
});
