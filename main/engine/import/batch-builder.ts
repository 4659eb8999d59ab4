/**
 * Turns records into batches of checked, converted rows: the hot loop of an import, run
 * in the parse worker (off the engine thread). A row with any problem is left out of the
 * batches and reported, cell by cell; a row with the wrong number of cells is reported
 * once, as a row.
 */
import type { ImportProblem } from '../../../shared/contract/imports';
import { MAX_ENUM_VALUE_CHARS, MAX_ENUM_VALUES } from '../../../shared/domain/profiles';
import {
  isBlank,
  MAX_ID_CHARS,
  MAX_TEXT_CHARS,
  parseBoolean,
  parseDate,
  parseDateTime,
  parseNumber,
  parseSubscription,
  problemReason,
  problemValue,
  listValueOf,
  trimCell,
  unescapeFormulaGuard,
  withoutLeadingBom,
  type ProblemCode,
} from './convert';
import type { RecordChunk } from './csv-stream';
import { IdRegistry } from './id-registry';
import type { BatchMessage, ParsePlan, PlannedColumn } from './plan';

const encoder = new TextEncoder();

export class BatchBuilder {
  rowsRead = 0;
  badRows = 0;
  problemCount = 0;
  bytesRead = 0;
  /** Where each ID was seen first (row number), to report repeats with both rows. */
  private readonly ids = new IdRegistry();
  private readonly enumSets: (Set<string> | null)[];
  /** Values added to list fields since the last batch: [column position in the plan, value]. */
  private newEnumValues: [number, string][] = [];
  /** The current batch's text cells, as UTF-8, written cell by cell (see writeText). */
  private bytes = new Uint8Array(1 << 20);
  private byteLength = 0;
  private textStart: Int32Array;
  private textLength: Int32Array;
  private numbers: Float64Array;
  private fileRows: Int32Array;
  private rows = 0;
  /**
   * Rows in the current batch before it is sent: small at first, so the engine starts
   * writing while the parser is still warming up, then doubling up to the plan's size.
   */
  private limit: number;
  private problems: ImportProblem[] = [];
  private problemsKept = 0;
  private readonly rowText: (string | null)[];
  private readonly rowNumbers: number[];

  constructor(
    private readonly plan: ParsePlan,
    private readonly emit: (batch: BatchMessage) => void,
  ) {
    this.enumSets = plan.columns.map((c) => (c.kind === 'enum' ? new Set(c.enumValues ?? []) : null));
    this.limit = Math.min(plan.batchRows, 1_024);
    this.textStart = new Int32Array(plan.batchRows * plan.textSlots);
    this.textLength = new Int32Array(plan.batchRows * plan.textSlots);
    this.numbers = new Float64Array(plan.batchRows * plan.numberSlots);
    this.fileRows = new Int32Array(plan.batchRows);
    this.rowText = new Array<string | null>(plan.textSlots).fill(null);
    this.rowNumbers = new Array<number>(plan.numberSlots).fill(Number.NaN);
  }

  /** Checks and converts a chunk of records; emits a batch whenever one is full. */
  addChunk(chunk: RecordChunk): void {
    this.bytesRead = chunk.bytesRead;
    const { records, firstIndex, badQuotes } = chunk;
    let nextBadQuote = 0;
    for (let i = 0; i < records.length; i += 1) {
      const index = firstIndex + i;
      let badQuote = false;
      while (nextBadQuote < badQuotes.length && badQuotes[nextBadQuote]! <= index) {
        if (badQuotes[nextBadQuote] === index) badQuote = true;
        nextBadQuote += 1;
      }
      if (index <= this.plan.headerIndex) continue;
      this.addRecord(records[i]!, index + 1, badQuote);
    }
  }

  /** Reports a quote that never closes, at the row where it opens. */
  addUnterminatedQuote(recordIndex: number): void {
    this.badRows += 1;
    this.problem(recordIndex + 1, null, null, 'unterminated_quote', problemReason('unterminated_quote', {}));
  }

  /**
   * A value not in a list field's list: added to it when the column says so (and the list
   * has room), else a problem of its row. The engine adds the values to the field.
   */
  private addEnumValue(c: number, value: string, row: number, raw: string): boolean {
    const column = this.plan.columns[c]!;
    const set = this.enumSets[c]!;
    if (column.addEnumValues && value.length > MAX_ENUM_VALUE_CHARS) {
      this.problem(row, column.name, raw, 'value_too_long', problemReason('value_too_long', { expected: MAX_ENUM_VALUE_CHARS }));
      return false;
    }
    if (!column.addEnumValues || set.size >= MAX_ENUM_VALUES) {
      this.problem(row, column.name, raw, 'unknown_enum_value', problemReason('unknown_enum_value', { enumValues: [...set], listFull: column.addEnumValues === true }));
      return false;
    }
    set.add(value);
    this.newEnumValues.push([c, value]);
    return true;
  }

  private problem(row: number, column: string | null, value: string | null, code: ProblemCode, reason: string, relatedRow?: number): void {
    this.problemCount += 1;
    if (this.problemsKept >= this.plan.maxProblems) return;
    this.problemsKept += 1;
    const problem: ImportProblem = { row, column, value: value === null ? null : problemValue(value), code, reason };
    this.problems.push(relatedRow === undefined ? problem : { ...problem, relatedRow });
  }

  private addRecord(record: string[], row: number, badQuote: boolean): void {
    const plan = this.plan;
    const cells = record.length;
    // Blank lines (also ";;;;" rows Excel leaves at the end) are no rows at all.
    if ((cells === 1 || isBlank(record[0]!)) && record.every(isBlank)) return;
    this.rowsRead += 1;
    if (cells !== plan.cellCount) {
      const extraBlank = cells > plan.cellCount && record.slice(plan.cellCount).every(isBlank);
      if (!extraBlank) {
        this.badRows += 1;
        const code = cells > plan.cellCount ? 'too_many_cells' : 'too_few_cells';
        const text = record.join(plan.delimiter);
        this.problem(row, null, text, code, problemReason(code, { expected: plan.cellCount, found: cells }));
        return;
      }
    }
    if (badQuote) {
      this.badRows += 1;
      this.problem(row, null, record.join(plan.delimiter), 'invalid_quotes', problemReason('invalid_quotes', {}));
      return;
    }
    const problemsBefore = this.problemCount;
    const rowText = this.rowText;
    const rowNumbers = this.rowNumbers;
    const columns = plan.columns;
    for (let c = 0; c < columns.length; c += 1) {
      const column = columns[c]!;
      const raw = record[column.index]!;
      if (column.required && column.kind !== 'id' && isBlank(raw)) {
        this.problem(row, column.name, raw, 'missing_value', problemReason('missing_value', {}));
        continue;
      }
      switch (column.kind) {
        case 'id': {
          const id = trimCell(raw);
          if (id.length === 0) {
            this.problem(row, column.name, raw, 'missing_id', problemReason('missing_id', {}));
            break;
          }
          const value = unescapeFormulaGuard(id);
          if (value.length > MAX_ID_CHARS) {
            this.problem(row, column.name, raw, 'value_too_long', problemReason('value_too_long', { expected: MAX_ID_CHARS }));
            break;
          }
          const first = plan.idsCheckedByIndex || plan.idsMayRepeat ? -1 : this.ids.firstSeen(value, row);
          if (first >= 0) {
            this.problem(row, column.name, raw, 'duplicate_id', problemReason('duplicate_id', {}), first);
            break;
          }
          rowText[column.slot] = value;
          break;
        }
        case 'string': {
          if (isBlank(raw)) {
            rowText[column.slot] = null;
          } else if (raw.length > (column.maxChars ?? MAX_TEXT_CHARS)) {
            this.problem(row, column.name, raw, 'value_too_long', problemReason('value_too_long', { expected: column.maxChars ?? MAX_TEXT_CHARS }));
          } else {
            rowText[column.slot] = unescapeFormulaGuard(withoutLeadingBom(raw));
          }
          break;
        }
        case 'enum': {
          if (isBlank(raw)) {
            rowText[column.slot] = null;
            break;
          }
          const value = listValueOf(raw);
          if (this.enumSets[c]!.has(value) || this.addEnumValue(c, value, row, raw)) rowText[column.slot] = value;
          break;
        }
        case 'subscription': {
          if (isBlank(raw)) {
            rowText[column.slot] = null;
            break;
          }
          const status = parseSubscription(raw);
          if (status === null) this.problem(row, column.name, raw, 'unknown_subscription_status', problemReason('unknown_subscription_status', {}));
          else rowText[column.slot] = status;
          break;
        }
        case 'number': {
          if (isBlank(raw)) {
            rowNumbers[column.slot] = Number.NaN;
            break;
          }
          const value = parseNumber(raw, plan.decimal);
          if (value === null) this.problem(row, column.name, raw, 'not_a_number', problemReason('not_a_number', { decimal: plan.decimal }));
          else rowNumbers[column.slot] = value;
          break;
        }
        case 'boolean': {
          if (isBlank(raw)) {
            rowNumbers[column.slot] = Number.NaN;
            break;
          }
          const value = parseBoolean(raw);
          if (value === null) this.problem(row, column.name, raw, 'not_a_boolean', problemReason('not_a_boolean', {}));
          else rowNumbers[column.slot] = value;
          break;
        }
        case 'date': {
          if (isBlank(raw)) {
            rowText[column.slot] = null;
            break;
          }
          const value = parseDate(raw, plan.dateOrder);
          if (value === null) this.problem(row, column.name, raw, 'not_a_date', problemReason('not_a_date', { dateOrder: plan.dateOrder }));
          else rowText[column.slot] = value;
          break;
        }
        case 'datetime': {
          if (isBlank(raw)) {
            rowText[column.slot] = null;
            break;
          }
          const value = parseDateTime(raw, plan.dateOrder);
          if (value === null) this.problem(row, column.name, raw, 'not_a_datetime', problemReason('not_a_datetime', { dateOrder: plan.dateOrder }));
          else rowText[column.slot] = value;
          break;
        }
      }
    }
    if (this.problemCount !== problemsBefore) {
      this.badRows += 1;
      return;
    }
    if (plan.checkOnlyAfterProblem && this.badRows > 0) return;
    this.appendRow(row);
  }

  private appendRow(row: number): void {
    const { textSlots, numberSlots } = this.plan;
    this.fileRows[this.rows] = row;
    const base = this.rows * textSlots;
    for (let s = 0; s < textSlots; s += 1) {
      const value = this.rowText[s]!;
      if (value === null) {
        this.textStart[base + s] = this.byteLength;
        this.textLength[base + s] = -1;
      } else {
        this.writeText(base + s, value);
      }
    }
    const numberBase = this.rows * numberSlots;
    for (let s = 0; s < numberSlots; s += 1) this.numbers[numberBase + s] = this.rowNumbers[s]!;
    this.rows += 1;
    if (this.rows === this.limit) {
      this.flush();
      this.limit = Math.min(this.plan.batchRows, this.limit * 2);
    }
  }

  /** Emits the rows and problems gathered since the last batch (also when there are none). */
  /**
   * Appends one cell's UTF-8 bytes. Cells are mostly ASCII, so they are copied a character
   * at a time, which is cheaper than joining the batch's strings and encoding the result;
   * at the first other character the cell is encoded whole by TextEncoder instead.
   */
  private writeText(cell: number, value: string): void {
    const start = this.byteLength;
    const worst = start + value.length * 3;
    if (worst > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(worst, this.bytes.length * 2));
      bigger.set(this.bytes.subarray(0, start));
      this.bytes = bigger;
    }
    const bytes = this.bytes;
    let end = start;
    for (let i = 0; i < value.length; i += 1) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) {
        end = start + encoder.encodeInto(value, bytes.subarray(start)).written;
        break;
      }
      bytes[end++] = code;
    }
    this.textStart[cell] = start;
    this.textLength[cell] = end - start;
    this.byteLength = end;
  }

  flush(): void {
    const { textSlots, numberSlots } = this.plan;
    const rows = this.rows;
    const cells = rows * textSlots;
    const text = this.bytes.slice(0, this.byteLength);
    const textStart = this.textStart.slice(0, cells);
    const textLength = this.textLength.slice(0, cells);
    const numbers = this.numbers.slice(0, rows * numberSlots);
    const rowNumbers = this.fileRows.slice(0, rows);
    const problems = this.problems;
    this.problems = [];
    const newEnumValues = this.newEnumValues;
    this.newEnumValues = [];
    this.byteLength = 0;
    this.rows = 0;
    this.emit({
      type: 'batch',
      rows,
      text,
      textStart,
      textLength,
      numbers,
      rowNumbers,
      problems,
      ...(newEnumValues.length > 0 ? { newEnumValues } : {}),
      rowsRead: this.rowsRead,
      badRows: this.badRows,
      problemCount: this.problemCount,
      bytesRead: this.bytesRead,
    });
  }
}

/** The columns of a plan in slot order, for the writer on the other side. */
export function slotsOf(columns: readonly PlannedColumn[], numbers: boolean): PlannedColumn[] {
  return columns.filter((c) => (c.kind === 'number' || c.kind === 'boolean') === numbers).sort((a, b) => a.slot - b.slot);
}
