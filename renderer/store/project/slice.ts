import type { OpenProjectState, ProjectInfo, ProjectState } from '../../../shared/contract/index';
import { fileNameOf, formatCount } from '../../../shared/format';
import { folderOf, projectFileName } from '../../lib/paths';
import { confirmReplace } from '../dialogs/slice';
import { hasCode, isCancelled } from '../notices/messages';
import type { AppState, SliceCreator, StoreDeps } from '../types';

export interface ProjectSlice {
  /** As the engine last reported it (a call's result or a `project/changed` event). */
  project: ProjectState;
  /** Details for the Overview page; null while none is open or not yet loaded. */
  info: ProjectInfo | null;
  /** A new, empty project; its clock starts now, or at `clock` (to replay a past year). */
  newProject(options?: { readonly clock?: string }): Promise<boolean>;
  /** Opens `path`, or asks for a file first. Resolves true when a project was opened. */
  openProject(path?: string): Promise<boolean>;
  /** Saves to the project's file; a never-saved project goes through Save As. */
  save(): Promise<boolean>;
  saveAs(): Promise<boolean>;
  closeProject(): Promise<boolean>;
  rename(name: string): Promise<boolean>;
  updateDescription(description: string): Promise<boolean>;
  refreshInfo(): Promise<void>;
  applyProjectState(state: ProjectState): void;
  /**
   * Runs `run` once the open project's unsaved changes are dealt with: saved, or dropped
   * after the user chose "Don't save" (then `discard` is true). Resolves null when the
   * user cancelled.
   */
  withUnsavedGuard<T>(purpose: string, run: (discard: boolean) => Promise<T>): Promise<T | null>;
}

/** How many of the things cleaning removed the message names. */
const CLEANED_SHOWN = 5;

/** Changes that make the Overview's details (file, size) out of date. */
const infoKey = (state: ProjectState): string | null =>
  state.open ? `${state.sessionId}|${state.path ?? ''}|${state.savedAt ?? ''}` : null;

const sessionOf = (state: ProjectState): string | null => (state.open ? state.sessionId : null);

/** Asks about unsaved changes; resolves whether to go on, and with `discard` or not. */
async function resolveUnsaved(get: () => AppState, purpose: string): Promise<{ discard: boolean } | null> {
  const { project } = get();
  if (!project.open || !project.dirty) return { discard: false };
  const choice = await get().askConfirm({
    title: 'Save changes?',
    message: `"${project.name}" has unsaved changes. Save them before you ${purpose}?`,
    choices: [
      { id: 'save', label: 'Save', tone: 'primary' },
      { id: 'discard', label: "Don't save", tone: 'danger' },
      { id: 'cancel', label: 'Cancel', tone: 'plain' },
    ],
    defaultChoice: 'save',
    cancelChoice: 'cancel',
  });
  if (choice === 'save') return (await get().save()) ? { discard: false } : null;
  if (choice === 'discard') return { discard: true };
  return null;
}

export const createProjectSlice =
  (deps: StoreDeps): SliceCreator<ProjectSlice> =>
  (set, get) => {
    const { client } = deps;

    /** Reports a failure; a cancellation is news, not an error. */
    const fail = (error: unknown): false => {
      if (isCancelled(error)) {
        get().notify({ tone: 'info', title: 'Cancelled', message: 'The operation was cancelled; nothing was changed.' });
      } else {
        get().reportError(error);
      }
      return false;
    };

    const CLEANED_TITLE = 'Opened a cleaned copy';

    const opened = (state: OpenProjectState): true => {
      get().applyProjectState(state);
      return true;
    };

    /**
     * Opens `path`; a file changed outside Campaign Planner that can be cleaned is offered
     * as a cleaned copy (unsaved: the file stays as it is until the user saves). Null when
     * the user declined.
     */
    const openOrClean = async (path: string, discard: boolean): Promise<OpenProjectState | null> => {
      const open = (clean: boolean) =>
        get().runOperation('project/open', { path, ...(discard ? { discard } : {}), ...(clean ? { clean } : {}) }, `Opening ${fileNameOf(path)}`);
      try {
        return await open(false);
      } catch (error) {
        if (!hasCode(error, 'FOREIGN_SCHEMA') || error.details?.cleanable !== true) throw error;
        const findings = Array.isArray(error.details.findings) ? error.details.findings.map(String) : [];
        const choice = await get().askConfirm({
          title: 'Open a cleaned copy?',
          message:
            `"${fileNameOf(path)}" was changed outside Campaign Planner, as listed below. It was not opened, so nothing in it ran. ` +
            'A cleaned copy removes what was added and rebuilds what is missing; the file itself stays as it is until you save.',
          details: findings,
          choices: [
            { id: 'clean', label: 'Open a cleaned copy', tone: 'primary' },
            { id: 'cancel', label: 'Cancel', tone: 'plain' },
          ],
          defaultChoice: 'clean',
          cancelChoice: 'cancel',
        });
        if (choice !== 'clean') return null;
        return open(true);
      }
    };

    /** Says what cleaning removed, once the copy is the open project (a new project starts with no messages). */
    const reportCleaned = (state: OpenProjectState, path: string): void => {
      if (!state.cleaned) return;
      // The first few, and a count: the rest was listed in the question, and the sentence
      // that says what to do next must stay in view.
      const shown = state.cleaned.slice(0, CLEANED_SHOWN);
      const more = state.cleaned.length - shown.length;
      const done = [...shown, ...(more > 0 ? [`and ${formatCount(more)} more`] : [])].join('; ');
      get().notify({
        tone: 'warning',
        title: CLEANED_TITLE,
        message: `${done.charAt(0).toUpperCase()}${done.slice(1)}. Save replaces "${fileNameOf(path)}" with the cleaned project; Save As keeps the file as it was.`,
      });
    };

    return {
      project: { open: false },
      info: null,

      async withUnsavedGuard(purpose, run) {
        const first = await resolveUnsaved(get, purpose);
        if (!first) return null;
        try {
          return await run(first.discard);
        } catch (error) {
          // The engine knew of changes this window had not heard of yet: ask, then retry once.
          if (!hasCode(error, 'UNSAVED_CHANGES') || first.discard) throw error;
          get().applyProjectState(await client.call('project/state', {}));
          const second = await resolveUnsaved(get, purpose);
          return second ? run(second.discard) : null;
        }
      },

      async newProject(options = {}) {
        try {
          const clock = options.clock === undefined ? {} : { clock: options.clock };
          const state = await get().withUnsavedGuard('create a new project', (discard) =>
            client.call('project/new', discard ? { ...clock, discard } : clock),
          );
          return state ? opened(state) : false;
        } catch (error) {
          return fail(error);
        }
      },

      async openProject(path) {
        try {
          const target = path ?? (await get().pickFilePath('open-project'))?.path;
          if (target === undefined) return false;
          const state = await get().withUnsavedGuard('open another project', (discard) => openOrClean(target, discard));
          if (!state) return false;
          opened(state);
          reportCleaned(state, target);
          return true;
        } catch (error) {
          // The project that was open (or the start screen) stays as it was.
          return fail(error);
        }
      },

      async save() {
        const { project } = get();
        if (!project.open) return false;
        if (project.path === null) return get().saveAs();
        try {
          return opened(await get().runOperation('project/save', {}, `Saving ${project.fileName ?? project.name}`));
        } catch (error) {
          return fail(error);
        }
      },

      async saveAs() {
        const { project } = get();
        if (!project.open) return false;
        try {
          const picked = await get().pickFilePath('save-project', {
            defaultName: project.fileName ?? projectFileName(project.name),
            folder: project.path === null ? null : folderOf(project.path),
          });
          if (!picked) return false;
          const label = `Saving ${fileNameOf(picked.path)}`;
          try {
            return opened(await get().runOperation('project/saveAs', { path: picked.path, overwrite: picked.overwrite }, label));
          } catch (error) {
            if (!hasCode(error, 'ALREADY_EXISTS') || !(await confirmReplace(get, picked.path))) throw error;
            return opened(await get().runOperation('project/saveAs', { path: picked.path, overwrite: true }, label));
          }
        } catch (error) {
          return fail(error);
        }
      },

      async closeProject() {
        if (!get().project.open) return false;
        try {
          const state = await get().withUnsavedGuard('close it', (discard) =>
            client.call('project/close', discard ? { discard } : {}),
          );
          if (!state) return false;
          get().applyProjectState(state);
          return true;
        } catch (error) {
          return fail(error);
        }
      },

      async rename(name) {
        const { project } = get();
        const trimmed = name.trim();
        if (!project.open || trimmed === project.name) return true;
        try {
          return opened(await client.call('project/update', { name: trimmed }));
        } catch (error) {
          return fail(error);
        }
      },

      async updateDescription(description) {
        const { project } = get();
        if (!project.open || description === project.description) return true;
        try {
          return opened(await client.call('project/update', { description }));
        } catch (error) {
          return fail(error);
        }
      },

      async refreshInfo() {
        if (!get().project.open) return;
        try {
          const info = await client.call('project/info', {});
          if (get().project.open) set({ info });
        } catch (error) {
          if (!hasCode(error, 'NO_PROJECT')) get().reportError(error);
        }
      },

      applyProjectState(state) {
        const previous = get().project;
        set({ project: state, ...(state.open ? {} : { info: null }) });
        // Another project (or none): the pages and dialogs of the previous one go.
        if (sessionOf(state) !== sessionOf(previous)) get().resetProjectViews(state.open);
        // Saved: the cleaned copy is the file now, and what was said about it is done.
        else if (previous.open && (previous.cleaned?.length ?? 0) > 0 && !(state.open && (state.cleaned?.length ?? 0) > 0)) {
          for (const notice of get().notices) if (notice.title === CLEANED_TITLE) get().dismissNotice(notice.id);
        }
        if (state.open && infoKey(state) !== infoKey(previous)) void get().refreshInfo();
        if (!state.open && previous.open) void get().loadStart();
      },
    };
  };
