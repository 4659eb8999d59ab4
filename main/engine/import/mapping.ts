/**
 * Checking a column mapping before anything is written: every column is in the file, the
 * ID column is chosen once, no two columns go to one target, new fields do not clash with
 * existing ones. Each refusal names the columns, so the user knows what to change.
 */
import type { Field, FieldDraft } from '../../../shared/contract/databases';
import { EngineError } from '../../../shared/contract/errors';
import type { ColumnMapping } from '../../../shared/contract/imports';
import { MAX_FIELDS_PER_DATABASE, type FieldType } from '../../../shared/domain/profiles';
import type { CellKind } from './plan';

export type ResolvedTarget =
  | { readonly kind: 'profileId' }
  | { readonly kind: 'subscription' }
  | { readonly kind: 'field'; readonly field: Field }
  | { readonly kind: 'newField'; readonly draft: FieldDraft };

export interface ResolvedColumn {
  readonly index: number;
  readonly name: string;
  readonly target: ResolvedTarget;
}

/** Names compare as the database compares field names: without case, in any script. */
export const sameName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

export const CELL_KIND: Readonly<Record<FieldType, CellKind>> = {
  string: 'string',
  number: 'number',
  date: 'date',
  datetime: 'datetime',
  boolean: 'boolean',
  enum: 'enum',
};

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(' and ');

function refuse(message: string, columns: readonly string[]): never {
  throw new EngineError('INVALID_ARGUMENT', message, { columns: [...columns] });
}

/** Resolves and checks a mapping against the file's columns and the database's fields. */
export function resolveMapping(
  mapping: readonly ColumnMapping[],
  columnNames: readonly string[],
  fields: readonly Field[],
  databaseName: string,
): ResolvedColumn[] {
  const nameOf = (index: number) => columnNames[index] ?? `Column ${index + 1}`;
  const byIndex = new Map<number, number>();
  for (const entry of mapping) {
    if (entry.column >= columnNames.length) {
      refuse(`Column ${entry.column + 1} is not in the file: it has ${columnNames.length} column${columnNames.length === 1 ? '' : 's'}.`, [nameOf(entry.column)]);
    }
    byIndex.set(entry.column, (byIndex.get(entry.column) ?? 0) + 1);
  }
  const twice = [...byIndex].filter(([, n]) => n > 1).map(([i]) => nameOf(i));
  if (twice.length > 0) refuse(`Column ${quoted(twice)} appears more than once in the mapping.`, twice);

  const resolved: ResolvedColumn[] = [];
  for (const entry of [...mapping].sort((a, b) => a.column - b.column)) {
    const name = nameOf(entry.column);
    const target = entry.target;
    if (target.kind === 'skip') continue;
    if (target.kind === 'field') {
      const field = fields.find((f) => f.id === target.fieldId);
      if (!field) refuse(`Column "${name}" goes to field ${target.fieldId}, which is not a field of "${databaseName}".`, [name]);
      resolved.push({ index: entry.column, name, target: { kind: 'field', field } });
    } else if (target.kind === 'newField') {
      resolved.push({ index: entry.column, name, target: { kind: 'newField', draft: target.field } });
    } else {
      resolved.push({ index: entry.column, name, target: { kind: target.kind } });
    }
  }

  const ids = resolved.filter((c) => c.target.kind === 'profileId').map((c) => c.name);
  if (ids.length === 0) refuse('Choose the column that holds the profile ID: every profile needs one.', []);
  if (ids.length > 1) refuse(`Columns ${quoted(ids)} both go to the profile ID; choose one of them.`, ids);
  const statuses = resolved.filter((c) => c.target.kind === 'subscription').map((c) => c.name);
  if (statuses.length > 1) refuse(`Columns ${quoted(statuses)} both go to the subscription status; choose one of them.`, statuses);

  // One target per field: an existing field by id, a new field by name (which must not be
  // an existing field's name either).
  const targets = new Map<string, { label: string; columns: string[] }>();
  for (const column of resolved) {
    const t = column.target;
    if (t.kind !== 'field' && t.kind !== 'newField') continue;
    const fieldName = t.kind === 'field' ? t.field.name : t.draft.name;
    const existing = t.kind === 'newField' ? fields.find((f) => sameName(f.name, fieldName)) : undefined;
    if (existing) {
      refuse(`Column "${column.name}" would create the field "${fieldName}", but "${databaseName}" already has a field "${existing.name}": map the column to it instead.`, [column.name]);
    }
    const key = [...targets.keys()].find((k) => sameName(k, fieldName)) ?? fieldName;
    const entry = targets.get(key) ?? { label: fieldName, columns: [] };
    entry.columns.push(column.name);
    targets.set(key, entry);
  }
  for (const { label, columns } of targets.values()) {
    if (columns.length > 1) refuse(`Columns ${quoted(columns)} all go to the field "${label}"; map each to a different field, or skip some.`, columns);
  }
  const added = resolved.filter((c) => c.target.kind === 'newField').length;
  if (fields.length + added > MAX_FIELDS_PER_DATABASE) {
    throw new EngineError(
      'REFUSED',
      `A database can have at most ${MAX_FIELDS_PER_DATABASE} fields: "${databaseName}" has ${fields.length}, and this import would add ${added}.`,
    );
  }
  return resolved;
}
