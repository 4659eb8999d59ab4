import type { CsvOptions, EventsImportResult, ImportMode, ImportPreview, ImportRequest, ImportResult } from '../../../shared/contract/index';
import type { FieldType } from '../../../shared/domain/profiles';
import { baseNameOf } from '../../lib/paths';
import { sameName } from '../../lib/text';
import { describeError, isCancelled } from '../notices/messages';
import type { AppState, SliceCreator, StoreDeps } from '../types';
import { EMPTY_EVENTS_DRAFT, eventsDraftFromPreview, eventsMappingOf, type EventsDraft, type ImportKind } from './events-mapping';
import { draftsFromPreview, sameColumns, targetOf, type ColumnDraft, type TargetChoice } from './mapping';
import { stepProblem, targetFields } from './selectors';

export type WizardStep = 'file' | 'preview' | 'columns' | 'options' | 'running' | 'result';

export type ImportTarget =
  | { readonly kind: 'existing'; readonly databaseId: number }
  /** `nameFromFile`: the name was made from the file's and follows it until the user edits it. */
  | { readonly kind: 'new'; readonly name: string; readonly nameFromFile: boolean };

export interface UploadState {
  readonly fileName: string;
  readonly loaded: number;
  readonly total: number;
}

export interface ImportWizardState {
  readonly step: WizardStep;
  /** Profiles (fields), or events of the database's profiles (always an existing database). */
  readonly importing: ImportKind;
  readonly target: ImportTarget;
  /** The file as the engine reads it (picked, dropped, or uploaded in browser mode). */
  readonly path: string | null;
  readonly upload: UploadState | null;
  readonly preview: ImportPreview | null;
  /** The database the preview's suggestions were made for (null: a new one). */
  readonly previewFor: number | null;
  readonly previewLoading: boolean;
  /** Why the file could not be read (or uploaded). */
  readonly fileError: string | null;
  /** Reading options the user chose over the detected ones. */
  readonly overrides: Partial<CsvOptions>;
  readonly columns: readonly ColumnDraft[];
  /** The columns of an events import. */
  readonly events: EventsDraft;
  readonly mode: ImportMode;
  readonly emptyCells: 'keep' | 'clear';
  readonly onBadRows: 'stop' | 'skip';
  /** The engine refused the run (it names the column, the value and why). */
  readonly runError: string | null;
  readonly result: ImportResult | null;
  readonly eventsResult: EventsImportResult | null;
  /** The run was cancelled: nothing was imported. */
  readonly cancelled: boolean;
  /** The error report was downloaded under this name. */
  readonly reportSaved: string | null;
}

export interface ImportWizardSlice {
  importWizard: ImportWizardState | null;
  /** Opens the wizard into a database, or into a new one (with a suggested name). */
  openImportWizard(options?: { databaseId?: number; newDatabaseName?: string; importing?: ImportKind }): void;
  closeImportWizard(options?: { force?: boolean }): void;
  /** The native dialog, or the in-app file browser in browser mode. */
  chooseImportFile(): Promise<void>;
  /** A file dropped on the window: its path (Electron) or an upload (browser mode). */
  importDroppedFile(file: File): Promise<void>;
  cancelUpload(): void;
  setImportFile(path: string): Promise<void>;
  setImportTarget(target: ImportTarget): void;
  /** Profiles or events; events go into an existing database. */
  setImportKind(importing: ImportKind): void;
  setEventsMapping(change: Partial<EventsDraft>): void;
  /** Reads the file again with an option changed (encoding, delimiter, ...). */
  setCsvOption<K extends keyof CsvOptions>(key: K, value: CsvOptions[K]): Promise<void>;
  setColumnChoice(index: number, choice: TargetChoice): void;
  setNewField(index: number, change: { name?: string; type?: FieldType; enumText?: string }): void;
  /** Whether a column going to a list (enum) field adds the values its list lacks. */
  setAddEnumValues(index: number, add: boolean): void;
  setImportMode(mode: ImportMode): void;
  setEmptyCells(value: 'keep' | 'clear'): void;
  setOnBadRows(value: 'stop' | 'skip'): void;
  /** Moves to a step; forward only when the steps before it are complete. */
  goToImportStep(step: WizardStep): Promise<void>;
  /** Runs the import; a profile import's result is returned, an events import's is in `eventsResult`. */
  runImport(): Promise<ImportResult | null>;
  cancelImport(): Promise<void>;
  downloadImportReport(): Promise<void>;
  /** Shows the profiles of the database the import went into. */
  viewImportedProfiles(): void;
}

const SETUP_STEPS: readonly WizardStep[] = ['file', 'preview', 'columns', 'options'];

/** A database name from the file's, made unique among the project's databases. */
function nameFromFile(state: AppState, path: string): string {
  const base = baseNameOf(path).trim().slice(0, 90) || 'Imported profiles';
  const taken = (name: string) => (state.databases ?? []).some((d) => sameName(d.name, name));
  if (!taken(base)) return base;
  for (let n = 2; ; n += 1) if (!taken(`${base} ${n}`)) return `${base} ${n}`;
}

export const createImportWizardSlice =
  (deps: StoreDeps): SliceCreator<ImportWizardSlice> =>
  (set, get) => {
    let previewSeq = 0;
    let upload: AbortController | null = null;

    const patch = (change: Partial<ImportWizardState>) => {
      const wizard = get().importWizard;
      if (wizard) set({ importWizard: { ...wizard, ...change } });
    };

    const targetDatabaseId = (wizard: ImportWizardState): number | null =>
      wizard.target.kind === 'existing' ? wizard.target.databaseId : null;

    const patchColumn = (index: number, change: (draft: ColumnDraft) => ColumnDraft) => {
      const wizard = get().importWizard;
      if (!wizard) return;
      patch({ columns: wizard.columns.map((c) => (c.index === index ? change(c) : c)) });
    };

    /** Reads the start of the file with the current options; `advance` moves on to the preview. */
    const loadPreview = async (advance: boolean): Promise<boolean> => {
      const wizard = get().importWizard;
      if (!wizard?.path) return false;
      const seq = ++previewSeq;
      const databaseId = targetDatabaseId(wizard);
      patch({ previewLoading: true, fileError: null });
      try {
        const preview = await deps.client.call('import/preview', {
          path: wizard.path,
          ...(databaseId === null ? {} : { databaseId }),
          ...(Object.keys(wizard.overrides).length > 0 ? { options: wizard.overrides } : {}),
        });
        const current = get().importWizard;
        if (seq !== previewSeq || !current) return false;
        const keep = current.previewFor === databaseId && current.preview?.path === preview.path && sameColumns(current.preview, preview);
        patch({
          preview,
          previewFor: databaseId,
          previewLoading: false,
          columns: keep ? current.columns : draftsFromPreview(preview),
          events: keep ? current.events : eventsDraftFromPreview(preview),
          ...(advance ? { step: 'preview' as const } : {}),
        });
        if (databaseId !== null && !get().databaseDetails[databaseId]) void get().loadDatabase(databaseId);
        return true;
      } catch (error) {
        if (seq === previewSeq) patch({ previewLoading: false, fileError: describeError(error).message });
        return false;
      }
    };

    const runEventsImport = async (wizard: ImportWizardState, path: string, preview: ImportPreview): Promise<void> => {
      if (wizard.target.kind !== 'existing') return;
      const { databaseId } = wizard.target;
      patch({ step: 'running', runError: null, result: null, eventsResult: null, cancelled: false, reportSaved: null });
      try {
        const request = { databaseId, path, csv: preview.options, mapping: eventsMappingOf(wizard.events), onBadRows: wizard.onBadRows };
        const eventsResult = await get().runOperation('events/import', request, `Importing events from ${preview.fileName}`, { inline: true });
        patch({ step: 'result', eventsResult });
      } catch (error) {
        if (isCancelled(error)) patch({ step: 'result', cancelled: true });
        else patch({ step: 'options', runError: describeError(error).message });
      }
    };

    return {
      importWizard: null,

      openImportWizard(options = {}) {
        if (get().importWizard?.step === 'running') return;
        const { route } = get();
        const importing = options.importing ?? 'profiles';
        // Events go into an existing database: the open one, else the first.
        const databaseId =
          options.databaseId ??
          (options.newDatabaseName === undefined && route.page === 'database' ? route.databaseId : undefined) ??
          (importing === 'events' ? get().databases?.[0]?.id : undefined);
        const target: ImportTarget =
          databaseId !== undefined
            ? { kind: 'existing', databaseId }
            : { kind: 'new', name: options.newDatabaseName?.trim() ?? '', nameFromFile: !options.newDatabaseName?.trim() };
        set({
          importWizard: {
            step: 'file',
            importing,
            target,
            path: null,
            upload: null,
            preview: null,
            previewFor: null,
            previewLoading: false,
            fileError: null,
            overrides: {},
            columns: [],
            events: EMPTY_EVENTS_DRAFT,
            mode: 'upsert',
            emptyCells: 'keep',
            // Events are all-or-nothing unless the user chooses to skip bad rows.
            onBadRows: importing === 'events' ? 'stop' : 'skip',
            runError: null,
            result: null,
            eventsResult: null,
            cancelled: false,
            reportSaved: null,
          },
        });
        if (get().databases === null) void get().loadDatabases();
      },

      closeImportWizard(options = {}) {
        const wizard = get().importWizard;
        if (!wizard) return;
        if (wizard.step === 'running' && !options.force) return;
        get().cancelUpload();
        previewSeq += 1;
        set({ importWizard: null });
      },

      async chooseImportFile() {
        if (!get().importWizard) return;
        const picked = await get().pickFilePath('open-csv');
        if (picked) await get().setImportFile(picked.path);
      },

      async importDroppedFile(file) {
        const current = get().importWizard;
        if (current && !SETUP_STEPS.includes(current.step)) return;
        if (!current) get().openImportWizard();
        get().cancelUpload();
        const controller = new AbortController();
        upload = controller;
        patch({ upload: { fileName: file.name, loaded: 0, total: file.size }, fileError: null, step: 'file' });
        try {
          const path = await deps.platform.handOverFile(file, {
            signal: controller.signal,
            onProgress: (loaded, total) => {
              if (upload === controller) patch({ upload: { fileName: file.name, loaded, total } });
            },
          });
          if (upload !== controller) return;
          upload = null;
          patch({ upload: null });
          await get().setImportFile(path);
        } catch (error) {
          if (upload !== controller) return;
          upload = null;
          patch({ upload: null, fileError: isCancelled(error) ? null : describeError(error).message });
        }
      },

      cancelUpload() {
        const controller = upload;
        upload = null;
        controller?.abort();
        if (controller) patch({ upload: null });
      },

      async setImportFile(path) {
        const wizard = get().importWizard;
        if (!wizard || !SETUP_STEPS.includes(wizard.step)) return;
        const target =
          wizard.target.kind === 'new' && wizard.target.nameFromFile
            ? { kind: 'new' as const, name: nameFromFile(get(), path), nameFromFile: true }
            : wizard.target;
        patch({ path, target, preview: null, previewFor: null, overrides: {}, columns: [], runError: null, step: 'file' });
        await loadPreview(true);
      },

      setImportTarget(target) {
        patch({ target, runError: null });
      },

      setImportKind(importing) {
        const wizard = get().importWizard;
        if (!wizard || wizard.importing === importing || !SETUP_STEPS.includes(wizard.step)) return;
        const first = get().databases?.[0]?.id;
        const target: ImportTarget = importing === 'events' && wizard.target.kind === 'new' && first !== undefined ? { kind: 'existing', databaseId: first } : wizard.target;
        patch({ importing, target, onBadRows: importing === 'events' ? 'stop' : 'skip', runError: null });
      },

      setEventsMapping(change) {
        const wizard = get().importWizard;
        if (wizard) patch({ events: { ...wizard.events, ...change } });
      },

      async setCsvOption(key, value) {
        const wizard = get().importWizard;
        if (!wizard) return;
        patch({ overrides: { ...wizard.overrides, [key]: value } });
        await loadPreview(false);
      },

      setColumnChoice(index, choice) {
        patchColumn(index, (c) => ({ ...c, choice }));
      },

      setNewField(index, change) {
        patchColumn(index, (c) => ({
          ...c,
          choice: 'newField',
          ...(change.name === undefined ? {} : { newName: change.name }),
          ...(change.type === undefined ? {} : { newType: change.type }),
          ...(change.enumText === undefined ? {} : { enumText: change.enumText }),
        }));
      },

      setAddEnumValues(index, addEnumValues) {
        patchColumn(index, (c) => ({ ...c, addEnumValues }));
      },

      setImportMode(mode) {
        patch({ mode });
      },

      setEmptyCells(emptyCells) {
        patch({ emptyCells });
      },

      setOnBadRows(onBadRows) {
        patch({ onBadRows });
      },

      async goToImportStep(step) {
        const wizard = get().importWizard;
        if (!wizard || !SETUP_STEPS.includes(step)) return;
        // After a cancelled or stopped run, the setup can be changed and run again.
        if (wizard.step === 'result' && (wizard.cancelled || (wizard.result ?? wizard.eventsResult)?.outcome === 'stopped')) {
          patch({ step, result: null, eventsResult: null, cancelled: false, reportSaved: null });
          return;
        }
        if (!SETUP_STEPS.includes(wizard.step)) return;
        const from = SETUP_STEPS.indexOf(wizard.step);
        const to = SETUP_STEPS.indexOf(step);
        if (to <= from) {
          patch({ step });
          return;
        }
        for (const passed of SETUP_STEPS.slice(0, to)) {
          if (stepProblem(get(), passed) !== null) {
            patch({ step: passed });
            return;
          }
          // Leaving the file step: the preview must be of this file, for this target.
          if (passed === 'file') {
            const current = get().importWizard;
            if (current && (current.preview === null || current.previewFor !== targetDatabaseId(current))) {
              if (!(await loadPreview(false))) return;
            }
          }
        }
        patch({ step });
      },

      async runImport() {
        const wizard = get().importWizard;
        if (!wizard?.path || !wizard.preview) return null;
        for (const step of SETUP_STEPS) {
          if (stepProblem(get(), step) !== null) {
            patch({ step });
            return null;
          }
        }
        if (wizard.importing === 'events') {
          await runEventsImport(wizard, wizard.path, wizard.preview);
          return null;
        }
        const isNew = wizard.target.kind === 'new';
        const request: ImportRequest = {
          path: wizard.path,
          target: wizard.target.kind === 'new' ? { newDatabase: wizard.target.name.trim() } : { databaseId: wizard.target.databaseId },
          csv: wizard.preview.options,
          mapping: wizard.columns.map((c) => ({ column: c.index, target: targetOf(c, targetFields(get())) })),
          // A new database has nobody to update.
          mode: isNew ? 'add' : wizard.mode,
          emptyCells: wizard.emptyCells,
          onBadRows: wizard.onBadRows,
        };
        patch({ step: 'running', runError: null, result: null, cancelled: false, reportSaved: null });
        try {
          const result = await get().runOperation('import/run', request, `Importing ${wizard.preview.fileName}`, { inline: true });
          patch({ step: 'result', result });
          if (result.database) await get().databaseChanged(result.database.id);
          return result;
        } catch (error) {
          if (isCancelled(error)) {
            patch({ step: 'result', cancelled: true });
          } else {
            patch({ step: 'options', runError: describeError(error).message });
          }
          return null;
        }
      },

      async cancelImport() {
        const op = Object.values(get().operations).find((o) => o.method === 'import/run' || o.method === 'events/import');
        if (op) await get().cancelOperation(op.id);
      },

      async downloadImportReport() {
        const wizard = get().importWizard;
        const result = wizard?.result ?? wizard?.eventsResult;
        if (!result) return;
        try {
          const report = await deps.client.call('import/report', { runId: result.runId });
          deps.platform.downloadText(report.fileName, report.csv, 'text/csv;charset=utf-8');
          // A report of a huge run keeps the first problems; its last line says how many more.
          patch({ reportSaved: report.truncated ? `${report.fileName} (the first problems; its last line says how many more)` : report.fileName });
        } catch (error) {
          get().reportError(error);
        }
      },

      viewImportedProfiles() {
        const database = get().importWizard?.result?.database;
        if (!database) return;
        get().closeImportWizard();
        get().navigate({ page: 'database', databaseId: database.id, tab: 'profiles' });
      },
    };
  };
