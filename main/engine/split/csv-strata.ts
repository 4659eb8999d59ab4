/**
 * Strata of a stand-alone CSV split: each stratification column puts a row into one of its
 * parts (a value, or a range of numbers or ISO dates); a stratum is a combination of parts.
 * A cell without a value goes to the column's "(no value)" part, in every kind.
 *
 * Keys and labels are the campaign split's (main/engine/campaigns/strata.ts), because the
 * key is hashed for the quotas' tie-break (md5(seed ":stratum:" key), STATS.md 1.2): a
 * part's key is the value as text, the range ("<18", "18..25", ">=65"), or "" for no value;
 * one column's key is its part, several columns' a JSON array of the parts in column order
 * (the campaign's field-id order); without columns, one stratum "". So a file of a
 * campaign's IDs and field values splits here exactly as the campaign split them.
 */
import type { SplitStratum } from '../../../shared/contract/split';
import { EngineError } from '../../../shared/contract/errors';
import { compareText } from '../../../shared/split/quotas';
import { isBlank, parseDate, parseDateTime, parseNumber, trimCell, unescapeFormulaGuard, type DateOrder, type DecimalSeparator } from '../import/convert';
import { MAX_STRATA } from '../campaigns/strata';

export interface StratumPart {
  /** Portable, hashed: the value, "18..25", "" for no value. */
  readonly key: string;
  /** For people: "gender = female", "age 18 to under 25", "age: (no value)". */
  readonly label: string;
}

/** One stratification column, classifying cells into parts. */
export interface Dimension {
  readonly column: string;
  readonly index: number;
  readonly parts: StratumPart[];
  /** The part number of a cell; `row` (1-based, as the file counts rows) for error messages. */
  classify(cell: string, row: number): number;
  /** Compares two part numbers for the table's order. */
  compare(a: number, b: number): number;
}

type Bound = { readonly kind: 'number'; readonly value: number } | { readonly kind: 'date'; readonly value: string };

const ISO_DATE_BOUND = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?$/;

function parseBounds(stratum: Extract<SplitStratum, { kind: 'ranges' }>): Bound[] {
  const bounds = stratum.bounds.map((b): Bound => {
    if (typeof b === 'number') {
      if (!Number.isFinite(b)) throw new EngineError('INVALID_ARGUMENT', `A range bound of "${stratum.column}" must be a finite number, not ${b}.`);
      return { kind: 'number', value: b };
    }
    const text = b.trim();
    const asNumber = parseNumber(text, '.');
    if (asNumber !== null) return { kind: 'number', value: asNumber };
    if (!ISO_DATE_BOUND.test(text) || parseDate(text.slice(0, 10), null) === null) {
      throw new EngineError('INVALID_ARGUMENT', `A range bound of "${stratum.column}" must be a number or an ISO date (2024-12-31), not "${b}".`);
    }
    return { kind: 'date', value: text.replace(' ', 'T') };
  });
  if (new Set(bounds.map((b) => b.kind)).size > 1) {
    throw new EngineError('INVALID_ARGUMENT', `The range bounds of "${stratum.column}" mix numbers and dates; use one kind.`);
  }
  for (let i = 1; i < bounds.length; i += 1) {
    if (!(bounds[i - 1]!.value < bounds[i]!.value)) {
      throw new EngineError('INVALID_ARGUMENT', `The range bounds of "${stratum.column}" must go up: ${String(bounds[i - 1]!.value)} is not below ${String(bounds[i]!.value)}.`);
    }
  }
  return bounds;
}

/** The ranges [b_i, b_i+1) of the bounds, the first and last open: "<18" "18..25" ">=35". */
export function rangeParts(column: string, bounds: readonly (number | string)[]): StratumPart[] {
  const text = bounds.map(String);
  const last = text.length - 1;
  const parts: StratumPart[] = [{ key: `<${text[0]}`, label: `${column} < ${text[0]}` }];
  for (let i = 1; i <= last; i += 1) parts.push({ key: `${text[i - 1]}..${text[i]}`, label: `${column} ${text[i - 1]} to under ${text[i]}` });
  parts.push({ key: `>=${text[last]}`, label: `${column} ≥ ${text[last]}` });
  return parts;
}

const noValuePart = (column: string): StratumPart => ({ key: '', label: `${column}: (no value)` });

/** The range a value falls in: the number of bounds at or below it. */
function rangeIndex<T extends number | string>(bounds: readonly T[], value: T): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bounds[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface ReadOptions {
  readonly decimal: DecimalSeparator;
  readonly dateOrder: DateOrder;
}

export function makeDimension(stratum: SplitStratum, index: number, columnName: string, read: ReadOptions): Dimension {
  if (stratum.kind === 'values') return valuesDimension(columnName, index);
  const bounds = parseBounds(stratum);
  const parts: StratumPart[] = [...rangeParts(columnName, bounds.map((b) => b.value)), noValuePart(columnName)];
  const noValue = parts.length - 1;
  const compare = (a: number, b: number) => a - b;
  if (bounds[0]!.kind === 'number') {
    const values = bounds.map((b) => b.value as number);
    return {
      column: columnName,
      index,
      parts,
      compare,
      classify(cell, row) {
        if (isBlank(cell)) return noValue;
        const value = parseNumber(cell, read.decimal);
        if (value === null) {
          throw new EngineError('REFUSED', `Row ${row}, column "${columnName}": "${trimCell(cell)}" is not a number, so it fits none of the ranges.`, { row, column: columnName, value: cell });
        }
        return rangeIndex(values, value);
      },
    };
  }
  const values = bounds.map((b) => b.value as string);
  return {
    column: columnName,
    index,
    parts,
    compare,
    classify(cell, row) {
      if (isBlank(cell)) return noValue;
      const value = parseDate(cell, read.dateOrder) ?? parseDateTime(cell, read.dateOrder);
      if (value === null) {
        throw new EngineError('REFUSED', `Row ${row}, column "${columnName}": "${trimCell(cell)}" is not a date, so it fits none of the ranges.`, { row, column: columnName, value: cell });
      }
      return rangeIndex(values, value);
    },
  };
}

function valuesDimension(columnName: string, index: number): Dimension {
  // Part 0 is "(no value)"; the values follow as they turn up.
  const parts: StratumPart[] = [noValuePart(columnName)];
  const byValue = new Map<string, number>();
  return {
    column: columnName,
    index,
    parts,
    classify(cell) {
      if (isBlank(cell)) return 0;
      const value = unescapeFormulaGuard(trimCell(cell));
      let part = byValue.get(value);
      if (part === undefined) {
        part = parts.length;
        parts.push({ key: value, label: `${columnName} = ${value}` });
        byValue.set(value, part);
      }
      return part;
    },
    // Values in code point order, no value last.
    compare: (a, b) => (a === 0 || b === 0 ? (a === 0 ? 1 : 0) - (b === 0 ? 1 : 0) : compareText(parts[a]!.key, parts[b]!.key)),
  };
}

export interface StrataTable {
  /** The stratum number of each row, numbered in the table's order. */
  readonly stratumOf: Int32Array;
  readonly keys: string[];
  readonly labels: string[];
}

/**
 * Numbers the combinations seen (`combos`: the part numbers of a combination, one per
 * dimension; `rowCombo`: each row's combination) in the table's order (dimensions as given,
 * parts in their order), with their keys (see the module comment) and labels.
 */
export function numberStrata(dimensions: readonly Dimension[], rowCombo: Int32Array, combos: readonly Int32Array[]): StrataTable {
  if (combos.length > MAX_STRATA) {
    throw new EngineError(
      'REFUSED',
      `These stratification columns cut the file into ${combos.length.toLocaleString('en-US')} strata; at most ${MAX_STRATA.toLocaleString('en-US')} can be used. Use wider ranges or fewer columns.`,
    );
  }
  const order = combos.map((_, i) => i);
  order.sort((a, b) => {
    for (let d = 0; d < dimensions.length; d += 1) {
      const c = dimensions[d]!.compare(combos[a]![d]!, combos[b]![d]!);
      if (c !== 0) return c;
    }
    return 0;
  });
  const renumber = new Int32Array(combos.length);
  order.forEach((combo, position) => (renumber[combo] = position));
  const byColumn = dimensions.map((_, i) => i).sort((a, b) => dimensions[a]!.index - dimensions[b]!.index);
  const partOf = (combo: number, d: number) => dimensions[d]!.parts[combos[combo]![d]!]!;
  const keys = order.map((combo) =>
    dimensions.length === 1 ? partOf(combo, 0).key : JSON.stringify(byColumn.map((d) => partOf(combo, d).key)),
  );
  const labels = order.map((combo) => dimensions.map((_, d) => partOf(combo, d).label).join(' · '));
  const stratumOf = new Int32Array(rowCombo.length);
  for (let i = 0; i < rowCombo.length; i += 1) stratumOf[i] = renumber[rowCombo[i]!]!;
  return { stratumOf, keys, labels };
}
