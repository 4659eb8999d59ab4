/**
 * The whole parsing side of an import: read, decode, split, check, convert, batch. Runs
 * in the parse worker (parse-worker.ts); the engine runs it itself only when the worker
 * bundle cannot be found (see parse-source.ts).
 */
import { EngineError, toErrorPayload } from '../../../shared/contract/errors';
import { ioError } from '../fs-errors';
import { BatchBuilder } from './batch-builder';
import { CsvReadError, readCsvRecords } from './csv-stream';
import type { BatchMessage, ParsePlan, ParserMessage } from './plan';

/** Yields batches as they fill, then `done`; a failure becomes one `fatal` message. */
export async function* parseFile(plan: ParsePlan, signal?: AbortSignal): AsyncGenerator<ParserMessage> {
  const ready: BatchMessage[] = [];
  const builder = new BatchBuilder(plan, (batch) => ready.push(batch));
  let unreadable = false;
  let records = 0;
  try {
    const chunks = readCsvRecords(plan.path, {
      encoding: plan.encoding,
      delimiter: plan.delimiter,
      newline: plan.newline,
      chunkBytes: plan.chunkBytes,
      fatal: true,
      ...(plan.byteRange ? { byteRange: plan.byteRange } : {}),
      ...(signal ? { signal } : {}),
    });
    for await (const chunk of chunks) {
      records = chunk.firstIndex + chunk.records.length;
      builder.addChunk(chunk);
      if (chunk.unterminatedQuoteAt !== undefined) {
        builder.addUnterminatedQuote(chunk.unterminatedQuoteAt);
        unreadable = true;
      }
      while (ready.length > 0) yield ready.shift()!;
      if (signal?.aborted) return;
    }
    builder.flush();
    while (ready.length > 0) yield ready.shift()!;
  } catch (error) {
    if (error instanceof CsvReadError) {
      const hint =
        error.kind === 'encoding'
          ? ' Choose the encoding the file was saved in (Russian Excel files are usually Windows-1251).'
          : '';
      yield {
        type: 'fatal',
        error: new EngineError('REFUSED', `${error.message}${hint} Nothing was imported.`, {
          reason: error.kind,
          byteOffset: error.byteOffset,
          row: error.recordIndex + 1,
        }).toPayload(),
      };
      return;
    }
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    yield { type: 'fatal', error: toErrorPayload(typeof code === 'string' ? ioError(error, plan.path, 'read') : error) };
    return;
  }
  yield {
    type: 'done',
    records,
    rowsRead: builder.rowsRead,
    badRows: builder.badRows,
    problemCount: builder.problemCount,
    bytesRead: builder.bytesRead,
    unreadable,
  };
}
