/**
 * Strata of a stand-alone CSV split: each stratification column puts a row into one of its
 * parts; a stratum is a combination of parts. The parts, their keys and labels, and how a
 * value is classified are the stratum scheme's (shared/split/stratum-scheme.ts and
 * stratum-rules.ts), the campaign split's own: the key is hashed for the quotas' tie-break
 * (md5(seed ":stratum:" key), STATS.md 1.2), so a file of a campaign's IDs and field values
 * splits here exactly as the campaign split them.
 *
 * A file does not type its columns: values, chosen values and groups compare the cell's text
 * (trimmed, as the import stores it); ranges and intervals read numbers or dates as their
 * bounds are (the cells by the file's decimal separator and date order); ages read dates.
 * A cell without a value goes to the column's "(no value)" part, in every kind; a cell that
 * cannot be read as the rule needs stops the split, naming the row and column.
 */
import type { SplitStratum } from '../../../shared/contract/split';
import { EngineError } from '../../../shared/contract/errors';
import { compareText } from '../../../shared/split/quotas';
import { checkRule, columnType, ruleClassifier } from '../../../shared/split/stratum-rules';
import { MAX_STRATA, noValuePart, stratumKey, stratumLabel, tooManyStrataMessage, valuePart, type StratumPart, type StratumSpec } from '../../../shared/split/stratum-scheme';
import { isBlank, parseDate, parseDateTime, parseNumber, trimCell, unescapeFormulaGuard, type DateOrder, type DecimalSeparator } from '../import/convert';

/** One stratification column, classifying cells into parts. */
export interface Dimension {
  readonly column: string;
  readonly index: number;
  /** Part 0 is "(no value)". */
  readonly parts: StratumPart[];
  /** The part number of a cell; `row` (1-based, as the file counts rows) for error messages. */
  classify(cell: string, row: number): number;
  /** Compares two part numbers for the table's order: the parts in order, "(no value)" last. */
  compare(a: number, b: number): number;
}

export interface ReadOptions {
  readonly decimal: DecimalSeparator;
  readonly dateOrder: DateOrder;
  /** The date ages are counted on ("YYYY-MM-DD"). */
  readonly today: string;
}

const noValueLast = (a: number, b: number) => (a === 0 || b === 0 ? (a === 0 ? 1 : 0) - (b === 0 ? 1 : 0) : a - b);

export function makeDimension(stratum: SplitStratum, index: number, columnName: string, read: ReadOptions): Dimension {
  const spec: StratumSpec = stratum;
  if (spec.kind === 'values') return valuesDimension(columnName, index);
  const typed = columnType(spec, columnName);
  if (!typed.ok) throw new EngineError('INVALID_ARGUMENT', typed.problem, { column: columnName });
  const target = { name: columnName, type: typed.type };
  const checked = checkRule(spec, target);
  if (!checked.ok) throw new EngineError('INVALID_ARGUMENT', checked.problem, { column: columnName });
  const classifier = ruleClassifier(checked.spec, target, read.today)!;
  const fits = spec.kind === 'ranges' ? 'so it fits none of the ranges' : spec.kind === 'age' ? 'so its age cannot be counted' : 'so it cannot be placed in an interval';
  const unreadable = (cell: string, row: number, what: string): never => {
    throw new EngineError('REFUSED', `Row ${row}, column "${columnName}": "${trimCell(cell)}" is not ${what}, ${fits}.`, { row, column: columnName, value: cell });
  };
  const valueOf =
    typed.type === 'string'
      ? (cell: string) => unescapeFormulaGuard(trimCell(cell))
      : typed.type === 'number'
        ? (cell: string, row: number) => parseNumber(cell, read.decimal) ?? unreadable(cell, row, 'a number')
        : (cell: string, row: number) => parseDate(cell, read.dateOrder) ?? parseDateTime(cell, read.dateOrder) ?? unreadable(cell, row, 'a date');
  return {
    column: columnName,
    index,
    parts: [...classifier.parts],
    compare: noValueLast,
    classify: (cell, row) => (isBlank(cell) ? 0 : classifier.classify(valueOf(cell, row))),
  };
}

function valuesDimension(columnName: string, index: number): Dimension {
  // Part 0 is "(no value)"; the values follow as they turn up.
  const parts: StratumPart[] = [noValuePart(columnName)];
  const byValue = new Map<string, number>();
  const target = { name: columnName, type: 'string' as const };
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
        parts.push(valuePart(target, value));
        byValue.set(value, part);
      }
      return part;
    },
    // Values in code point order, no value last.
    compare: (a, b) => (a === 0 || b === 0 ? noValueLast(a, b) : compareText(parts[a]!.key, parts[b]!.key)),
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
    throw new EngineError('REFUSED', tooManyStrataMessage(combos.length, dimensions.map((d) => d.column)), { strata: combos.length });
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
  const keys = order.map((combo) => stratumKey(byColumn.map((d) => partOf(combo, d).key)));
  const labels = order.map((combo) => stratumLabel(dimensions.map((_, d) => partOf(combo, d).label)));
  const stratumOf = new Int32Array(rowCombo.length);
  for (let i = 0; i < rowCombo.length; i += 1) stratumOf[i] = renumber[rowCombo[i]!]!;
  return { stratumOf, keys, labels };
}
