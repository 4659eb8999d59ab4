/**
 * Two parsers for one file. Parsing is the slow side of a large import (papaparse,
 * checks, conversions: about twice the time SQLite takes to store the rows), so a big file
 * is cut in two at a line break and each half goes to its own parse worker, while this
 * thread writes. That is safe only where a line break always ends a record: a file with
 * no quote character at all (a quoted cell may hold line breaks, and nothing short of
 * parsing from the start tells whether a given break is inside quotes). Every file from
 * the usual exports of CRM and e-mail tools without commas in their values qualifies.
 *
 * The halves come out in file order: the first half's batches as they are parsed, then
 * the second half's, which were parsed meanwhile and kept. The second half counts rows
 * from its own start; once the first half is done its record count shifts them into
 * place. Neither half can see the other's IDs, so repeated IDs are left to the unique
 * index built at the end, which finds them all at once (see crossHalfRepeats in run.ts).
 */
import type { FileSystem } from '../deps';
import { spareParsers, type ParseSource } from './parse-source';
import type { BatchMessage, DoneMessage, ParsePlan, ParserMessage } from './plan';

const SCAN_CHUNK = 8 * 1024 * 1024;
const QUOTE = 0x22;

/**
 * The first byte of the record that starts after the middle of the file, or null when the
 * file must be parsed whole (a quote character anywhere, or no line break after the middle).
 */
export async function findSplitPoint(fs: FileSystem, path: string, size: number, newline: '\n' | '\r'): Promise<number | null> {
  const newlineByte = newline === '\n' ? 0x0a : 0x0d;
  const middle = Math.floor(size / 2);
  const handle = await fs.open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(SCAN_CHUNK);
    let split: number | null = null;
    for (let position = 0; position < size; position += SCAN_CHUNK) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(SCAN_CHUNK, size - position), position);
      const chunk = buffer.subarray(0, bytesRead);
      if (chunk.indexOf(QUOTE) !== -1) return null;
      if (split === null && position + bytesRead > middle) {
        const at = chunk.indexOf(newlineByte, Math.max(0, middle - position));
        if (at !== -1) split = position + at + 1;
      }
    }
    return split !== null && split < size ? split : null;
  } finally {
    await handle.close();
  }
}

/**
 * The parsing of an import: two halves at once when `maySplit` and the file allows it,
 * else one parser. The workers load while the file is scanned for its split point.
 */
export async function startParsers(
  fs: FileSystem,
  plan: ParsePlan,
  options: { readonly workerPath: string | null; readonly maySplit: boolean; readonly size: number; readonly newline: '\n' | '\r' },
): Promise<{ source: ParseSource; splitAt: number | null }> {
  const parsers = spareParsers(options.workerPath, options.maySplit ? 2 : 1);
  try {
    const splitAt = options.maySplit ? await findSplitPoint(fs, plan.path, options.size, options.newline) : null;
    const source =
      splitAt === null
        ? parsers.start(plan)
        : joinParsers(
            parsers.start({ ...plan, idsCheckedByIndex: true, byteRange: { start: 0, end: splitAt } }),
            parsers.start({ ...plan, idsCheckedByIndex: true, headerIndex: -1, byteRange: { start: splitAt, end: options.size } }),
          );
    return { source, splitAt };
  } finally {
    await parsers.close();
  }
}

interface Totals {
  readonly rowsRead: number;
  readonly badRows: number;
  readonly problemCount: number;
  readonly bytesRead: number;
}

const ZERO: Totals = { rowsRead: 0, badRows: 0, problemCount: 0, bytesRead: 0 };

function plus(a: Totals, b: Totals): Totals {
  return {
    rowsRead: a.rowsRead + b.rowsRead,
    badRows: a.badRows + b.badRows,
    problemCount: a.problemCount + b.problemCount,
    bytesRead: a.bytesRead + b.bytesRead,
  };
}

/** Shifts a second-half batch's row numbers (in place) by the first half's records. */
function shifted(batch: BatchMessage, offset: number): BatchMessage {
  for (let i = 0; i < batch.rowNumbers.length; i += 1) batch.rowNumbers[i]! += offset;
  return {
    ...batch,
    problems: batch.problems.map((p) => ({
      ...p,
      row: p.row + offset,
      ...(p.relatedRow === undefined ? {} : { relatedRow: p.relatedRow + offset }),
    })),
  };
}

/**
 * One source over two parsers of consecutive parts of a file. The second part's messages
 * are taken (and acknowledged) as they come, so its worker never waits for this thread.
 */
export function joinParsers(first: ParseSource, second: ParseSource): ParseSource {
  const kept: ParserMessage[] = [];
  const waiter: { wake: (() => void) | null } = { wake: null };
  let secondTotals: Totals = ZERO;
  const drain = (async () => {
    for (;;) {
      const message = await second.next();
      kept.push(message);
      if (message.type === 'batch') {
        secondTotals = message;
        second.ack();
      }
      const resume = waiter.wake;
      waiter.wake = null;
      resume?.();
      if (message.type !== 'batch') return;
    }
  })();
  void drain;
  let firstDone: DoneMessage | null = null;

  const nextKept = async (): Promise<ParserMessage> => {
    while (kept.length === 0) await new Promise<void>((resolve) => (waiter.wake = resolve));
    return kept.shift()!;
  };

  return {
    inWorker: first.inWorker && second.inWorker,
    async next() {
      if (!firstDone) {
        const message = await first.next();
        if (message.type === 'batch') return { ...message, ...plus(message, secondTotals) };
        if (message.type === 'fatal') return message;
        firstDone = message;
      }
      const done = firstDone;
      const message = await nextKept();
      if (message.type === 'fatal') return message;
      if (message.type === 'batch') return { ...shifted(message, done.records), ...plus(done, message) };
      return {
        type: 'done',
        records: done.records + message.records,
        ...plus(done, message),
        unreadable: done.unreadable || message.unreadable,
      };
    },
    ack() {
      if (!firstDone) first.ack();
    },
    async close() {
      await Promise.all([first.close(), second.close()]);
    },
  };
}
