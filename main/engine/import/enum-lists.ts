/**
 * Values an import brings to list (enum) fields, when the mapping says to add them
 * (`addEnumValues`): written into the lists in the import's own transaction, so a cancelled
 * or stopped import leaves the lists as they were.
 */
import type { Field } from '../../../shared/contract/databases';
import { EngineError } from '../../../shared/contract/errors';
import type { ImportResult } from '../../../shared/contract/imports';
import { MAX_ENUM_VALUES } from '../../../shared/domain/profiles';
import { formatCount } from '../../../shared/format';
import { requireField, updateField } from '../databases/repository';
import type { SqlDb } from '../sqlite/database';
import type { TargetColumn } from './merge';

/**
 * Adds the values the file brought to list fields (`addEnumValues`), those that profiles
 * now hold, in the order first seen, in the import's transaction. A list that would pass
 * MAX_ENUM_VALUES refuses the whole import. `everyRowStored`: every row that brought a value
 * was written as a new profile, so the values need no look-up in the table (a scan of it per
 * list field, most of a second for a million profiles).
 */
export function extendEnumLists(
  db: SqlDb,
  table: string,
  found: ReadonlyMap<number, ReadonlySet<string>>,
  targets: readonly { readonly target: TargetColumn; readonly field?: Field }[],
  everyRowStored = false,
): ImportResult['enumValuesAdded'] {
  const added: ImportResult['enumValuesAdded'] = [];
  for (const [position, values] of found) {
    const { target, field } = targets[position]!;
    if (!field) continue;
    const current = requireField(db, field.id);
    const stored = everyRowStored
      ? values
      : new Set(
          db.all<{ v: string }>(`SELECT DISTINCT ${target.column} AS v FROM ${table} WHERE ${target.column} IN (SELECT value FROM json_each(?))`, [
            JSON.stringify([...values]),
          ]).map((r) => String(r.v)),
        );
    const known = new Set(current.enumValues);
    const fresh = [...values].filter((v) => stored.has(v) && !known.has(v));
    if (fresh.length === 0) continue;
    if (current.enumValues.length + fresh.length > MAX_ENUM_VALUES) {
      throw new EngineError(
        'REFUSED',
        `The list of "${current.name}" would have ${formatCount(current.enumValues.length + fresh.length)} values with the ones this file adds; a list holds at most ${MAX_ENUM_VALUES}. Nothing was imported. Is "${current.name}" really a list? Import the column as text instead.`,
        { fieldId: current.id },
      );
    }
    updateField(db, current.id, { enumValues: [...current.enumValues, ...fresh] });
    added.push({ field: current.name, values: fresh });
  }
  return added;
}
