/**
 * The column mapping of the import wizard: drafts made from the preview's suggestions,
 * what the user changed, the checks shown as they edit, and the contract's mapping.
 */
import type { ColumnTarget, Field, ImportPreview, PreviewColumn } from '../../../shared/contract/index';
import type { FieldType } from '../../../shared/domain/profiles';
import { listOfTarget, valuesOutsideList, type ValueCount } from '../../../shared/import-summary';
import { NameIndex } from '../../../shared/names';
import { enumValuesProblem, fieldNameProblem, parseEnumValues } from '../databases/validation';

/** The value of a column's target select. */
export type TargetChoice = 'skip' | 'profileId' | 'subscription' | 'newField' | `field:${number}`;

export interface ColumnDraft {
  readonly index: number;
  /** The column's header (or "Column 3"). */
  readonly name: string;
  readonly choice: TargetChoice;
  /** The new field's settings; kept while another target is chosen, so switching back restores them. */
  readonly newName: string;
  readonly newType: FieldType;
  /** Enum values, one per line. */
  readonly enumText: string;
  /** A list (enum) target takes the values the file has that its list lacks. */
  readonly addEnumValues: boolean;
}

export function choiceOf(target: ColumnTarget): TargetChoice {
  switch (target.kind) {
    case 'field':
      return `field:${target.fieldId}`;
    default:
      return target.kind;
  }
}

export function fieldIdOf(choice: TargetChoice): number | null {
  return choice.startsWith('field:') ? Number(choice.slice('field:'.length)) : null;
}

export function draftOf(column: PreviewColumn): ColumnDraft {
  const suggested = column.suggested;
  const fromSuggestion = suggested.kind === 'newField' ? suggested.field : null;
  const type = fromSuggestion?.type ?? column.inferredType;
  const values = fromSuggestion?.enumValues ?? column.inferredEnumValues;
  return {
    index: column.index,
    name: column.name,
    choice: choiceOf(suggested),
    newName: fromSuggestion?.name ?? column.name.trim().slice(0, 64),
    newType: type,
    enumText: values.join('\n'),
    addEnumValues: 'addEnumValues' in suggested && suggested.addEnumValues === true,
  };
}

export const draftsFromPreview = (preview: ImportPreview): ColumnDraft[] => preview.columns.map(draftOf);

/** The same columns (by name, in order): the user's mapping still applies after re-reading the file. */
export function sameColumns(a: ImportPreview | null, b: ImportPreview): boolean {
  return a !== null && a.columns.length === b.columns.length && a.columns.every((c, i) => c.name === b.columns[i]?.name);
}

/**
 * The target of a draft. `fields` (the database's) tells which existing field is a list;
 * only a list target carries `addEnumValues`.
 */
export function targetOf(draft: ColumnDraft, fields: readonly Field[] = []): ColumnTarget {
  const add = draft.addEnumValues ? { addEnumValues: true } : {};
  const fieldId = fieldIdOf(draft.choice);
  if (fieldId !== null) return { kind: 'field', fieldId, ...(fields.find((f) => f.id === fieldId)?.type === 'enum' ? add : {}) };
  if (draft.choice === 'newField') {
    const name = draft.newName.trim();
    return draft.newType === 'enum'
      ? { kind: 'newField', field: { name, type: 'enum', enumValues: parseEnumValues(draft.enumText) }, ...add }
      : { kind: 'newField', field: { name, type: draft.newType } };
  }
  switch (draft.choice) {
    case 'profileId':
      return { kind: 'profileId' };
    case 'subscription':
      return { kind: 'subscription' };
    default:
      return { kind: 'skip' };
  }
}

export interface MappingIssues {
  /** Problems of single columns, by column index. */
  readonly columns: Readonly<Record<number, string>>;
  /** Problems of the mapping as a whole. */
  readonly general: readonly string[];
}

export function mappingIssues(drafts: readonly ColumnDraft[], fields: readonly Field[]): MappingIssues {
  const columns: Record<number, string> = {};
  const general: string[] = [];
  const flag = (index: number, problem: string) => {
    columns[index] ??= problem;
  };
  const ids = drafts.filter((d) => d.choice === 'profileId');
  if (ids.length === 0) general.push('Choose the column that holds the profile ID.');
  if (ids.length > 1) for (const d of ids) flag(d.index, 'Only one column can hold the profile ID.');
  const statuses = drafts.filter((d) => d.choice === 'subscription');
  if (statuses.length > 1) for (const d of statuses) flag(d.index, 'Only one column can hold the subscription status.');

  const fieldIds = new Set(fields.map((f) => f.id));
  const byField = new Map<number, ColumnDraft[]>();
  for (const d of drafts) {
    const fieldId = fieldIdOf(d.choice);
    if (fieldId === null) continue;
    if (!fieldIds.has(fieldId)) flag(d.index, 'This field no longer exists; choose another target.');
    const group = byField.get(fieldId);
    if (group) group.push(d);
    else byField.set(fieldId, [d]);
  }
  for (const group of byField.values()) {
    if (group.length > 1) for (const d of group) flag(d.index, 'Another column goes to this field too.');
  }

  // Names are looked up, not compared pairwise: a file may have hundreds of columns.
  const created = drafts.filter((d) => d.choice === 'newField');
  const fieldsByName = new NameIndex(fields.map((f) => [f.name.trim(), f] as const));
  const createdByName = new NameIndex(created.map((d) => [d.newName.trim(), d] as const));
  for (const d of created) {
    const existing = fieldsByName.get(d.newName.trim());
    const other = createdByName.all(d.newName.trim()).find((o) => o.index !== d.index);
    const nameProblem = fieldNameProblem(d.newName, other ? [other.newName] : []);
    if (existing || nameProblem) {
      flag(d.index, existing ? `The database already has a field named "${existing.name}"; choose it as the target instead.` : nameProblem!);
      continue;
    }
    if (d.newType === 'enum') {
      const enumProblem = enumValuesProblem(parseEnumValues(d.enumText));
      if (enumProblem) flag(d.index, enumProblem);
    }
  }
  return { columns, general };
}

export const hasMappingIssues = (issues: MappingIssues): boolean =>
  issues.general.length > 0 || Object.keys(issues.columns).length > 0;

/** The sample's values a draft's list (enum) lacks (none when it goes to no list). */
export function valuesOutsideDraftList(draft: ColumnDraft, column: PreviewColumn, fields: readonly Field[]): ValueCount[] {
  const list = listOfTarget(targetOf(draft, fields), fields);
  return list === null ? [] : valuesOutsideList(column.values, list.values);
}
