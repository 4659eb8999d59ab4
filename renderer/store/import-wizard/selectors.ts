import type { Field } from '../../../shared/contract/index';
import { databaseNameProblem } from '../databases/validation';
import type { AppState } from '../types';
import { eventsMappingProblem } from './events-mapping';
import { hasMappingIssues, mappingIssues, type MappingIssues } from './mapping';
import type { ImportWizardState, WizardStep } from './slice';

export const WIZARD_STEPS: readonly { readonly id: WizardStep; readonly label: string }[] = [
  { id: 'file', label: 'File' },
  { id: 'preview', label: 'Preview' },
  { id: 'columns', label: 'Columns' },
  { id: 'options', label: 'Options' },
  { id: 'result', label: 'Import' },
];

export const selectImportWizard = (state: AppState): ImportWizardState | null => state.importWizard;

const NO_FIELDS: readonly Field[] = [];

/** The fields of the database the import goes into (none for a new one). */
export function targetFields(state: AppState): readonly Field[] {
  const target = state.importWizard?.target;
  return target?.kind === 'existing' ? (state.databaseDetails[target.databaseId]?.fields ?? NO_FIELDS) : NO_FIELDS;
}

export function wizardMappingIssues(state: AppState): MappingIssues {
  return mappingIssues(state.importWizard?.columns ?? [], targetFields(state));
}

/** The preview found dates like 03/04/2024 and the user has not said how to read them. */
export const needsDateOrder = (wizard: ImportWizardState): boolean =>
  wizard.preview !== null && wizard.preview.dateOrderAmbiguous && wizard.preview.options.dateOrder === null;

export function targetNameProblem(state: AppState): string | null {
  const target = state.importWizard?.target;
  if (target?.kind !== 'new') return null;
  return databaseNameProblem(target.name, state.databases ?? []);
}

/** What keeps a step from being complete, in words; null when it is. */
export function stepProblem(state: AppState, step: WizardStep): string | null {
  const wizard = state.importWizard;
  if (!wizard) return 'The import wizard is closed.';
  switch (step) {
    case 'file':
      if (wizard.upload) return 'Wait until the file has been handed over.';
      if (!wizard.path) return 'Choose a CSV file, or drop one on the window.';
      // The file step shows why the file cannot be read; Next would only read it again.
      if (wizard.fileError) return 'Choose another file: this one cannot be imported.';
      if (wizard.importing === 'events' && wizard.target.kind === 'new') return 'Events go into an existing database: choose one.';
      if (wizard.target.kind === 'existing') {
        const { databaseId } = wizard.target;
        return state.databases?.some((d) => d.id === databaseId) ? null : 'Choose the database to import into.';
      }
      return targetNameProblem(state);
    case 'preview':
      if (wizard.previewLoading) return 'Reading the file…';
      if (wizard.fileError) return wizard.fileError;
      if (!wizard.preview) return 'The file has not been read yet.';
      if (wizard.preview.columns.length === 0) return 'No columns were found in the file.';
      return null;
    case 'columns': {
      if (needsDateOrder(wizard)) return 'Say whether dates are written day first or month first.';
      if (wizard.importing === 'events') return eventsMappingProblem(wizard.events);
      const issues = wizardMappingIssues(state);
      if (!hasMappingIssues(issues)) return null;
      return issues.general[0] ?? 'Fix the columns marked below.';
    }
    case 'options':
      return targetNameProblem(state);
    default:
      return null;
  }
}

/** The database's name as the wizard shows it ("Customers", or the new name). */
export function targetLabel(state: AppState): string {
  const target = state.importWizard?.target;
  if (!target) return '';
  if (target.kind === 'new') return target.name.trim() || 'a new database';
  return state.databases?.find((d) => d.id === target.databaseId)?.name ?? 'the database';
}

export const MODE_LABELS = {
  add: 'Add new profiles only',
  update: 'Update existing profiles only',
  upsert: 'Add new profiles and update existing ones',
} as const;
