import { MAX_SEGMENT_NAME, type Segment, type SegmentKind, type SegmentSource } from '../../../shared/contract/index';
import { membershipEditRefusal, type ActionCheck } from '../../../shared/domain/campaign-status';
import { describeSchedule, parseSchedule } from '../../../shared/domain/schedule';
import { fileNameOf } from '../../../shared/format';
import { countOf, listText, sameName, tooLongProblem } from '../../lib/text';
import type { AppState } from '../types';
import { conditionProblem } from '../conditions/slice';
import { scheduleFromDraft } from './schedule-draft';
import type { SegmentDialogState } from './slice';

const NO_SEGMENTS: readonly Segment[] = [];

export const selectSegments = (state: AppState): readonly Segment[] => state.segments ?? NO_SEGMENTS;
export const selectSegmentsLoaded = (state: AppState): boolean => state.segments !== null;

export const selectSegment =
  (segmentId: number) =>
  (state: AppState): Segment | null =>
    state.segments?.find((s) => s.id === segmentId) ?? null;

/** The segments of one database, by name. A new array each call: use with useAppShallow. */
export const selectSegmentsOf =
  (databaseId: number | null) =>
  (state: AppState): Segment[] =>
    databaseId === null ? [] : selectSegments(state).filter((s) => s.databaseId === databaseId);

export const selectSegmentDialog = (state: AppState): SegmentDialogState | null => state.segmentDialog;

/** How a segment was made, in words. */
export function sourceLabel(source: SegmentSource, importName?: string | null): string {
  switch (source.kind) {
    case 'all':
      return 'All profiles';
    case 'import':
      return importName ? `Import: ${importName}` : `Import #${source.importId}`;
    case 'csv':
      return `CSV list: ${fileNameOf(source.fileName)}`;
    case 'manual':
      return 'By hand';
    case 'condition':
      return `Condition on ${source.clock.replace('T', ' ')}: ${source.where}`;
  }
}

export const SEGMENT_KIND_LABELS: Readonly<Record<SegmentKind, string>> = { static: 'Static', updatable: 'Updatable', dynamic: 'Dynamic' };

/** Profiles are added and removed by hand only in a static segment; the others say why not. */
export function membershipEditCheck(segment: Pick<Segment, 'kind'>): ActionCheck {
  const reason = membershipEditRefusal(segment.kind);
  return reason === null ? { allowed: true } : { allowed: false, reason };
}

/** A schedule's canonical text in words ("Every Monday at 10:00"); the text itself if it does not read. */
export function scheduleWords(text: string): string {
  const read = parseSchedule(text);
  return read.ok ? describeSchedule(read.schedule) : text;
}

/** "2 campaigns and 1 activity"; "Nothing" when unused. */
export function usedByText(segment: Segment): string {
  const parts = [
    segment.usedBy.campaigns > 0 ? countOf(segment.usedBy.campaigns, 'campaign') : null,
    segment.usedBy.activities > 0 ? countOf(segment.usedBy.activities, 'activity', 'activities') : null,
  ].filter((p): p is string => p !== null);
  return parts.length === 0 ? 'Not used' : listText(parts);
}

export function segmentNameProblem(name: string, segments: readonly Segment[], databaseId: number | null, exceptId?: number): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'The segment name cannot be empty.';
  const tooLong = tooLongProblem(trimmed, MAX_SEGMENT_NAME);
  if (tooLong) return tooLong;
  const taken = segments.find((s) => s.id !== exceptId && s.databaseId === databaseId && sameName(s.name, trimmed));
  return taken ? `This database already has a segment named "${taken.name}".` : null;
}

/** What keeps the dialog's segment from being created, in words; null when it can be. */
export function segmentDialogProblem(state: AppState): string | null {
  const dialog = state.segmentDialog;
  if (!dialog) return null;
  if (dialog.databaseId === null) return 'Choose a database.';
  const nameProblem = segmentNameProblem(dialog.name, selectSegments(state), dialog.databaseId);
  if (nameProblem) return nameProblem;
  if (dialog.type === 'static' && dialog.from !== 'condition') {
    if (dialog.from === 'import' && dialog.importId === null) return 'Choose an import.';
    if (dialog.from === 'csv' && dialog.csvPath === null) return 'Choose a CSV file with the profile IDs.';
    return null;
  }
  if (dialog.type === 'updatable') {
    const schedule = scheduleFromDraft(dialog.schedule);
    if ('problem' in schedule) return schedule.problem;
  }
  return conditionProblem(state);
}

/**
 * Profile IDs as pasted: one per line (commas, semicolons and tabs also separate), trimmed,
 * blank lines dropped, each ID once, in the order given.
 */
export function parseProfileIds(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[\r\n,;\t]+/)) {
    const id = part.trim();
    if (id !== '') seen.add(id);
  }
  return [...seen];
}

export const MAX_PASTED_IDS = 100_000;

export function idListProblem(ids: readonly string[]): string | null {
  if (ids.length === 0) return 'Paste at least one profile ID, one per line.';
  if (ids.length > MAX_PASTED_IDS) return `At most ${MAX_PASTED_IDS.toLocaleString('en-US')} IDs at a time.`;
  if (ids.some((id) => id.length > 1000)) return 'A profile ID has at most 1,000 characters.';
  return null;
}
