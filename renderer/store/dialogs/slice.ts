import type { DirectoryEntry, DirectoryListing } from '../../../shared/contract/index';
import { CSV_EXTENSIONS, folderOf, HTML_EXTENSIONS, isAbsolutePath, joinPath, PROJECT_EXTENSION, SQL_EXTENSIONS, withCsvExtension, withHtmlExtension, withProjectExtension, withSqlExtension } from '../../lib/paths';
import { describeError } from '../notices/messages';
import type { SliceCreator, StoreDeps } from '../types';

export type ChoiceTone = 'primary' | 'danger' | 'plain';

export interface ConfirmChoice {
  readonly id: string;
  readonly label: string;
  readonly tone: ChoiceTone;
}

export interface ConfirmRequest {
  readonly title: string;
  readonly message: string;
  readonly choices: readonly ConfirmChoice[];
  /** Chosen by Enter. */
  readonly defaultChoice: string;
  /** Chosen by Escape or closing the dialog. */
  readonly cancelChoice: string;
  /** Sentences shown as a list under the message (what a change does). */
  readonly details?: readonly string[];
  /** A strong confirmation: `choice` is enabled only once `expected` is typed exactly. */
  readonly typeToConfirm?: { readonly label: string; readonly expected: string; readonly choice: string };
}

export interface ConfirmState extends ConfirmRequest {
  readonly key: number;
}

export type PickKind = 'open-project' | 'save-project' | 'open-csv' | 'save-csv' | 'save-html' | 'save-sql';

/** What the in-app browser lists for each kind, and how a typed save name is completed. */
const PICK_KINDS: Readonly<Record<PickKind, { extensions: readonly string[]; complete: (name: string) => string }>> = {
  'open-project': { extensions: [PROJECT_EXTENSION], complete: (name) => name },
  'save-project': { extensions: [PROJECT_EXTENSION], complete: withProjectExtension },
  'open-csv': { extensions: CSV_EXTENSIONS, complete: (name) => name },
  'save-csv': { extensions: CSV_EXTENSIONS, complete: withCsvExtension },
  'save-html': { extensions: HTML_EXTENSIONS, complete: withHtmlExtension },
  'save-sql': { extensions: SQL_EXTENSIONS, complete: withSqlExtension },
};

export const isSaveKind = (kind: PickKind): boolean => kind.startsWith('save-');

export interface PickedPath {
  readonly path: string;
  /** The user already agreed to replace an existing file. */
  readonly overwrite: boolean;
}

/** The in-app file browser (browser mode has no native dialogs). */
export interface FileBrowserState {
  readonly kind: PickKind;
  readonly listing: DirectoryListing | null;
  /** The text of the folder field; may differ from the listing while the user types. */
  readonly location: string;
  readonly fileName: string;
  readonly loading: boolean;
  readonly error: string | null;
}

export interface DialogsSlice {
  confirm: ConfirmState | null;
  fileBrowser: FileBrowserState | null;
  /** The folder the last file was picked in; the next browser starts there. */
  lastFolder: string | null;
  /** Shows a question; resolves with the id of the chosen answer. */
  askConfirm(request: ConfirmRequest): Promise<string>;
  answerConfirm(choiceId: string): void;
  /** A native dialog where the platform has one, else the in-app file browser. Null: cancelled. */
  pickFilePath(kind: PickKind, options?: { defaultName?: string; folder?: string | null }): Promise<PickedPath | null>;
  browse(dir?: string): Promise<void>;
  setBrowserLocation(text: string): void;
  setBrowserFileName(text: string): void;
  chooseBrowserEntry(entry: DirectoryEntry): void;
  confirmFileBrowser(): Promise<void>;
  cancelFileBrowser(): void;
}

export const createDialogsSlice =
  (deps: StoreDeps): SliceCreator<DialogsSlice> =>
  (set, get) => {
    let confirmKey = 0;
    let resolveConfirm: ((choice: string) => void) | null = null;
    let resolvePick: ((picked: PickedPath | null) => void) | null = null;
    /** The latest listing asked for: an older one that answers later (the first folder, slow) must not replace it. */
    let browseSeq = 0;

    const patchBrowser = (patch: Partial<FileBrowserState>) => {
      const current = get().fileBrowser;
      if (current) set({ fileBrowser: { ...current, ...patch } });
    };

    const finishPick = (picked: PickedPath | null) => {
      const resolve = resolvePick;
      resolvePick = null;
      set({ fileBrowser: null, ...(picked ? { lastFolder: folderOf(picked.path) } : {}) });
      resolve?.(picked);
    };

    return {
      confirm: null,
      fileBrowser: null,
      lastFolder: null,

      askConfirm(request) {
        // A question still open is answered with its cancel choice: one at a time.
        const pending = get().confirm;
        if (pending) get().answerConfirm(pending.cancelChoice);
        confirmKey += 1;
        set({ confirm: { ...request, key: confirmKey } });
        return new Promise<string>((resolve) => {
          resolveConfirm = resolve;
        });
      },

      answerConfirm(choiceId) {
        const resolve = resolveConfirm;
        resolveConfirm = null;
        set({ confirm: null });
        resolve?.(choiceId);
      },

      async pickFilePath(kind, options = {}) {
        const { pickPath } = deps.platform;
        if (pickPath) {
          const request = options.defaultName === undefined ? { kind } : { kind, defaultName: options.defaultName };
          const path = await pickPath(request);
          if (path === null) return null;
          if (!isSaveKind(kind)) return { path, overwrite: false };
          // A native save dialog has already asked about replacing the file it returns.
          const completed = PICK_KINDS[kind].complete(path);
          return { path: completed, overwrite: completed === path };
        }
        if (resolvePick) finishPick(null);
        const promise = new Promise<PickedPath | null>((resolve) => {
          resolvePick = resolve;
        });
        set({
          fileBrowser: { kind, listing: null, location: '', fileName: options.defaultName ?? '', loading: true, error: null },
        });
        await get().browse(options.folder ?? get().lastFolder ?? undefined);
        return promise;
      },

      async browse(dir) {
        if (!get().fileBrowser) return;
        const kind = get().fileBrowser?.kind ?? 'open-project';
        const extensions = [...PICK_KINDS[kind].extensions];
        patchBrowser({ loading: true, error: null });
        const seq = (browseSeq += 1);
        const asked = get().fileBrowser?.location;
        try {
          const listing = await deps.client.call('files/list', dir === undefined ? { extensions } : { dir, extensions });
          // The folder field shows the listed folder, unless the user typed another meanwhile.
          const typed = get().fileBrowser?.location !== asked;
          if (seq === browseSeq) patchBrowser({ listing, loading: false, ...(typed ? {} : { location: listing.dir }) });
        } catch (error) {
          if (seq !== browseSeq) return;
          const { message, hint } = describeError(error);
          patchBrowser({ loading: false, error: hint ? `${message} ${hint}` : message });
          // A remembered folder that has gone: fall back to the home folder.
          if (!get().fileBrowser?.listing && dir !== undefined) await get().browse();
        }
      },

      setBrowserLocation(text) {
        patchBrowser({ location: text });
      },

      setBrowserFileName(text) {
        patchBrowser({ fileName: text, error: null });
      },

      chooseBrowserEntry(entry) {
        if (entry.kind === 'directory') void get().browse(entry.path);
        else patchBrowser({ fileName: entry.name, error: null });
      },

      async confirmFileBrowser() {
        const browser = get().fileBrowser;
        if (!browser?.listing) return;
        const typed = browser.fileName.trim();
        if (typed === '') {
          patchBrowser({
            error: isSaveKind(browser.kind)
              ? 'Type a name for the file.'
              : `Choose a ${browser.kind === 'open-csv' ? 'CSV' : 'project'} file in the list, or type its name.`,
          });
          return;
        }
        const { listing } = browser;
        const folder = listing.entries.find((e) => e.kind === 'directory' && e.name === typed);
        if (folder) {
          await get().browse(folder.path);
          return;
        }
        if (!isSaveKind(browser.kind)) {
          finishPick({ path: isAbsolutePath(typed) ? typed : joinPath(listing.dir, typed), overwrite: false });
          return;
        }
        const name = PICK_KINDS[browser.kind].complete(typed);
        const path = isAbsolutePath(name) ? name : joinPath(listing.dir, name);
        const exists = listing.entries.some((e) => e.kind === 'file' && e.path === path);
        if (exists && !(await confirmReplace(get, path))) return;
        finishPick({ path, overwrite: exists });
      },

      cancelFileBrowser() {
        finishPick(null);
      },
    };
  };

/** Asks before something that cannot be undone, with Cancel as the default (Enter and Escape keep things as they are); true: go ahead. The action's choice id is its label in lower case ("delete", "replace"). */
async function confirmDanger(get: () => DialogsSlice, title: string, message: string, action: string): Promise<boolean> {
  const id = action.toLowerCase();
  const choice = await get().askConfirm({
    title,
    message,
    choices: [
      { id, label: action, tone: 'danger' },
      { id: 'cancel', label: 'Cancel', tone: 'plain' },
    ],
    defaultChoice: 'cancel',
    cancelChoice: 'cancel',
  });
  return choice === id;
}

/** Asks before something kept is deleted; true: delete. */
export function confirmDelete(get: () => DialogsSlice, title: string, message: string): Promise<boolean> {
  return confirmDanger(get, title, message, 'Delete');
}

/** Asks before a save replaces an existing file (also when the engine finds one the listing did not show). */
export function confirmReplace(get: () => DialogsSlice, path: string): Promise<boolean> {
  const name = path.split(/[\\/]/).pop() ?? path;
  return confirmDanger(get, 'Replace the file?', `"${name}" already exists. Replacing it overwrites its contents.`, 'Replace');
}
