import { describe, expect, it } from 'vitest';
import { CsvBuilder } from '../../../../main/engine/export/csv-builder';

/** One line of cells written with `write`, as text (CRLF removed). */
function line(write: (b: CsvBuilder) => void, delimiter = ','): string {
  const builder = new CsvBuilder(delimiter.charCodeAt(0), 16);
  write(builder);
  builder.endRow();
  const text = new TextDecoder().decode(builder.takeOwned());
  expect(text.endsWith('\r\n')).toBe(true);
  return text.slice(0, -2);
}

const textCell = (value: string, delimiter = ',') => line((b) => b.textString(value), delimiter);
const numberCell = (value: number) => line((b) => b.number(value));

describe('CSV text cells', () => {
  it('writes plain text as it is', () => {
    expect(textCell('Anna')).toBe('Anna');
    expect(textCell('00123')).toBe('00123');
    expect(textCell('Москва, ул. Тверская')).toBe('"Москва, ул. Тверская"');
    expect(textCell('Москва')).toBe('Москва');
    expect(textCell('')).toBe('');
  });

  it('quotes the delimiter, quotes, CR and LF, and leading or trailing spaces (RFC 4180)', () => {
    expect(textCell('a,b')).toBe('"a,b"');
    expect(textCell('a;b')).toBe('a;b');
    expect(textCell('a;b', ';')).toBe('"a;b"');
    expect(textCell('a\tb', '\t')).toBe('"a\tb"');
    expect(textCell('a|b', '|')).toBe('"a|b"');
    expect(textCell('say "hi"')).toBe('"say ""hi"""');
    expect(textCell('"')).toBe('""""');
    expect(textCell('two\nlines')).toBe('"two\nlines"');
    expect(textCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(textCell(' padded')).toBe('" padded"');
    expect(textCell('padded ')).toBe('"padded "');
    expect(textCell('in the middle ok')).toBe('in the middle ok');
  });

  it('neutralises formulas the OWASP way, so a spreadsheet shows them as text', () => {
    expect(textCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(textCell('=1+2')).toBe("'=1+2");
    expect(textCell('+7 999 123-45-67')).toBe("'+7 999 123-45-67");
    expect(textCell('-5')).toBe("'-5");
    expect(textCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(textCell('\tx')).toBe('"\'\tx"');
    expect(textCell('\r=x')).toBe('"\'\r=x"');
    // Apostrophes already in front get one more, so the import can remove exactly one.
    expect(textCell("'=x")).toBe("''=x");
    expect(textCell("''-1")).toBe("'''-1");
    // Only at the start, and only before those characters.
    expect(textCell("'quoted'")).toBe("'quoted'");
    expect(textCell("'123")).toBe("'123");
    expect(textCell('a=b')).toBe('a=b');
    expect(textCell("'")).toBe("'");
    expect(textCell(' =x')).toBe('" =x"');
  });

  it('follows exactly the rule the import undoes: /^\'*[=+\\-@\\t\\r]/ gets one apostrophe', () => {
    const samples = ['=a', "'=a", "''=a", '+', '-', '@', '\t', '\r', "'", "''", 'x=', '1', "'x", '', ' ', '=', "''''@"];
    for (const value of samples) {
      const written = line((b) => b.textString(value), '|');
      const unquoted = written.startsWith('"') ? written.slice(1, -1).replace(/""/g, '"') : written;
      expect(unquoted).toBe(/^'*[=+\-@\t\r]/.test(value) ? `'${value}` : value);
      // And the import's rule takes it back.
      expect(/^'+[=+\-@\t\r]/.test(unquoted) ? unquoted.slice(1) : unquoted).toBe(value);
    }
  });
});

describe('CSV cells of text fields', () => {
  const fieldCell = (value: string, delimiter = ',') => line((b) => b.textString(value, 'typed'), delimiter);

  it('quotes text that would read back as a number, a date or yes/no, and nothing else', () => {
    for (const typed of ['12', '0.30000000000000004', '1e+21', '.5', '1,5', '1 234', '\u00a012', '2024-01-31', '31.12.2024', '03/04/2024', '2024-01-31T10:15', 'true', 'No', 'y', 'Да', 'НЕТ', '\u000b7']) {
      expect(fieldCell(typed), typed).toBe(`"${typed}"`);
    }
    for (const text of ['Anna', '00123x', 'Москва', 'Нина', 'years', 'NaN', 'Infinity', "'12", '12 apples', '🙂', '日本']) {
      expect(fieldCell(text), text).toBe(text);
    }
    // Formulas keep their apostrophe (the cell then reads as text anyway); IDs are never quoted for this.
    expect(fieldCell('-5')).toBe("'-5");
    expect(fieldCell('+7')).toBe("'+7");
    expect(textCell('12')).toBe('12');
    expect(textCell('true')).toBe('true');
  });
});

describe('CSV number cells', () => {
  it('writes integers without a decimal point and keeps negative numbers as numbers', () => {
    expect(numberCell(12)).toBe('12');
    expect(numberCell(0)).toBe('0');
    expect(numberCell(-0)).toBe('0');
    expect(numberCell(-5)).toBe('-5');
    expect(numberCell(1e15)).toBe('1000000000000000');
    expect(numberCell(2 ** 53 - 1)).toBe('9007199254740991');
    expect(numberCell(1e20)).toBe('100000000000000000000');
    expect(numberCell(1e21)).toBe('1e+21');
  });

  it('writes fractions exactly: reading the text back gives the same number', () => {
    const values = [0.1 + 0.2, 278.3, 74.37, -0.5, 0.01, 1.005, 123456789.12, 1e-7, 5e-324, Number.MAX_VALUE, -1.7976931348623157e308, 1 / 3, 2 / 3, 99.99, 0.07, 1e12 + 0.5];
    for (const value of values) {
      const text = numberCell(value);
      expect(Number(text), text).toBe(value);
      expect(text).toMatch(/^-?\d+(\.\d+)?(e[+-]\d+)?$/);
    }
    expect(numberCell(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(numberCell(278.3)).toBe('278.3');
    expect(numberCell(74.37)).toBe('74.37');
    expect(numberCell(-0.5)).toBe('-0.5');
    expect(numberCell(0.07)).toBe('0.07');
  });

  it('writes the shortest text for random doubles, as JavaScript does', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 20_000; i += 1) {
      const magnitude = 10 ** Math.floor(random() * 30 - 10);
      const value = (random() - 0.5) * magnitude;
      const rounded = Math.round(value * 100) / 100;
      for (const x of [value, rounded]) {
        const text = numberCell(x);
        // Equal as numbers (-0 is written as 0).
        expect(Number(text) === x, `${x} written as ${text}`).toBe(true);
        expect(text.length).toBeLessThanOrEqual(String(x).length);
      }
    }
  });

  it('writes yes/no as true and false, and empty cells as nothing', () => {
    expect(line((b) => { b.boolean(true); b.boolean(false); b.empty(); b.number(1); })).toBe('true,false,,1');
  });
});

describe('CSV lines', () => {
  it('separates cells with the delimiter and ends lines with CRLF, growing as needed', () => {
    const builder = new CsvBuilder(';'.charCodeAt(0), 4);
    builder.textString('a');
    builder.number(1.5);
    builder.endRow();
    builder.textString('x'.repeat(1000));
    builder.empty();
    builder.endRow();
    const text = new TextDecoder().decode(builder.takeOwned());
    expect(text).toBe(`a;1.5\r\n${'x'.repeat(1000)};\r\n`);
    expect(builder.length).toBe(0);
  });
});
