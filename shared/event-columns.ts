/**
 * Which columns of an events file hold what, guessed from the header names: the one rule
 * the import wizard's Events target and `cplan events import` both start from. The profile
 * ID column is the one the preview suggests as the profile ID (import/preview's rule).
 */
import type { ImportPreview } from './contract/imports';

/** Header names taken as the event type column. */
export const TYPE_HEADERS: readonly string[] = ['type', 'event', 'event_type'];
/** Header names taken as the time column (the wizard's guess; the CLI asks for it). */
const TIME_HEADERS: readonly string[] = ['time', 'when', 'at', 'date', 'datetime', 'date_time', 'timestamp', 'event_time', 'occurred_at', 'created_at', 'ordered_at'];
const AMOUNT_HEADERS: readonly string[] = ['amount', 'sum', 'total', 'price', 'value', 'revenue'];
const NOTE_HEADERS: readonly string[] = ['note', 'text', 'comment', 'order', 'order_id', 'order_number'];

/** "Event Type" and "event-type" read as event_type. */
const headerKey = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_|_$/g, '');

export interface EventColumnGuess {
  readonly idColumn: number | null;
  readonly typeColumn: number | null;
  readonly timeColumn: number | null;
  readonly amountColumn: number | null;
  readonly noteColumn: number | null;
}

export function columnNamedLike(preview: Pick<ImportPreview, 'columns'>, names: readonly string[], taken: ReadonlySet<number> = new Set()): number | null {
  return preview.columns.find((c) => !taken.has(c.index) && names.includes(headerKey(c.name)))?.index ?? null;
}

/** The guess for every role; a column is guessed for one role at most. Null: no column looks like it. */
export function guessEventColumns(preview: Pick<ImportPreview, 'columns'>): EventColumnGuess {
  const taken = new Set<number>();
  const take = (index: number | null) => {
    if (index !== null) taken.add(index);
    return index;
  };
  const idColumn = take(preview.columns.find((c) => c.suggested.kind === 'profileId')?.index ?? null);
  const typeColumn = take(columnNamedLike(preview, TYPE_HEADERS, taken));
  // Else the first column whose values read as dates.
  const timeColumn = take(
    columnNamedLike(preview, TIME_HEADERS, taken) ??
      preview.columns.find((c) => !taken.has(c.index) && (c.inferredType === 'date' || c.inferredType === 'datetime'))?.index ??
      null,
  );
  const amountColumn = take(columnNamedLike(preview, AMOUNT_HEADERS, taken));
  const noteColumn = take(columnNamedLike(preview, NOTE_HEADERS, taken));
  return { idColumn, typeColumn, timeColumn, amountColumn, noteColumn };
}
