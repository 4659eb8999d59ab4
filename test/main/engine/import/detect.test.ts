import { describe, expect, it } from 'vitest';
import {
  detectDateOrder,
  detectDecimal,
  detectDelimiter,
  detectFormat,
  detectHeader,
  detectLineEnding,
  sniffEncoding,
} from '../../../../main/engine/import/detect';
import { EngineError } from '../../../../shared/contract/errors';
import { cp1251, utf16 } from './helpers';

const bytes = (text: string) => new TextEncoder().encode(text);

function refusal(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('encoding', () => {
  it('trusts a BOM: UTF-8, UTF-16 LE and BE', () => {
    expect(sniffEncoding(bytes('\uFEFFid\n1\n'), 'a.csv')).toEqual({ encoding: 'utf-8', bom: true });
    expect(sniffEncoding(utf16('id\n1\n', 'le'), 'a.csv')).toEqual({ encoding: 'utf-16le', bom: true });
    expect(sniffEncoding(utf16('id\n1\n', 'be'), 'a.csv')).toEqual({ encoding: 'utf-16be', bom: true });
  });

  it('tells UTF-8, Windows-1251 (Russian) and Windows-1252 (Western) apart without a BOM', () => {
    expect(sniffEncoding(bytes('id;имя\n1;Анна\n'), 'a.csv').encoding).toBe('utf-8');
    expect(sniffEncoding(cp1251('id;имя;город\n1;Анна;Москва\n2;Пётр;Казань\n'), 'a.csv').encoding).toBe('windows-1251');
    const western = Buffer.from('id;name;city\n1;Ren\xe9;Z\xfcrich\n2;Fran\xe7ois;M\xfcnchen\n', 'latin1');
    expect(sniffEncoding(western, 'a.csv').encoding).toBe('windows-1252');
  });

  it('refuses an empty file and binary files with a message that says what they are', () => {
    expect(refusal(() => sniffEncoding(new Uint8Array(0), 'empty.csv')).message).toMatch(/"empty.csv" is empty/);
    const xlsx = refusal(() => sniffEncoding(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'book.csv'));
    expect(xlsx.code).toBe('REFUSED');
    expect(xlsx.message).toMatch(/Excel workbook/);
    const random = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256);
    expect(refusal(() => sniffEncoding(random, 'photo.csv')).message).toMatch(/binary data/);
  });
});

describe('layout', () => {
  it('finds the delimiter whose cell counts agree', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n4,5,6\n', '\n')).toBe(',');
    expect(detectDelimiter('a;b;c\n1,5;2;3\n4;5,5;6\n', '\n')).toBe(';');
    expect(detectDelimiter('a\tb\n1\t2\n', '\n')).toBe('\t');
    expect(detectDelimiter('a|b|c\n1|2|3\n', '\n')).toBe('|');
    // Commas inside quotes do not count.
    expect(detectDelimiter('name;note\n"Smith, J";"a, b, c"\n"Doe, A";"x, y"\n', '\n')).toBe(';');
  });

  it('names the line endings', () => {
    expect(detectLineEnding('a\nb\n')).toBe('lf');
    expect(detectLineEnding('a\r\nb\r\n')).toBe('crlf');
    expect(detectLineEnding('a\rb\r')).toBe('cr');
    expect(detectLineEnding('a\r\nb\nc\r\n')).toBe('mixed');
    expect(detectLineEnding('abc')).toBe('none');
  });

  it('sees a header when the first row names columns, and none when it holds data', () => {
    expect(detectHeader([['id', 'name', 'age'], ['00123', 'Ann', '31'], ['00124', 'Bob', '40']])).toBe(true);
    expect(detectHeader([['00123', 'Ann', '31'], ['00124', 'Bob', '40']])).toBe(false);
    expect(detectHeader([['A1', '2024-01-05'], ['A2', '2024-01-06']])).toBe(false);
    expect(detectHeader([['city', 'city'], ['Kazan', 'Omsk']])).toBe(true);
  });

  it('reads decimal commas only where the delimiter is not a comma', () => {
    expect(detectDecimal([['1,5', '2'], ['3,25', '4']], ';')).toBe(',');
    expect(detectDecimal([['1.5', '2']], ';')).toBe('.');
    expect(detectDecimal([['1,5']], ',')).toBe('.');
    // Numbers only a point reads count for the point, exponents too; "12" counts for neither.
    expect(detectDecimal([['1,5', '1.04e-322', '12'], ['2.5e3', '7']], ';')).toBe('.');
  });

  it('takes quoted values as text and leaves profile IDs out of the evidence (as the export writes them)', () => {
    // A field named "2024" is quoted in the header, so the header still reads as one.
    const header = detectFormat(bytes('profile_id,"2024",n\r\n1,a,5\r\n2,b,6\r\n'), true, 'h.csv');
    expect(header.options.hasHeader).toBe(true);
    expect(detectFormat(bytes('profile_id,2024,n\r\n1,a,5\r\n'), true, 'h.csv').options.hasHeader).toBe(false);
    // IDs like "1,5" and text quoted as text say nothing about decimals or dates.
    const format = detectFormat(bytes('profile_id;note;n\r\n1,5;"03/04/2024";1.5e-7\r\n2,5;"7,5";2\r\n03/04/2024;x;3\r\n'), true, 'q.csv');
    expect(format.options).toMatchObject({ delimiter: ';', hasHeader: true, decimalSeparator: '.', dateOrder: null });
    expect(format.dateOrderAmbiguous).toBe(false);
    // A file that quotes every value says nothing by its quotes.
    const all = detectFormat(bytes('"id";"when";"sum"\r\n"1";"03/04/2024";"1,5"\r\n"2";"05/06/2024";"2,5"\r\n'), true, 'all.csv');
    expect(all.options).toMatchObject({ hasHeader: true, decimalSeparator: ',', dateOrder: null });
    expect(all.dateOrderAmbiguous).toBe(true);
  });

  it('decides the date order only from evidence', () => {
    expect(detectDateOrder([['31/12/2024'], ['01/02/2024']])).toEqual({ order: 'dmy', ambiguous: false });
    expect(detectDateOrder([['12/31/2024'], ['01/02/2024']])).toEqual({ order: 'mdy', ambiguous: false });
    expect(detectDateOrder([['01.02.2024']])).toEqual({ order: 'dmy', ambiguous: false });
    expect(detectDateOrder([['03/04/2024'], ['05/06/2024']])).toEqual({ order: null, ambiguous: true });
    expect(detectDateOrder([['2024-03-04']])).toEqual({ order: null, ambiguous: false });
    expect(detectDateOrder([['31/12/2024'], ['12/31/2024']])).toEqual({ order: null, ambiguous: true });
  });

  it('detects an Excel export with semicolons, decimal commas, a BOM and CRLF', () => {
    const format = detectFormat(bytes('\uFEFFid;Сумма;Дата\r\n00123;1 234,50;31.12.2024\r\n00124;17,5;01.02.2024\r\n'), true, 'excel.csv');
    expect(format).toEqual({
      options: { encoding: 'utf-8', delimiter: ';', hasHeader: true, decimalSeparator: ',', dateOrder: 'dmy' },
      bom: true,
      lineEnding: 'crlf',
      dateOrderAmbiguous: false,
    });
  });

  it('refuses a file of nothing but a BOM and blank lines', () => {
    expect(refusal(() => detectFormat(bytes('\uFEFF\n\n  \n'), true, 'blank.csv')).message).toMatch(/empty/);
  });
});
