import { describe, expect, it } from 'vitest';
import { CsvReadError, firstInvalidUtf8, readCsvRecords, type CsvReadOptions, type RecordChunk } from '../../../../main/engine/import/csv-stream';
import { tempDir } from '../../../helpers/temp-dir';
import { cp1251, utf16, writeCsv } from './helpers';

async function readAll(path: string, options: Partial<CsvReadOptions> = {}): Promise<{ records: string[][]; chunks: RecordChunk[] }> {
  const chunks: RecordChunk[] = [];
  for await (const chunk of readCsvRecords(path, { encoding: 'utf-8', delimiter: ',', newline: '\n', chunkBytes: 1 << 20, fatal: true, ...options })) {
    chunks.push(chunk);
  }
  return { records: chunks.flatMap((c) => c.records), chunks };
}

describe('reading a CSV stream', () => {
  it('never breaks a multi-byte UTF-8 character split between chunks (chunks of 1 to 7 bytes)', async () => {
    const dir = tempDir();
    const text = 'id,имя,emoji\n1,Анна,😀\n2,Пётр,日本\n';
    const path = writeCsv(dir, 'u8.csv', text);
    for (let size = 1; size <= 7; size += 1) {
      const { records } = await readAll(path, { chunkBytes: size });
      expect(records, `chunks of ${size}`).toEqual([['id', 'имя', 'emoji'], ['1', 'Анна', '😀'], ['2', 'Пётр', '日本']]);
    }
  });

  it('never breaks a UTF-16 character (or surrogate pair) split between chunks, LE and BE', async () => {
    const dir = tempDir();
    for (const order of ['le', 'be'] as const) {
      const path = writeCsv(dir, `u16${order}.csv`, utf16('id;имя\n1;Анна 😀\n', order));
      for (const size of [1, 3, 5]) {
        const { records } = await readAll(path, { encoding: `utf-16${order}`, delimiter: ';', chunkBytes: size });
        expect(records, `${order}, chunks of ${size}`).toEqual([['id', 'имя'], ['1', 'Анна 😀']]);
      }
    }
  });

  it('reads Windows-1251', async () => {
    const path = writeCsv(tempDir(), 'cp.csv', cp1251('id;город\n1;Москва\n2;Ёлки\n'));
    const { records } = await readAll(path, { encoding: 'windows-1251', delimiter: ';', chunkBytes: 4 });
    expect(records).toEqual([['id', 'город'], ['1', 'Москва'], ['2', 'Ёлки']]);
  });

  it('reads quoted cells with delimiters, doubled quotes and line breaks, also across chunks', async () => {
    const path = writeCsv(tempDir(), 'q.csv', 'id,note\r\n1,"Hello, ""world""\r\nsecond line"\r\n2,"plain"\r\n3,last\r\n');
    for (const size of [3, 1 << 20]) {
      const { records } = await readAll(path, { chunkBytes: size });
      expect(records).toEqual([['id', 'note'], ['1', 'Hello, "world"\r\nsecond line'], ['2', 'plain'], ['3', 'last']]);
    }
  });

  it('reads CRLF and LF mixed in one file, and CR-only files', async () => {
    const dir = tempDir();
    const mixed = writeCsv(dir, 'mixed.csv', 'a,b\r\n1,2\n3,"4"\r\n5,\r\n');
    expect((await readAll(mixed, { chunkBytes: 2 })).records).toEqual([['a', 'b'], ['1', '2'], ['3', '4'], ['5', '']]);
    const cr = writeCsv(dir, 'cr.csv', 'a,b\r1,2\r');
    expect((await readAll(cr, { newline: '\r' })).records).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('keeps a CR that ends a quoted value (the CR of the line ending goes)', async () => {
    const dir = tempDir();
    // The exact bytes of printf 'id,t\r\n1,"abc\r"\r\n'.
    const exact = writeCsv(dir, 'cr-end.csv', Buffer.from([0x69, 0x64, 0x2c, 0x74, 0x0d, 0x0a, 0x31, 0x2c, 0x22, 0x61, 0x62, 0x63, 0x0d, 0x22, 0x0d, 0x0a]));
    for (const size of [1, 2, 3, 1 << 20]) {
      expect((await readAll(exact, { chunkBytes: size })).records, `chunks of ${size}`).toEqual([['id', 't'], ['1', 'abc\r']]);
    }
    const cases = writeCsv(dir, 'cr-quoted.csv', 'id,t,u\r\n1,"\rstart","in\rside"\r\n2,x,"\r"\r\n3,"a\r",plain\r\n4,"a""\r"\n5,"end\r"');
    for (const size of [1, 4, 1 << 20]) {
      expect((await readAll(cases, { chunkBytes: size })).records, `chunks of ${size}`).toEqual([
        ['id', 't', 'u'],
        ['1', '\rstart', 'in\rside'],
        ['2', 'x', '\r'],
        ['3', 'a\r', 'plain'],
        ['4', 'a"\r'],
        ['5', 'end\r'],
      ]);
    }
  });

  it('keeps CRs inside quoted values of a file with bare CR line endings', async () => {
    const path = writeCsv(tempDir(), 'cr-only.csv', 'id,t\r1,"a\rb"\r2,"\r"\r3,"c\r"\r4,d\r');
    for (const size of [1, 3, 1 << 20]) {
      expect((await readAll(path, { newline: '\r', chunkBytes: size })).records).toEqual([['id', 't'], ['1', 'a\rb'], ['2', '\r'], ['3', 'c\r'], ['4', 'd']]);
    }
  });

  it('says which cells were quoted, when asked', async () => {
    const path = writeCsv(tempDir(), 'quoted.csv', 'id,n,t\r\n1,"12",x\r\n"2",5,"a,""b"""\r\n3,,"multi\r\nline"\r\n');
    for (const size of [2, 1 << 20]) {
      const { records, chunks } = await readAll(path, { chunkBytes: size, quotes: true });
      expect(records).toEqual([['id', 'n', 't'], ['1', '12', 'x'], ['2', '5', 'a,"b"'], ['3', '', 'multi\r\nline']]);
      expect(chunks.flatMap((c) => c.quoted ?? [])).toEqual([[], [1], [0, 2], [2]]);
    }
  });

  it('reports a quote that never closes at the record where it opens', async () => {
    const path = writeCsv(tempDir(), 'open.csv', 'id,note\n1,ok\n2,"never closed\n3,x\n4,y\n');
    const { records, chunks } = await readAll(path, { chunkBytes: 5 });
    expect(records).toEqual([['id', 'note'], ['1', 'ok']]);
    expect(chunks[chunks.length - 1]!.unterminatedQuoteAt).toBe(2);
  });

  it('gives up on an unterminated quote early in a big file instead of buffering the rest', async () => {
    const path = writeCsv(tempDir(), 'open-big.csv', 'id,note\n1,"open\n' + '2,filler text\n'.repeat(20_000));
    const { chunks } = await readAll(path, { chunkBytes: 4096, maxRecordChars: 10_000 });
    expect(chunks[chunks.length - 1]!.unterminatedQuoteAt).toBe(1);
  });

  it('reports text after a closing quote', async () => {
    const path = writeCsv(tempDir(), 'bad.csv', 'id,note\n1,"ab"cd\n2,ok\n');
    const { chunks } = await readAll(path);
    expect(chunks.flatMap((c) => c.badQuotes)).toEqual([1]);
  });

  it('refuses bytes that are not valid in the chosen encoding, with the byte and the row', async () => {
    const path = writeCsv(tempDir(), 'bad-utf8.csv', Buffer.concat([Buffer.from('id\n1\n2\n'), cp1251('Мир\n')]));
    const error = await readAll(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvReadError);
    expect((error as CsvReadError).message).toBe('The file is not valid UTF-8 text (at byte 7, near row 4).');
    expect(firstInvalidUtf8(Uint8Array.from([0x41, 0xd0, 0x9c, 0xcc, 0x41]))).toBe(3);
    expect(firstInvalidUtf8(Uint8Array.from([0x41, 0xd0]))).toBe(-1);
  });
});
