/**
 * `events/import`: profile events from a CSV file into a database's events table, in one
 * transaction, through the profile import's own reader (detection, parse worker, cell
 * converters, problems by row, column and value, the error report of `import/report`).
 *
 * The file is read whole first (the parse worker reads while this thread matches each
 * row's ID to its profile and keeps the row compactly, event-rows.ts); nothing is written
 * until then. Rows whose ID is no profile of the database are counted and reported, never
 * imported. Bad rows stop the import (nothing is written) unless the request skips them,
 * as profile imports do. The good rows are then written in one transaction, sorted in the
 * order of each of the events' two B-trees (table.ts).
 */
import { basename } from 'node:path';
import type { z } from 'zod';
import { EngineError } from '../../../shared/contract/errors';
import type { ImportProblem } from '../../../shared/contract/imports';
import { MAX_EVENT_TYPE, UNKNOWN_ROWS_SHOWN, type EventsImportRequest, type EventsImportResult } from '../../../shared/contract/profile-events';
import { requireDatabase } from '../databases/repository';
import { parsePlanOf, readCsvStart } from '../import/csv-start';
import { drainParser, locateParseWorker, startParser } from '../import/parse-source';
import type { BatchMessage, CellKind, DoneMessage, ParsePlan, PlannedColumn } from '../import/plan';
import { rememberRun } from '../import/report';
import { DEFAULT_TUNING, PROBLEMS_IN_RESULT, type ImportTuning } from '../import/run';
import { readMeta } from '../project/project-file';
import type { HandlerContext } from '../registry';
import { clockLimit } from './clock';
import { atNumber, EventRows } from './event-rows';
import { ProfileIds } from './profile-ids';
import { lastEventSeq, writeEvents } from './table';

type Request = z.output<typeof EventsImportRequest>;
type Mapping = Request['mapping'];

/** Stopped inside the transaction: everything rolls back. */
class StopImport extends Error {
  constructor() {
    super('stopped');
  }
}

/** The columns the parser reads, in file order, and where each lands in a batch. */
function planEventColumns(mapping: Mapping, names: readonly string[]): { columns: PlannedColumn[]; textSlots: number; numberSlots: number; slotOf: Map<string, number> } {
  const wanted: { role: string; index: number; kind: CellKind; required?: boolean; maxChars?: number }[] = [
    { role: 'id', index: mapping.idColumn, kind: 'id' },
    { role: 'time', index: mapping.timeColumn, kind: 'datetime', required: true },
  ];
  if (mapping.type.kind === 'column') wanted.push({ role: 'type', index: mapping.type.column, kind: 'string', required: true, maxChars: MAX_EVENT_TYPE });
  if (mapping.amountColumn !== null) wanted.push({ role: 'amount', index: mapping.amountColumn, kind: 'number' });
  if (mapping.noteColumn !== null) wanted.push({ role: 'note', index: mapping.noteColumn, kind: 'string' });
  const nameOf = (index: number) => names[index] ?? `Column ${index + 1}`;
  for (const w of wanted) {
    if (w.index >= names.length) {
      throw new EngineError('INVALID_ARGUMENT', `Column ${w.index + 1} (the event ${w.role}) is not in the file: it has ${names.length} column${names.length === 1 ? '' : 's'}.`, {
        columns: [nameOf(w.index)],
      });
    }
  }
  const twice = wanted.filter((w, i) => wanted.findIndex((o) => o.index === w.index) !== i);
  if (twice.length > 0) {
    const column = nameOf(twice[0]!.index);
    const roles = wanted.filter((w) => w.index === twice[0]!.index).map((w) => w.role);
    throw new EngineError('INVALID_ARGUMENT', `Column "${column}" is mapped twice (as the event ${roles.join(' and the ')}); choose a column for each.`, { columns: [column] });
  }
  let textSlots = 0;
  let numberSlots = 0;
  const slotOf = new Map<string, number>();
  const columns = [...wanted]
    .sort((a, b) => a.index - b.index)
    .map((w): PlannedColumn => {
      const slot = w.kind === 'number' ? numberSlots++ : textSlots++;
      slotOf.set(w.role, slot);
      return { index: w.index, name: nameOf(w.index), kind: w.kind, slot, ...(w.required ? { required: true } : {}), ...(w.maxChars ? { maxChars: w.maxChars } : {}) };
    });
  return { columns, textSlots, numberSlots, slotOf };
}

export async function importEvents(args: Request, ctx: HandlerContext, tuning: ImportTuning = DEFAULT_TUNING): Promise<EventsImportResult> {
  const started = performance.now();
  const { deps } = ctx;
  const session = ctx.state.requireSession();
  const db = session.db;
  const { csv, mapping, databaseId } = args;
  requireDatabase(db, databaseId);

  const start = await readCsvStart(deps.fs, args.path, csv);
  const { head } = start;
  const planned = planEventColumns(mapping, start.columnNames);
  const plan: ParsePlan = { ...parsePlanOf(args.path, csv, start, planned, tuning, args.onBadRows), idsMayRepeat: true };
  const source = startParser(plan, tuning.parser === 'worker' ? locateParseWorker() : null);

  const runId = deps.randomId();
  const problems: ImportProblem[] = [];
  let done: DoneMessage | null = null;
  let outcome: { importId: number; imported: number; unknown: UnknownRows; afterClock: number } | null = null;
  let unknownWhenStopped: UnknownRows = { rows: 0, ids: 0, first: [] };
  const cacheBefore = Number(db.scalar('PRAGMA cache_size') ?? -2000);
  try {
    db.exec(`PRAGMA cache_size = ${-Math.trunc(tuning.cacheKib)}`);
    // Rows are matched to profiles as they are read; nothing is written until the file is read whole.
    const reader = new EventReader(ProfileIds.load(db, databaseId), planned, mapping.type.kind === 'fixed' ? mapping.type.value : null, clockLimit(readMeta(db).clock));
    try {
      done = await drainParser(source, {
        problems,
        maxProblems: tuning.maxProblems,
        stopOnProblems: args.onBadRows === 'stop',
        take: (batch) => reader.read(batch),
        progress: (batch) => ctx.progress('Reading the file', batch.bytesRead, head.size, 'bytes', batch.rowsRead),
        checkpoint: () => ctx.checkpoint(),
      });
    } finally {
      await source.close();
    }
    reader.forgetProfiles();
    const finished: DoneMessage = done;
    if (finished.unreadable || (args.onBadRows === 'stop' && finished.problemCount > 0)) throw new StopImport();
    const { rows, afterClock } = reader;
    const unknown = reader.unknownRows();
    const toImport = rows.length;
    if (toImport === 0) {
      unknownWhenStopped = unknown;
      throw new StopImport();
    }
    outcome = await db.transactionAsync(async () => {
      const now = deps.now();
      db.run(
        `INSERT INTO event_imports (database_id, file_name, imported_at, clock, rows_read, imported, unknown_profiles, skipped)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [databaseId, basename(args.path), now.toISOString(), readMeta(db).clock, finished.rowsRead, toImport, unknown.rows, finished.badRows],
      );
      const importId = Number(db.scalar('SELECT last_insert_rowid()'));
      ctx.progress('Writing the events', 0, toImport * 2, 'rows');
      await ctx.checkpoint();
      await writeEvents(deps.sql, db, databaseId, rows, {
        firstSeq: lastEventSeq(db, databaseId) + 1,
        importId,
        portable: tuning.writer === 'portable',
        step: async (written, total) => {
          ctx.progress('Writing the events', written, total, 'rows');
          await ctx.checkpoint();
        },
      });
      ctx.progress('Finishing', toImport, toImport, 'rows');
      await ctx.checkpoint();
      return { importId, imported: toImport, unknown, afterClock };
    });
  } catch (error) {
    if (!(error instanceof StopImport)) throw error;
  } finally {
    await source.close();
    db.exec(`PRAGMA cache_size = ${Math.trunc(cacheBefore)}`);
  }

  const final = done as DoneMessage | null;
  if (!final) throw new EngineError('INTERNAL', 'The import ended without reading the whole file.');
  rememberRun(session, { runId, fileName: head.fileName, problems, problemCount: final.problemCount });
  if (!outcome) ctx.unchanged?.();
  const result = outcome as { importId: number; imported: number; unknown: UnknownRows; afterClock: number } | null;
  return {
    runId,
    outcome: result ? 'imported' : 'stopped',
    importId: result?.importId ?? null,
    rowsRead: final.rowsRead,
    imported: result?.imported ?? 0,
    skipped: final.badRows,
    problemCount: final.problemCount,
    problems: problems.slice(0, PROBLEMS_IN_RESULT),
    unknownProfiles: result?.unknown ?? unknownWhenStopped,
    afterClock: result?.afterClock ?? 0,
    durationMs: performance.now() - started,
  };
}

interface UnknownRows {
  readonly rows: number;
  readonly ids: number;
  readonly first: { row: number; profileId: string }[];
}

/** Distinct type cells recognised by their bytes; a file with more types makes strings for the rest. */
const TYPE_CACHE = 64;

/** SQLite's trim(): spaces only, at both ends (as the staged import trimmed a type). */
const trimSpaces = (text: string) => text.replace(/^ +| +$/g, '');

/**
 * Reads the good rows of each batch: those of known profiles into EventRows; those of
 * unknown IDs counted (rows, distinct IDs, the first few with their file rows); those
 * after the clock's minute counted.
 */
class EventReader {
  readonly rows = new EventRows();
  afterClock = 0;
  private unknown = 0;
  private readonly unknownIds = new Set<string>();
  private readonly firstUnknown: { row: number; profileId: string }[] = [];
  private readonly idSlot: number;
  private readonly timeSlot: number;
  private readonly typeSlot: number | undefined;
  private readonly amountSlot: number | undefined;
  private readonly noteSlot: number | undefined;
  private readonly fixedType: number | null;
  private readonly limit: number;
  private readonly textSlots: number;
  private readonly numberSlots: number;
  /** The bytes of the types seen (as in the file, before trimming) and their codes. */
  private readonly typeCache: { bytes: Uint8Array; code: number }[] = [];

  constructor(
    private readonly ids: ProfileIds,
    planned: { readonly slotOf: ReadonlyMap<string, number>; readonly textSlots: number; readonly numberSlots: number },
    fixedType: string | null,
    clockLimitText: string,
  ) {
    const { slotOf } = planned;
    this.textSlots = planned.textSlots;
    this.numberSlots = planned.numberSlots;
    this.idSlot = slotOf.get('id')!;
    this.timeSlot = slotOf.get('time')!;
    this.typeSlot = slotOf.get('type');
    this.amountSlot = slotOf.get('amount');
    this.noteSlot = slotOf.get('note');
    this.fixedType = fixedType === null ? null : this.rows.typeCode(fixedType);
    const bytes = new TextEncoder().encode(clockLimitText);
    this.limit = atNumber(bytes, 0, bytes.length) ?? Number.POSITIVE_INFINITY;
  }

  read(batch: BatchMessage): void {
    const { text, textStart, textLength, numbers, rowNumbers } = batch;
    const cells = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
    const { textSlots, numberSlots } = this;
    const cell = (row: number, slot: number) => row * textSlots + slot;
    const string = (c: number) => cells.toString('utf8', textStart[c]!, textStart[c]! + textLength[c]!);
    for (let r = 0; r < batch.rows; r += 1) {
      const idCell = cell(r, this.idSlot);
      const key = this.ids.key(text, textStart[idCell]!, textLength[idCell]!);
      if (key < 0) {
        const id = string(idCell);
        this.unknown += 1;
        this.unknownIds.add(id);
        if (this.firstUnknown.length < UNKNOWN_ROWS_SHOWN) this.firstUnknown.push({ row: rowNumbers[r]!, profileId: id });
        continue;
      }
      const time = cell(r, this.timeSlot);
      const at = atNumber(text, textStart[time]!, textLength[time]!);
      if (at === null) throw new EngineError('INTERNAL', `The time of row ${rowNumbers[r]} was not read as a date-time.`);
      if (at > this.limit) this.afterClock += 1;
      const type = this.typeSlot === undefined ? this.fixedType! : this.typeOf(batch, cell(r, this.typeSlot), string);
      const amount = this.amountSlot === undefined ? Number.NaN : numbers[r * numberSlots + this.amountSlot]!;
      const note = this.noteSlot === undefined ? -1 : cell(r, this.noteSlot);
      this.rows.add(key, type, at, amount, text, note < 0 ? 0 : textStart[note]!, note < 0 ? -1 : textLength[note]!);
    }
  }

  /** The profiles' IDs are not needed once the file is read: their memory goes before the writing. */
  forgetProfiles(): void {
    this.ids.clear();
  }

  /** The code of a type cell: the few types of a file are recognised by their bytes, without making a string. */
  private typeOf(batch: BatchMessage, c: number, string: (c: number) => string): number {
    const { text, textStart, textLength } = batch;
    const start = textStart[c]!;
    const length = textLength[c]!;
    for (const known of this.typeCache) {
      const bytes = known.bytes;
      if (bytes.length !== length) continue;
      let same = true;
      for (let i = 0; i < length && same; i += 1) same = bytes[i] === text[start + i];
      if (same) return known.code;
    }
    const code = this.rows.typeCode(trimSpaces(string(c)));
    if (this.typeCache.length < TYPE_CACHE) this.typeCache.push({ bytes: text.slice(start, start + length), code });
    return code;
  }

  unknownRows(): UnknownRows {
    return { rows: this.unknown, ids: this.unknownIds.size, first: this.firstUnknown };
  }
}
