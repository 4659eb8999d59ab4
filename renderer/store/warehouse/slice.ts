import type { AssignmentCheck, CampaignSql, CampaignSqlArgs, ProjectCheck } from '../../../shared/contract/warehouse';
import { fileNameOf } from '../../../shared/format';
import { confirmReplace } from '../dialogs/slice';
import { errorSentence, hasCode, isCancelled } from '../notices/messages';
import type { SliceCreator, StoreDeps } from '../types';

/** A campaign's split fingerprint as the campaign page shows it. */
export interface FingerprintView {
  /** null: the campaign has no split yet (or the fingerprint could not be read: see error). */
  readonly fingerprint: string | null;
  readonly members: number;
  /** Why it could not be read, in the engine's words. */
  readonly error: string | null;
}

/** The Verify dialog of one campaign: the file checked, and what the check found. */
export interface AssignmentCheckState {
  readonly campaignId: number;
  /** The file being checked or last checked; null before one is chosen. */
  readonly fileName: string | null;
  readonly result: AssignmentCheck | null;
  /** Why the check failed, or that it was cancelled. */
  readonly error: string | null;
}

/** The project's "Check all splits" dialog. */
export interface ProjectCheckState {
  readonly result: ProjectCheck | null;
  readonly error: string | null;
}

/** What asking for a campaign's SQL gave: the query, or why there is none (in plain words). */
export type SqlAnswer = { readonly ok: true; readonly sql: CampaignSql } | { readonly ok: false; readonly error: string };

export interface WarehouseSlice {
  /** By campaign id; absent until loaded. */
  fingerprints: Readonly<Record<number, FingerprintView>>;
  assignmentCheck: AssignmentCheckState | null;
  projectCheck: ProjectCheckState | null;
  /** Reads the campaign's split fingerprint (after the campaign loads, and after each rebuild of its split). */
  loadFingerprint(campaignId: number): Promise<void>;
  /** The campaign's SQL for the dialog's preview; nothing is written. */
  campaignSql(args: CampaignSqlArgs): Promise<SqlAnswer>;
  /**
   * Asks where to save the query (the save dialog, as reports are saved), then writes it
   * there through the engine; the dialog says where it went. Null: the user cancelled.
   */
  saveCampaignSql(args: CampaignSqlArgs, fileName: string): Promise<SqlAnswer | null>;
  openAssignmentCheck(campaignId: number): void;
  /** Picks the warehouse's CSV output and compares it with the campaign's split (a long operation, with progress and Cancel). */
  verifyAssignmentFile(): Promise<void>;
  closeAssignmentCheck(): void;
  /** Opens the project's check and runs it: every campaign's stored split against the rule. */
  checkAllSplits(): Promise<void>;
  closeProjectCheck(): void;
  resetWarehouse(): void;
}

export const createWarehouseSlice =
  (deps: StoreDeps): SliceCreator<WarehouseSlice> =>
  (set, get) => {
    const { client } = deps;
    /** Another project makes an answer stale. */
    let epoch = 0;
    /** The latest fingerprint asked for per campaign: an older answer that comes later must not replace it. */
    const fingerprintSeq = new Map<number, number>();
    /** The running check of this kind, if any (one at a time). */
    const operationOf = (method: 'warehouse/verifyAssignment' | 'warehouse/verifyProject') => Object.values(get().operations).find((op) => op.method === method);

    const patchAssignmentCheck = (campaignId: number, change: Partial<AssignmentCheckState>) => {
      const current = get().assignmentCheck;
      if (current?.campaignId === campaignId) set({ assignmentCheck: { ...current, ...change } });
    };

    return {
      fingerprints: {},
      assignmentCheck: null,
      projectCheck: null,

      async loadFingerprint(campaignId) {
        const at = epoch;
        const seq = (fingerprintSeq.get(campaignId) ?? 0) + 1;
        fingerprintSeq.set(campaignId, seq);
        let view: FingerprintView;
        try {
          const { fingerprint, members } = await client.call('warehouse/fingerprint', { campaignId });
          view = { fingerprint, members, error: null };
        } catch (error) {
          if (hasCode(error, 'NO_PROJECT')) return;
          view = { fingerprint: null, members: 0, error: errorSentence(error) };
        }
        if (at === epoch && fingerprintSeq.get(campaignId) === seq) set({ fingerprints: { ...get().fingerprints, [campaignId]: view } });
      },

      async campaignSql(args) {
        try {
          return { ok: true, sql: await client.call('warehouse/sql', args) };
        } catch (error) {
          return { ok: false, error: errorSentence(error) };
        }
      },

      async saveCampaignSql(args, fileName) {
        const picked = await get().pickFilePath('save-sql', { defaultName: fileName });
        if (!picked) return null;
        const write = (overwrite: boolean) => client.call('warehouse/sql', { ...args, path: picked.path, ...(overwrite ? { overwrite: true } : {}) });
        try {
          let written: CampaignSql;
          try {
            written = await write(picked.overwrite);
          } catch (error) {
            // The file appeared since it was chosen (or the in-app browser did not list it).
            if (!hasCode(error, 'ALREADY_EXISTS')) throw error;
            if (!(await confirmReplace(get, picked.path))) return null;
            written = await write(true);
          }
          return { ok: true, sql: written };
        } catch (error) {
          return { ok: false, error: errorSentence(error) };
        }
      },

      openAssignmentCheck(campaignId) {
        set({ assignmentCheck: { campaignId, fileName: null, result: null, error: null } });
      },

      async verifyAssignmentFile() {
        const check = get().assignmentCheck;
        if (!check || operationOf('warehouse/verifyAssignment')) return;
        const { campaignId } = check;
        const picked = await get().pickFilePath('open-csv');
        if (!picked || get().assignmentCheck?.campaignId !== campaignId) return;
        const fileName = fileNameOf(picked.path);
        const at = epoch;
        patchAssignmentCheck(campaignId, { fileName, result: null, error: null });
        try {
          const result = await get().runOperation('warehouse/verifyAssignment', { campaignId, path: picked.path }, `Comparing ${fileName} with the split`, { inline: true });
          if (at === epoch) patchAssignmentCheck(campaignId, { result });
        } catch (error) {
          if (at === epoch) patchAssignmentCheck(campaignId, { error: isCancelled(error) ? `Cancelled: ${fileName} was not compared.` : `${fileName}: ${errorSentence(error)}` });
        }
      },

      closeAssignmentCheck() {
        const op = operationOf('warehouse/verifyAssignment');
        if (op) void get().cancelOperation(op.id);
        set({ assignmentCheck: null });
      },

      async checkAllSplits() {
        if (operationOf('warehouse/verifyProject')) return;
        const at = epoch;
        set({ projectCheck: { result: null, error: null } });
        try {
          const result = await get().runOperation('warehouse/verifyProject', {}, 'Checking every campaign’s split against the rule', { inline: true });
          if (at === epoch && get().projectCheck) set({ projectCheck: { result, error: null } });
        } catch (error) {
          if (at === epoch && get().projectCheck) set({ projectCheck: { result: null, error: isCancelled(error) ? 'Cancelled: the check did not finish.' : errorSentence(error) } });
        }
      },

      closeProjectCheck() {
        const op = operationOf('warehouse/verifyProject');
        if (op) void get().cancelOperation(op.id);
        set({ projectCheck: null });
      },

      resetWarehouse() {
        epoch += 1;
        fingerprintSeq.clear();
        set({ fingerprints: {}, assignmentCheck: null, projectCheck: null });
      },
    };
  };
