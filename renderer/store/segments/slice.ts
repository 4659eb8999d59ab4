import type { ArgsOf, MembershipChange, Segment, SegmentKind } from '../../../shared/contract/index';
import { currentCondition } from '../conditions/slice';
import { DEFAULT_SCHEDULE, scheduleFromDraft, type ScheduleDraft } from './schedule-draft';
import { countOf, listText } from '../../lib/text';
import { describeError, isCancelled } from '../notices/messages';
import type { AppState, SliceCreator, StoreDeps } from '../types';
import { notFoundFile, notFoundSentence } from './not-found';
import { segmentDialogProblem } from './selectors';
import { loadForProject } from '../load';

/** What a static segment is made from ('condition': once, on the project clock). */
export type SegmentFrom = 'all' | 'import' | 'csv' | 'empty' | 'condition';

/** The "New segment" dialog: what it is made from, and the file of IDs being handed over. */
export interface SegmentDialogState {
  readonly databaseId: number | null;
  readonly name: string;
  /** Static (made from `from`), updatable (condition + schedule) or dynamic (condition); the condition is in the condition editor. */
  readonly type: SegmentKind;
  readonly schedule: ScheduleDraft;
  readonly from: SegmentFrom;
  readonly importId: number | null;
  /** The CSV file of IDs as the engine reads it (picked, dropped, or uploaded in browser mode). */
  readonly csvPath: string | null;
  readonly upload: { readonly fileName: string; readonly loaded: number; readonly total: number } | null;
  readonly running: boolean;
  readonly error: string | null;
}

export type SegmentDraft = Partial<Pick<SegmentDialogState, 'databaseId' | 'name' | 'from' | 'importId' | 'type' | 'schedule'>>;

export interface SegmentsSlice {
  /** Every segment of the project; null until loaded. */
  segments: readonly Segment[] | null;
  segmentDialog: SegmentDialogState | null;
  /** What the last segment made in the dialog found (its page lists the IDs not found); null once dismissed. */
  segmentCreated: { readonly segmentId: number; readonly change: MembershipChange } | null;
  dismissSegmentCreated(): void;
  /** Saves the IDs a change did not find as a text file, one ID per line (ready to paste or to fix and load again). */
  downloadNotFoundIds(change: MembershipChange): void;
  loadSegments(): Promise<void>;
  openSegmentDialog(options?: { databaseId?: number }): void;
  closeSegmentDialog(options?: { force?: boolean }): void;
  setSegmentDraft(change: SegmentDraft): void;
  chooseSegmentCsv(): Promise<void>;
  /** A file dropped on the window while the dialog takes a CSV list. */
  segmentDroppedFile(file: File): Promise<void>;
  /** Creates the dialog's segment and shows it. */
  createSegmentFromDialog(): Promise<MembershipChange | null>;
  createSegment(args: ArgsOf<'segment/create'>): Promise<MembershipChange | null>;
  renameSegment(segmentId: number, name: string): Promise<boolean>;
  /** Asks first; a segment in use is refused by the engine, and the notice names its users. */
  deleteSegment(segmentId: number): Promise<boolean>;
  addSegmentProfiles(segmentId: number, profileIds: readonly string[]): Promise<MembershipChange | null>;
  removeSegmentProfiles(segmentId: number, profileIds: readonly string[]): Promise<MembershipChange | null>;
  /** A segment's members changed: reload its size, its table and what shows its database. */
  segmentChanged(segment: Segment): Promise<void>;
  resetSegments(): void;
}

export const createSegmentsSlice =
  (deps: StoreDeps): SliceCreator<SegmentsSlice> =>
  (set, get) => {
    const { client } = deps;
    let epoch = 0;
    let upload: AbortController | null = null;

    const patchDialog = (change: Partial<SegmentDialogState>) => {
      const dialog = get().segmentDialog;
      if (dialog) set({ segmentDialog: { ...dialog, ...change } });
    };

    const storeSegment = (segment: Segment) => {
      const list = get().segments ?? [];
      const exists = list.some((s) => s.id === segment.id);
      set({ segments: exists ? list.map((s) => (s.id === segment.id ? segment : s)) : [...list, segment] });
    };

    const changeMembers = async (method: 'segment/addProfiles' | 'segment/removeProfiles', segmentId: number, ids: readonly string[]) => {
      try {
        const change = await client.call(method, { segmentId, profileIds: [...ids] });
        storeSegment(change.segment);
        await get().segmentChanged(change.segment);
        return change;
      } catch (error) {
        get().reportError(error);
        return null;
      }
    };

    return {
      segments: null,
      segmentDialog: null,
      segmentCreated: null,

      async loadSegments() {
        await loadForProject(get, () => epoch, () => client.call('segment/list', {}), (segments) => set({ segments }));
      },

      openSegmentDialog(options = {}) {
        if (get().segmentDialog?.running) return;
        const databases = get().databases ?? [];
        const databaseId = options.databaseId ?? (databases.length === 1 ? (databases[0]?.id ?? null) : null);
        set({
          segmentDialog: {
            databaseId,
            name: '',
            type: 'static',
            schedule: DEFAULT_SCHEDULE,
            from: 'all',
            importId: null,
            csvPath: null,
            upload: null,
            running: false,
            error: null,
          },
        });
        if (databaseId !== null) {
          void get().loadDatabase(databaseId);
          get().openConditionEditor(databaseId);
        } else get().closeConditionEditor();
        void get().loadDatabases();
      },

      closeSegmentDialog(options = {}) {
        const dialog = get().segmentDialog;
        if (!dialog || (dialog.running && !options.force)) return;
        upload?.abort();
        upload = null;
        set({ segmentDialog: null });
        get().closeConditionEditor();
      },

      setSegmentDraft(change) {
        const dialog = get().segmentDialog;
        if (!dialog) return;
        const databaseChanged = change.databaseId !== undefined && change.databaseId !== dialog.databaseId;
        patchDialog({ ...change, ...(databaseChanged ? { importId: null } : {}), error: null });
        if (databaseChanged && change.databaseId !== null && change.databaseId !== undefined) {
          void get().loadDatabase(change.databaseId);
          // Fields, segments and events are the database's own: the condition starts afresh.
          get().openConditionEditor(change.databaseId);
        }
      },

      async chooseSegmentCsv() {
        if (!get().segmentDialog) return;
        const picked = await get().pickFilePath('open-csv');
        if (picked) patchDialog({ csvPath: picked.path, from: 'csv', error: null });
      },

      async segmentDroppedFile(file) {
        const dialog = get().segmentDialog;
        if (!dialog || dialog.running) return;
        upload?.abort();
        const controller = new AbortController();
        upload = controller;
        patchDialog({ from: 'csv', upload: { fileName: file.name, loaded: 0, total: file.size }, error: null });
        try {
          const path = await deps.platform.handOverFile(file, {
            signal: controller.signal,
            onProgress: (loaded, total) => {
              if (upload === controller) patchDialog({ upload: { fileName: file.name, loaded, total } });
            },
          });
          if (upload !== controller) return;
          upload = null;
          patchDialog({ upload: null, csvPath: path });
        } catch (error) {
          if (upload !== controller) return;
          upload = null;
          patchDialog({ upload: null, error: isCancelled(error) ? null : describeError(error).message });
        }
      },

      async createSegmentFromDialog() {
        const dialog = get().segmentDialog;
        if (!dialog || dialog.running) return null;
        const problem = segmentDialogProblem(get());
        if (problem !== null || dialog.databaseId === null) {
          patchDialog({ error: problem });
          return null;
        }
        const args = dialogArgs(dialog, dialog.databaseId, get());
        if (typeof args === 'string') {
          patchDialog({ error: args });
          return null;
        }
        const { from } = args;
        patchDialog({ running: true, error: null });
        try {
          const change = await get().runOperation(
            'segment/create',
            args,
            `Creating the segment "${dialog.name.trim()}"`,
            { inline: true },
          );
          set({ segmentDialog: null, segmentCreated: { segmentId: change.segment.id, change } });
          get().closeConditionEditor();
          storeSegment(change.segment);
          void get().loadSegments();
          // IDs the database does not have are news to act on (a wrong file, another database), not a success.
          const empty = change.segment.size === 0 && from.kind === 'csv';
          get().notify({
            tone: change.notFoundCount > 0 ? 'warning' : 'success',
            title: empty ? 'Segment created empty' : 'Segment created',
            message: membershipSentence(change, 'created'),
          });
          get().navigate({ page: 'segment', segmentId: change.segment.id });
          return change;
        } catch (error) {
          patchDialog({ running: false, error: isCancelled(error) ? 'Cancelled: no segment was created.' : describeError(error).message });
          return null;
        }
      },

      dismissSegmentCreated() {
        set({ segmentCreated: null });
      },

      downloadNotFoundIds(change) {
        const file = notFoundFile(change);
        deps.platform.downloadText(file.fileName, file.text, 'text/plain;charset=utf-8');
      },

      async createSegment(args) {
        try {
          const change = await get().runOperation('segment/create', args, `Creating the segment "${args.name.trim()}"`);
          storeSegment(change.segment);
          void get().loadSegments();
          return change;
        } catch (error) {
          get().reportError(error);
          return null;
        }
      },

      async renameSegment(segmentId, name) {
        const current = get().segments?.find((s) => s.id === segmentId);
        if (current && current.name === name.trim()) return true;
        try {
          storeSegment(await client.call('segment/rename', { segmentId, name: name.trim() }));
          // Campaigns show their segment's name.
          void get().loadCampaigns();
          return true;
        } catch (error) {
          get().reportError(error);
          return false;
        }
      },

      async deleteSegment(segmentId) {
        const segment = get().segments?.find((s) => s.id === segmentId);
        const name = segment?.name ?? 'the segment';
        const inUse = segment !== undefined && segment.usedBy.campaigns + segment.usedBy.activities > 0;
        if (!inUse) {
          const choice = await get().askConfirm({
            title: `Delete the segment "${name}"?`,
            message: `Its list of ${countOf(segment?.size ?? 0, 'profile')} goes; the profiles stay in their database.`,
            choices: [
              { id: 'delete', label: 'Delete segment', tone: 'danger' },
              { id: 'cancel', label: 'Cancel', tone: 'plain' },
            ],
            defaultChoice: 'cancel',
            cancelChoice: 'cancel',
          });
          if (choice !== 'delete') return false;
        }
        try {
          await client.call('segment/delete', { segmentId });
          set({ segments: (get().segments ?? []).filter((s) => s.id !== segmentId) });
          const { route } = get();
          if (route.page === 'segment' && route.segmentId === segmentId) get().navigate({ page: 'segments' });
          get().notify({ tone: 'success', title: 'Segment deleted', message: `"${name}" was deleted.` });
          return true;
        } catch (error) {
          // The engine's refusal says why; the notice adds who uses it, by name.
          const { tone, title, message, code } = describeError(error);
          get().notify({ tone, title, message, code, hint: segment ? usersHint(segment, get().campaigns ?? []) : null });
          void get().loadSegments();
          return false;
        }
      },

      addSegmentProfiles(segmentId, ids) {
        return changeMembers('segment/addProfiles', segmentId, ids);
      },

      removeSegmentProfiles(segmentId, ids) {
        return changeMembers('segment/removeProfiles', segmentId, ids);
      },

      async segmentChanged(segment) {
        get().refreshProfileTable(segment.databaseId);
        await get().loadSegments();
      },

      resetSegments() {
        epoch += 1;
        upload?.abort();
        upload = null;
        set({ segments: null, segmentDialog: null, segmentCreated: null });
        get().closeConditionEditor();
        get().resetSegmentRecalc();
      },
    };
  };

/** The dialog's choices as the engine takes them; what is missing in words. */
function dialogArgs(dialog: SegmentDialogState, databaseId: number, state: AppState): ArgsOf<'segment/create'> | string {
  const base = { databaseId, name: dialog.name.trim() };
  if (dialog.type === 'static' && dialog.from !== 'condition') {
    const from: ArgsOf<'segment/create'>['from'] =
      dialog.from === 'import' && dialog.importId !== null
        ? { kind: 'import', importId: dialog.importId }
        : dialog.from === 'csv' && dialog.csvPath !== null
          ? { kind: 'csv', path: dialog.csvPath }
          : dialog.from === 'empty'
            ? { kind: 'empty' }
            : { kind: 'all' };
    return { ...base, type: 'static', from };
  }
  const condition = currentCondition(state);
  if (!condition) return 'Finish the condition first.';
  const from = { kind: 'condition' as const, condition };
  if (dialog.type !== 'updatable') return { ...base, type: dialog.type, from };
  const schedule = scheduleFromDraft(dialog.schedule);
  return 'problem' in schedule ? schedule.problem : { ...base, type: 'updatable', schedule: schedule.text, from };
}

/** "Created with 48,500 profiles; 12 IDs were not found in the database." */
export function membershipSentence(change: MembershipChange, verb: 'created' | 'added' | 'removed'): string {
  const head =
    verb === 'created'
      ? `"${change.segment.name}" was created with ${countOf(change.segment.size, 'profile')}.`
      : `${countOf(change.changed, 'profile')} ${verb}; ${countOf(change.unchanged, 'ID')} ${verb === 'added' ? 'already members' : 'not members'}.`;
  return change.notFoundCount > 0 ? `${head} ${notFoundSentence(change)}` : head;
}

function usersHint(segment: Segment, campaigns: readonly { segmentId: number; name: string }[]): string | null {
  const names = campaigns.filter((c) => c.segmentId === segment.id).map((c) => `"${c.name}"`);
  const parts = [
    names.length > 0 ? `campaigns ${listText(names)}` : segment.usedBy.campaigns > 0 ? countOf(segment.usedBy.campaigns, 'campaign') : null,
    segment.usedBy.activities > 0 ? countOf(segment.usedBy.activities, 'activity', 'activities') : null,
  ].filter((p): p is string => p !== null);
  return parts.length === 0 ? null : `It is used by ${listText(parts)}: remove it from them first.`;
}
