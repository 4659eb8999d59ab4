/** The start of a CSV file: its first bytes, and its first record (the header, or the first row). */
import { basename } from 'node:path';
import { EngineError } from '../../../shared/contract/errors';
import type { CsvOptions } from '../../../shared/contract/imports';
import type { FileSystem } from '../deps';
import { ioError } from '../fs-errors';
import { isBlank, unescapeFormulaGuard } from './convert';
import { readCsvRecords } from './csv-stream';

export interface FileHead {
  readonly bytes: Uint8Array;
  readonly size: number;
  /** The bytes are the whole file. */
  readonly complete: boolean;
  readonly fileName: string;
}

export async function readFileHead(fs: FileSystem, path: string, maxBytes: number): Promise<FileHead> {
  const stats = await fs.stat(path).catch((error: unknown) => {
    throw ioError(error, path, 'read');
  });
  if (stats.isDirectory()) throw ioError(Object.assign(new Error('is a folder'), { code: 'EISDIR' }), path, 'read');
  const handle = await fs.open(path, 'r').catch((error: unknown) => {
    throw ioError(error, path, 'read');
  });
  try {
    const want = Math.min(stats.size, maxBytes);
    const bytes = new Uint8Array(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await handle.read(bytes, got, want - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { bytes: bytes.subarray(0, got), size: stats.size, complete: got >= stats.size, fileName: basename(path) };
  } catch (error) {
    throw ioError(error, path, 'read');
  } finally {
    await handle.close();
  }
}

/** The first record that is not blank, with its index in the file; null for a file of blank lines. */
export async function readFirstRecord(
  path: string,
  options: Pick<CsvOptions, 'encoding' | 'delimiter'> & { newline: '\n' | '\r' },
): Promise<{ index: number; record: string[] } | null> {
  const records = readCsvRecords(path, { ...options, chunkBytes: 64 * 1024, fatal: false, maxBytes: 16 << 20 });
  try {
    for await (const chunk of records) {
      const found = chunk.records.findIndex((r) => !r.every(isBlank));
      if (found >= 0) return { index: chunk.firstIndex + found, record: chunk.records[found]! };
      if (chunk.truncated || chunk.unterminatedQuoteAt !== undefined) {
        throw new EngineError('REFUSED', `The first row of "${basename(path)}" never ends: a quote is not closed, or the delimiter or encoding is wrong.`, {
          reason: 'unreadable',
        });
      }
    }
    return null;
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('REFUSED', `"${basename(path)}" cannot be read as CSV: ${(error as Error).message}`, { reason: 'unreadable' });
  } finally {
    await records.return(undefined);
  }
}

/**
 * Column names as the user sees them: the header cells (without the apostrophe the export
 * puts before a name like "=total"), or "Column 3" where there is none.
 */
export function columnNamesOf(first: readonly string[], hasHeader: boolean): string[] {
  return first.map((cell, i) => (hasHeader && cell.trim() !== '' ? unescapeFormulaGuard(cell.trim()) : `Column ${i + 1}`));
}
