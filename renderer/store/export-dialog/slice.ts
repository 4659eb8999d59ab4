import type { ExportRequest, ExportScope, ResultOf } from '../../../shared/contract/index';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../../../shared/domain/profiles';
import { fileNameOf } from '../../../shared/format';
import { folderOf, safeFileName, withCsvExtension } from '../../lib/paths';
import { confirmReplace } from '../dialogs/slice';
import { describeError, hasCode, isCancelled } from '../notices/messages';
import type { SliceCreator, StoreDeps } from '../types';
import { exportProblem, type CsvDelimiter } from './selectors';

export type ExportResult = ResultOf<'export/profiles'>;

export interface ExportDialogState {
  readonly databaseId: number;
  /** Which profiles: the whole database, a segment, the GCG, a campaign's group, a run's recipients. */
  readonly scope: ExportScope;
  /** What the scope is called ("Spring sale", "the run of 6 Apr"), for the title and the file name. */
  readonly subject: string | null;
  /** Opened for a campaign: its groups (and its database's GCG) can be chosen in the dialog. */
  readonly campaignId: number | null;
  readonly phase: 'form' | 'running' | 'done';
  /** Fields to write after the profile ID and status; null until the database's fields are known (then all). */
  readonly fieldIds: readonly number[] | null;
  readonly statuses: readonly SubscriptionStatus[];
  /** As typed; empty: no limit. */
  readonly limitText: string;
  readonly delimiter: CsvDelimiter;
  readonly bom: boolean;
  readonly path: string | null;
  /** The user already agreed to replace the file at `path`. */
  readonly overwrite: boolean;
  readonly result: ExportResult | null;
  readonly error: string | null;
  readonly cancelled: boolean;
}

export interface ExportDialogSlice {
  exportDialog: ExportDialogState | null;
  openExportDialog(databaseId: number, options?: { scope?: ExportScope; subject?: string }): void;
  /** Another group of the same campaign (Test, LCG, both) or its database's GCG. */
  setExportScope(scope: ExportScope): void;
  /** `databaseId`: close only if it is this database's dialog. */
  closeExportDialog(options?: { force?: boolean; databaseId?: number }): void;
  setExportFields(fieldIds: readonly number[]): void;
  toggleExportField(fieldId: number): void;
  toggleExportStatus(status: SubscriptionStatus): void;
  setExportLimit(text: string): void;
  setExportDelimiter(delimiter: CsvDelimiter): void;
  setExportBom(bom: boolean): void;
  chooseExportPath(): Promise<void>;
  runExport(): Promise<ExportResult | null>;
  cancelExport(): Promise<void>;
}

export const createExportDialogSlice =
  (deps: StoreDeps): SliceCreator<ExportDialogSlice> =>
  (set, get) => {
    const patch = (change: Partial<ExportDialogState>) => {
      const dialog = get().exportDialog;
      if (dialog) set({ exportDialog: { ...dialog, ...change } });
    };
    /** Chosen fields; all of them while the user has not changed the choice. */
    const chosenFields = (dialog: ExportDialogState): number[] =>
      dialog.fieldIds === null ? (get().databaseDetails[dialog.databaseId]?.fields.map((f) => f.id) ?? []) : [...dialog.fieldIds];

    const run = (request: ExportRequest, label: string) => get().runOperation('export/profiles', request, label, { inline: true });

    return {
      exportDialog: null,

      openExportDialog(databaseId, options = {}) {
        if (get().exportDialog?.phase === 'running') return;
        set({
          exportDialog: {
            databaseId,
            scope: options.scope ?? { kind: 'database' },
            subject: options.subject ?? null,
            campaignId: options.scope?.kind === 'campaign' ? options.scope.campaignId : null,
            phase: 'form',
            fieldIds: null,
            statuses: [...SUBSCRIPTION_STATUSES],
            limitText: '',
            delimiter: ',',
            bom: true,
            path: null,
            overwrite: false,
            result: null,
            error: null,
            cancelled: false,
          },
        });
        if (!get().databaseDetails[databaseId]) void get().loadDatabase(databaseId);
      },

      closeExportDialog(options = {}) {
        const dialog = get().exportDialog;
        if (!dialog) return;
        if (options.databaseId !== undefined && dialog.databaseId !== options.databaseId) return;
        if (dialog.phase === 'running' && !options.force) return;
        set({ exportDialog: null });
      },

      setExportScope(scope) {
        // A new scope is a new file: the destination chosen for the old one would mislead.
        patch({ scope, path: null, overwrite: false, error: null, cancelled: false });
      },

      setExportFields(fieldIds) {
        patch({ fieldIds: [...fieldIds], error: null });
      },

      toggleExportField(fieldId) {
        const dialog = get().exportDialog;
        if (!dialog) return;
        const chosen = chosenFields(dialog);
        const order = get().databaseDetails[dialog.databaseId]?.fields.map((f) => f.id) ?? chosen;
        const next = chosen.includes(fieldId) ? chosen.filter((id) => id !== fieldId) : [...chosen, fieldId];
        // In the database's order, whatever order they were ticked in.
        patch({ fieldIds: order.filter((id) => next.includes(id)), error: null });
      },

      toggleExportStatus(status) {
        const dialog = get().exportDialog;
        if (!dialog) return;
        const next = dialog.statuses.includes(status) ? dialog.statuses.filter((s) => s !== status) : [...dialog.statuses, status];
        patch({ statuses: SUBSCRIPTION_STATUSES.filter((s) => next.includes(s)), error: null });
      },

      setExportLimit(limitText) {
        patch({ limitText, error: null });
      },

      setExportDelimiter(delimiter) {
        patch({ delimiter });
      },

      setExportBom(bom) {
        patch({ bom });
      },

      async chooseExportPath() {
        const dialog = get().exportDialog;
        if (!dialog) return;
        const name = exportFileStem(dialog, get().databases?.find((d) => d.id === dialog.databaseId)?.name ?? 'profiles');
        const picked = await get().pickFilePath('save-csv', {
          defaultName: dialog.path ? fileNameOf(dialog.path) : withCsvExtension(safeFileName(name, 'profiles')),
          folder: dialog.path ? folderOf(dialog.path) : null,
        });
        if (picked) patch({ path: picked.path, overwrite: picked.overwrite, error: null });
      },

      async runExport() {
        const before = get().exportDialog;
        if (!before || before.phase === 'running') return null;
        // A submit of the form beneath an open file browser (an Enter that reached it) is not a request to export.
        if (get().fileBrowser !== null) return null;
        const problem = exportProblem(get());
        if (problem !== null) {
          patch({ error: problem });
          return null;
        }
        if (before.path === null) await get().chooseExportPath();
        const dialog = get().exportDialog;
        if (!dialog || dialog.path === null) return null;
        const allStatuses = dialog.statuses.length === SUBSCRIPTION_STATUSES.length;
        const limit = dialog.limitText.trim() === '' ? undefined : Number(dialog.limitText.trim());
        const request: ExportRequest = {
          databaseId: dialog.databaseId,
          ...(dialog.scope.kind === 'database' ? {} : { scope: dialog.scope }),
          path: dialog.path,
          ...(dialog.overwrite ? { overwrite: true } : {}),
          ...(dialog.fieldIds === null ? {} : { fieldIds: [...dialog.fieldIds] }),
          ...(allStatuses ? {} : { subscription: [...dialog.statuses] }),
          ...(limit === undefined ? {} : { limit }),
          delimiter: dialog.delimiter,
          bom: dialog.bom,
        };
        const label = `Exporting to ${fileNameOf(dialog.path)}`;
        patch({ phase: 'running', error: null, cancelled: false, result: null });
        try {
          let result: ExportResult;
          try {
            result = await run(request, label);
          } catch (error) {
            // The file appeared since it was chosen (or the in-app browser did not list it).
            if (!hasCode(error, 'ALREADY_EXISTS') || !(await confirmReplace(get, dialog.path))) throw error;
            result = await run({ ...request, overwrite: true }, label);
          }
          patch({ phase: 'done', result });
          return result;
        } catch (error) {
          patch({
            phase: 'form',
            cancelled: isCancelled(error),
            error: isCancelled(error) || hasCode(error, 'ALREADY_EXISTS') ? null : describeError(error).message,
          });
          return null;
        }
      },

      async cancelExport() {
        const op = Object.values(get().operations).find((o) => o.method === 'export/profiles');
        if (op) await get().cancelOperation(op.id);
      },
    };
  };

/** A file name for what is exported: "Customers", "Spring sale - LCG", "Customers - GCG". */
export function exportFileStem(dialog: Pick<ExportDialogState, 'scope' | 'subject'>, databaseName: string): string {
  const { scope, subject } = dialog;
  switch (scope.kind) {
    case 'database':
      return databaseName;
    case 'segment':
      return subject ?? `${databaseName} - segment`;
    case 'gcg':
      return `${databaseName} - GCG`;
    case 'campaign':
      return `${subject ?? 'campaign'} - ${{ control: 'LCG', test: 'Test', gcg: 'GCG', all: 'audience' }[scope.group]}`;
    case 'run':
      return `${subject ?? 'run'} - recipients`;
  }
}
