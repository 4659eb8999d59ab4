/**
 * What an import did and what a mapping would do, in the words the wizard and `cplan
 * import` both use: values a list (enum) field lacks, and whether anything was imported.
 */
import type { Field } from './contract/databases';
import type { ColumnTarget, ImportResult } from './contract/imports';
import { MAX_ENUM_VALUES } from './domain/profiles';
import { formatCount } from './format';

export interface ValueCount {
  readonly value: string;
  readonly count: number;
}

const counted = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** The list (enum) a column's target has: an existing list field's, or a new list field's; null for other targets. */
export function listOfTarget(target: ColumnTarget, fields: readonly Field[]): { readonly name: string; readonly values: readonly string[] } | null {
  if (target.kind === 'newField') return target.field.type === 'enum' ? { name: target.field.name, values: target.field.enumValues ?? [] } : null;
  if (target.kind !== 'field') return null;
  const field = fields.find((f) => f.id === target.fieldId);
  return field?.type === 'enum' ? { name: field.name, values: field.enumValues } : null;
}

/** The values of a column (as the preview counts them) that a list does not have, most frequent first. */
export function valuesOutsideList(values: readonly ValueCount[], list: readonly string[]): ValueCount[] {
  const known = new Set(list);
  return values.filter((v) => !known.has(v.value));
}

/**
 * "2 values are not in the list: "x" (12 rows), "y" (1 row)", the first `shown` of them
 * by name. `more`: the sample had more different values than the preview counted.
 */
export function describeOutsideList(outside: readonly ValueCount[], more: boolean, shown = 5): string {
  if (more) return `The column has more than ${formatCount(MAX_ENUM_VALUES)} different values: too many for a list, which holds at most ${formatCount(MAX_ENUM_VALUES)}`;
  const listed = outside
    .slice(0, shown)
    .map((v) => `"${v.value}" (${counted(v.count, 'row', 'rows')})`)
    .join(', ');
  const rest = outside.length > shown ? `, and ${formatCount(outside.length - shown)} more` : '';
  return `${outside.length === 1 ? '1 value is' : `${formatCount(outside.length)} values are`} not in the list: ${listed}${rest}`;
}

/**
 * Null when the import added or updated profiles; otherwise why nothing was imported, as
 * one sentence. An import that adds and updates nothing is never shown as a success.
 */
export function nothingImported(result: ImportResult): string | null {
  if (result.outcome === 'imported' && result.added + result.updated > 0) return null;
  const good = result.rowsRead - result.skipped;
  const changedNothing = [
    result.unchanged > 0 ? `${counted(result.unchanged, 'profile', 'profiles')} already held these values` : '',
    result.leftAlone > 0 ? `${counted(result.leftAlone, 'row was', 'rows were')} left alone by the mode (already in the database, or not in it)` : '',
  ].filter((part) => part !== '');
  if (result.rowsRead === 0) return 'Nothing was imported: the file has no data rows.';
  if (result.skipped === 0) return `Nothing was imported: ${changedNothing.join(', and ')}.`;
  const problems = `${counted(result.skipped, 'row has a problem', 'rows have problems')}`;
  if (good === 0) return `Nothing was imported: ${result.skipped === 1 ? 'the only row has a problem' : `every row (${formatCount(result.skipped)}) has a problem`}.`;
  if (result.unchanged + result.leftAlone === good) return `Nothing was imported: ${problems}, and of the others ${changedNothing.join(', and ')}.`;
  return `Nothing was imported: ${problems}, and the import was set to stop on bad rows, so the other ${counted(good, 'row was', 'rows were')} not imported either.`;
}
