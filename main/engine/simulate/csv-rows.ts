/**
 * A CSV audience for the simulator, read by the stand-alone split's own reader
 * (readSplitInput: the same detection, IDs, duplicates and stratum rules as `cplan split`),
 * which hands every kept row to a collector here. Each other column is kept as numbers
 * (yes/no words as 1/0) and, up to MAX_LEVELS different values, as levels; its type is
 * decided at the end: only yes/no words or 0/1 is binary, only numbers is a number column,
 * only dates is a date column, anything else text.
 */
import { basename } from 'node:path';
import type { CsvOptions } from '../../../shared/contract/imports';
import type { SimSource } from '../../../shared/contract/simulate';
import { clockTimeFromLocalDate } from '../../../shared/domain/clock';
import { sameName } from '../../../shared/names';
import { ALL_PROFILES } from '../../../shared/split/stratum-scheme';
import { isBlank, parseBoolean, parseDate, parseDateTime, parseNumber, trimCell, unescapeFormulaGuard } from '../import/convert';
import type { HandlerContext } from '../registry';
import { readSplitInput, type RowCollector } from '../split/csv-input';
import { MAX_LEVELS, type AudienceRows, type ColumnResult, type RowField } from './rows';

/** A growable typed array of one column. */
export class Grow<T extends Float64Array | Int32Array> {
  constructor(private data: T) {}
  set(i: number, value: number): void {
    if (i >= this.data.length) {
      const bigger = new (this.data.constructor as new (n: number) => T)(Math.max(i + 1, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[i] = value;
  }
  take(count: number): T {
    return this.data.slice(0, count) as T;
  }
}

class ColumnCollector {
  readonly numbers = new Grow(new Float64Array(1024));
  codes: Grow<Int32Array> | null = new Grow(new Int32Array(1024));
  readonly levels = new Map<string, number>();
  readonly equal: Grow<Float64Array> | null;
  present = 0;
  /** Cells read as yes/no words, cells that are neither number nor yes/no, and of those the ones that are not dates. */
  words = 0;
  texts = 0;
  notDates = 0;
  /** A number other than 0 and 1. */
  nonBinary = false;

  constructor(
    readonly name: string,
    readonly index: number,
    readonly value: string | null,
  ) {
    this.equal = value === null ? null : new Grow(new Float64Array(1024));
  }

  add(cell: string | undefined, at: number, options: CsvOptions): void {
    if (cell === undefined || isBlank(cell)) {
      this.numbers.set(at, Number.NaN);
      this.codes?.set(at, -1);
      this.equal?.set(at, Number.NaN);
      return;
    }
    this.present += 1;
    const text = unescapeFormulaGuard(trimCell(cell));
    let number = parseNumber(cell, options.decimalSeparator);
    if (number === null) {
      const word = parseBoolean(cell);
      if (word !== null) {
        this.words += 1;
        number = word;
      } else {
        this.texts += 1;
        if (parseDate(text, 'dmy') === null && parseDate(text, 'mdy') === null && parseDateTime(text, options.dateOrder ?? 'dmy') === null) this.notDates += 1;
      }
    }
    if (number !== null && number !== 0 && number !== 1) this.nonBinary = true;
    this.numbers.set(at, number ?? Number.NaN);
    this.equal?.set(at, text === this.value ? 1 : 0);
    if (this.codes) {
      let code = this.levels.get(text);
      if (code === undefined) {
        code = this.levels.size;
        if (code >= MAX_LEVELS) {
          this.codes = null;
          return;
        }
        this.levels.set(text, code);
      }
      this.codes.set(at, code);
    }
  }

  field(): RowField {
    const type = this.texts > 0 ? (this.notDates === 0 ? 'date' : 'text') : !this.nonBinary && this.present > 0 ? 'binary' : this.words === 0 ? 'number' : 'text';
    return { name: this.name, type };
  }
}

/** Reads a CSV audience whole (progress in bytes; cancel between chunks). */
export async function readCsvRows(ctx: HandlerContext, source: SimSource & { audience: { kind: 'csv' } }): Promise<AudienceRows> {
  const { audience, metric } = source;
  const now = clockTimeFromLocalDate(ctx.deps.now());
  let collectors: ColumnCollector[] = [];
  let options: CsvOptions | null = null;
  const collect: RowCollector = {
    start(names, idIndex, read) {
      options = read;
      collectors = names.flatMap((name, index) => (index === idIndex ? [] : [new ColumnCollector(name, index, metric.value !== undefined && sameName(name, metric.field) ? metric.value : null)]));
    },
    row(record, position) {
      for (const c of collectors) c.add(record[c.index], position, options!);
    },
  };
  const phase = 'Reading the audience';
  const input = await readSplitInput(
    ctx.deps.fs,
    { path: audience.input, idColumn: audience.idColumn, strata: source.columns ?? [], options: audience.options, today: source.today ?? now.slice(0, 10), collect },
    { signal: ctx.signal, progress: (done, total) => ctx.progress(phase, done, total, 'bytes'), checkpoint: () => ctx.checkpoint() },
  );
  const count = input.ids.length;
  const fields = collectors.map((c) => c.field());
  const byField = new Map(fields.map((f, i) => [f, collectors[i]!]));
  const columns = source.columns ?? [];
  return {
    count,
    readIds: () => Promise.resolve(input.packed),
    stratumOf: input.strata.stratumOf,
    strataKeys: input.stratified ? input.strata.keys : [ALL_PROFILES.key],
    strataLabels: input.stratified ? input.strata.labels : [ALL_PROFILES.label],
    fields,
    audience: { kind: 'csv', label: `File ${basename(audience.input)}`, size: count, gcgRemoved: null, databaseId: null, campaignId: null },
    campaign: null,
    strataLabel: columns.length === 0 ? 'not stratified' : `stratified by ${columns.map((c) => String(c.column)).join(', ')}`,
    scannedAt: now,
    read(requests) {
      return Promise.resolve(
        requests.map((request): ColumnResult => {
          const c = byField.get(request.field)!;
          if (request.as === 'numbers') return { values: c.numbers.take(count) };
          if (request.as === 'equals') {
            if (c.equal && c.value === request.value) return { values: c.equal.take(count) };
            throw new Error(`simulate: the CSV column "${c.name}" was not read for the value "${request.value}"`);
          }
          return c.codes ? { codes: c.codes.take(count), levels: [...c.levels.keys()] } : null;
        }),
      );
    },
  };
}
