import { CSV_DELIMITERS } from '../../../shared/contract/index';
import type { AppState } from '../types';
import type { ExportDialogState } from './slice';

export const selectExportDialog = (state: AppState): ExportDialogState | null => state.exportDialog;

/** A delimiter of CSV files, as the contract lists them. */
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export const DELIMITER_LABELS: Readonly<Record<CsvDelimiter, string>> = {
  ',': 'Comma ( , )',
  ';': 'Semicolon ( ; )',
  '\t': 'Tab',
  '|': 'Pipe ( | )',
};
export const DELIMITERS = CSV_DELIMITERS;

/** The fields ticked: all of the database's until the user changes the choice. */
export function exportFieldIds(state: AppState): readonly number[] {
  const dialog = state.exportDialog;
  if (!dialog) return [];
  return dialog.fieldIds ?? state.databaseDetails[dialog.databaseId]?.fields.map((f) => f.id) ?? [];
}

export function limitProblem(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1) return 'A row limit is a whole number of 1 or more; leave it empty for all rows.';
  if (!Number.isSafeInteger(Number(trimmed))) return 'That limit is larger than any database.';
  return null;
}

/** What keeps the export from running, in words (a missing destination is asked for on Export). */
export function exportProblem(state: AppState): string | null {
  const dialog = state.exportDialog;
  if (!dialog) return null;
  if (dialog.statuses.length === 0) return 'Choose at least one subscription status.';
  return limitProblem(dialog.limitText);
}

/** "Export Customers to CSV", "Export the LCG of Spring sale to CSV". */
export function exportTitle(dialog: ExportDialogState, databaseName: string | null): string {
  const db = databaseName ?? 'profiles';
  const { scope, subject } = dialog;
  switch (scope.kind) {
    case 'database':
      return `Export ${db} to CSV`;
    case 'segment':
      return `Export the segment ${subject ?? ''} to CSV`.replace('  ', ' ');
    case 'gcg':
      return `Export the global control group of ${db} to CSV`;
    case 'campaign': {
      const group = { control: 'the LCG', test: 'the Test group', gcg: 'the GCG members of the audience', all: 'the audience' }[scope.group];
      return `Export ${group} of ${subject ?? 'the campaign'} to CSV`;
    }
    case 'run':
      return `Export the recipients of ${subject ?? 'the run'} to CSV`;
  }
}

/**
 * What the group column holds, said where the columns are chosen: campaign and run exports
 * have one ("gcg" for the GCG members of a campaign's audience); null when there is none.
 */
export function groupColumnText({ scope }: Pick<ExportDialogState, 'scope'>): string | null {
  if (scope.kind === 'campaign' && scope.group === 'gcg') return 'gcg';
  return scope.kind === 'campaign' || scope.kind === 'run' ? 'test or control' : null;
}

/** Campaign and run exports have a group column. */
export const hasGroupColumn = (dialog: Pick<ExportDialogState, 'scope'>): boolean => groupColumnText(dialog) !== null;
