/**
 * The import wizard's Events target: which column holds the profile ID, the type (or one
 * fixed type), the time, and optionally the amount and a note; the checks shown as the
 * user edits, and the contract's mapping (events/import).
 */
import { EventType, type EventsMapping, type ImportPreview } from '../../../shared/contract/index';
import { guessEventColumns } from '../../../shared/event-columns';

/** What the wizard imports: profiles (fields), or time-stamped events of existing profiles. */
export type ImportKind = 'profiles' | 'events';

export interface EventsDraft {
  readonly idColumn: number | null;
  /** The type comes from a column, or one type is given for every row. */
  readonly typeFrom: 'column' | 'fixed';
  readonly typeColumn: number | null;
  readonly fixedType: string;
  readonly timeColumn: number | null;
  readonly amountColumn: number | null;
  readonly noteColumn: number | null;
}

export const EMPTY_EVENTS_DRAFT: EventsDraft = {
  idColumn: null,
  typeFrom: 'column',
  typeColumn: null,
  fixedType: '',
  timeColumn: null,
  amountColumn: null,
  noteColumn: null,
};

/** The draft the header names suggest; without a type column, a fixed type is asked for. */
export function eventsDraftFromPreview(preview: ImportPreview): EventsDraft {
  const guess = guessEventColumns(preview);
  return { ...guess, typeFrom: guess.typeColumn === null ? 'fixed' : 'column', fixedType: '' };
}

export type EventsRole = 'idColumn' | 'typeColumn' | 'timeColumn' | 'amountColumn' | 'noteColumn';

export const EVENTS_ROLE_LABELS: Readonly<Record<EventsRole, string>> = {
  idColumn: 'Profile ID',
  typeColumn: 'Event type',
  timeColumn: 'Time',
  amountColumn: 'Amount',
  noteColumn: 'Note',
};

/** The roles in use, with their columns (the type column only when the type comes from one). */
function usedColumns(draft: EventsDraft): [EventsRole, number][] {
  const roles: EventsRole[] = ['idColumn', ...(draft.typeFrom === 'column' ? (['typeColumn'] as const) : []), 'timeColumn', 'amountColumn', 'noteColumn'];
  return roles.flatMap((role) => (draft[role] === null ? [] : [[role, draft[role]] as [EventsRole, number]]));
}

/** Problems of the draft: by role, shown next to its control. */
export function eventsMappingIssues(draft: EventsDraft): Partial<Record<EventsRole | 'fixedType', string>> {
  const issues: Partial<Record<EventsRole | 'fixedType', string>> = {};
  if (draft.idColumn === null) issues.idColumn = 'Choose the column that holds the profile ID.';
  if (draft.timeColumn === null) issues.timeColumn = 'Choose the column that holds the date or date-time of each event.';
  if (draft.typeFrom === 'column' && draft.typeColumn === null) issues.typeColumn = 'Choose the column that holds the event type, or give one type for every row.';
  if (draft.typeFrom === 'fixed') {
    const parsed = EventType.safeParse(draft.fixedType);
    if (!parsed.success) issues.fixedType = parsed.error.issues[0]?.message ?? 'Name the event type.';
  }
  const used = usedColumns(draft);
  for (const [role, column] of used) {
    const other = used.find(([r, c]) => c === column && r !== role);
    if (other && !issues[role]) issues[role] = `This column is already the ${EVENTS_ROLE_LABELS[other[0]]} column; choose a column for each.`;
  }
  return issues;
}

/** The first problem, in words; null when the mapping is complete. */
export function eventsMappingProblem(draft: EventsDraft): string | null {
  return Object.values(eventsMappingIssues(draft))[0] ?? null;
}

/** The contract's mapping of a complete draft (check eventsMappingProblem first). */
export function eventsMappingOf(draft: EventsDraft): EventsMapping {
  if (draft.idColumn === null || draft.timeColumn === null) throw new Error('The events mapping is not complete.');
  const type: EventsMapping['type'] =
    draft.typeFrom === 'fixed' || draft.typeColumn === null ? { kind: 'fixed', value: draft.fixedType.trim() } : { kind: 'column', column: draft.typeColumn };
  return { idColumn: draft.idColumn, type, timeColumn: draft.timeColumn, amountColumn: draft.amountColumn, noteColumn: draft.noteColumn };
}
