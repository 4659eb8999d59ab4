/**
 * Checking a column mapping before anything is written: every column is in the file, the
 * ID column is chosen once, no two columns go to one target, new fields do not clash with
 * existing ones. Each refusal names the columns, so the user knows what to change.
 */
import type { Field, FieldDraft } from '../../../shared/contract/databases';
import { EngineError } from '../../../shared/contract/errors';
import { MAX_IMPORT_COLUMNS, tooManyColumnsMessage, type ColumnMapping, type ColumnTarget } from '../../../shared/contract/imports';
import { MAX_FIELDS_PER_DATABASE, type FieldType } from '../../../shared/domain/profiles';
import type { CellKind, PlannedColumn } from './plan';

export type ResolvedTarget =
  | { readonly kind: 'profileId' }
  | { readonly kind: 'subscription' }
  | { readonly kind: 'field'; readonly field: Field; readonly addEnumValues?: boolean }
  | { readonly kind: 'newField'; readonly draft: FieldDraft; readonly addEnumValues?: boolean };

export interface ResolvedColumn {
  readonly index: number;
  readonly name: string;
  readonly target: ResolvedTarget;
}

import { NameIndex } from '../../../shared/names';

/** Other readers of CSV headers (split, segments) compare names through here too. */
export { sameName } from '../../../shared/names';

/** Refuses a file wider than an import reads, before anything is done with its columns. */
export function checkColumnCount(fileName: string, columns: number): void {
  if (columns > MAX_IMPORT_COLUMNS) {
    throw new EngineError('REFUSED', tooManyColumnsMessage(fileName, columns), { reason: 'too_many_columns', columns, limit: MAX_IMPORT_COLUMNS });
  }
}

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

/** A column's target with its field; undefined for a skipped column or a field that is not there. */
export function resolveTarget(target: ColumnTarget, fields: ReadonlyMap<number, Field>): ResolvedTarget | undefined {
  const add = 'addEnumValues' in target && target.addEnumValues ? { addEnumValues: true } : {};
  switch (target.kind) {
    case 'skip':
      return undefined;
    case 'field': {
      const field = fields.get(target.fieldId);
      return field && { kind: 'field', field, ...add };
    }
    case 'newField':
      return { kind: 'newField', draft: target.field, ...add };
    default:
      return { kind: target.kind };
  }
}

/** How the parser reads each column: its kind, its slot in a batch, a list field's values. */
export function planColumns(resolved: readonly ResolvedColumn[]): { columns: PlannedColumn[]; textSlots: number; numberSlots: number } {
  let textSlots = 0;
  let numberSlots = 0;
  const columns = resolved.map((column): PlannedColumn => {
    const t = column.target;
    const base = { index: column.index, name: column.name };
    if (t.kind === 'profileId') return { ...base, kind: 'id', slot: textSlots++ };
    if (t.kind === 'subscription') return { ...base, kind: 'subscription', slot: textSlots++ };
    const type = t.kind === 'field' ? t.field.type : t.draft.type;
    const enumValues = t.kind === 'field' ? t.field.enumValues : (t.draft.enumValues ?? []);
    const kind = CELL_KIND[type];
    const slot = kind === 'number' || kind === 'boolean' ? numberSlots++ : textSlots++;
    return { ...base, kind, slot, ...(kind === 'enum' ? { enumValues, ...(t.addEnumValues ? { addEnumValues: true } : {}) } : {}) };
  });
  return { columns, textSlots, numberSlots };
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
  const byId = new Map(fields.map((f) => [f.id, f]));
  for (const entry of [...mapping].sort((a, b) => a.column - b.column)) {
    const name = nameOf(entry.column);
    const target = resolveTarget(entry.target, byId);
    if (target === undefined && entry.target.kind === 'field') {
      refuse(`Column "${name}" goes to field ${entry.target.fieldId}, which is not a field of "${databaseName}".`, [name]);
    }
    if (target) resolved.push({ index: entry.column, name, target });
  }

  const ids = resolved.filter((c) => c.target.kind === 'profileId').map((c) => c.name);
  if (ids.length === 0) refuse('Choose the column that holds the profile ID: every profile needs one.', []);
  if (ids.length > 1) refuse(`Columns ${quoted(ids)} both go to the profile ID; choose one of them.`, ids);
  const statuses = resolved.filter((c) => c.target.kind === 'subscription').map((c) => c.name);
  if (statuses.length > 1) refuse(`Columns ${quoted(statuses)} both go to the subscription status; choose one of them.`, statuses);

  // One target per field: an existing field by id, a new field by name (which must not be
  // an existing field's name either).
  const fieldsByName = new NameIndex(fields.map((f) => [f.name, f] as const));
  const going = resolved.flatMap((column) => {
    const t = column.target;
    if (t.kind === 'field') return [{ column, fieldName: t.field.name }];
    if (t.kind !== 'newField') return [];
    const existing = fieldsByName.get(t.draft.name);
    if (existing) {
      refuse(`Column "${column.name}" would create the field "${t.draft.name}", but "${databaseName}" already has a field "${existing.name}": map the column to it instead.`, [column.name]);
    }
    return [{ column, fieldName: t.draft.name }];
  });
  const firstOfName = new NameIndex(going.map((g, i) => [g.fieldName, i] as const));
  const targets = new Map<number, { label: string; columns: string[] }>();
  for (const [i, { column, fieldName }] of going.entries()) {
    const key = firstOfName.get(fieldName) ?? i;
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
