import type { Menu, MenuItemConstructorOptions } from 'electron';
import type { MenuCommandMessage } from '../../shared/bridge';
import type { RecentProject } from '../../shared/contract/app';
import type { ProjectState } from '../../shared/contract/project';
import { fileNameOf } from '../../shared/format';
import type { EngineHost } from '../host/engine-host';

export const MAX_RECENT_ITEMS = 10;

export interface MenuTemplateInput {
  readonly platform: NodeJS.Platform;
  readonly appName: string;
  readonly recent: readonly RecentProject[];
  /** Save, Save As and Close need an open project. */
  readonly projectOpen: boolean;
  /** Reload and DevTools exist only in development builds. */
  readonly isDevelopment: boolean;
  /** Shortens recent paths to "~/…". */
  readonly homeDir?: string;
  /** Sends a command to the renderer, which runs it like its own button. */
  readonly send: (message: MenuCommandMessage) => void;
  /** Windows and Linux: the About box (macOS uses the native About panel). */
  readonly showAbout: () => void;
  /** Offered only when given: forgets every recent entry. */
  readonly clearRecent?: () => void;
  readonly openDocumentation?: () => void;
}

/**
 * The native menu, as a plain template. File commands go to the renderer rather than
 * acting here, so the menu, the toolbar and the keyboard all take the same path (with the
 * renderer's own unsaved-changes confirmation). Quit is the exception: it belongs to the
 * app, and the window's close guard asks about unsaved changes.
 */
export function buildMenuTemplate(input: MenuTemplateInput): MenuItemConstructorOptions[] {
  const mac = input.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) template.push(macAppMenu(input.appName));
  template.push(fileMenu(input, mac), editMenu(mac), viewMenu(input.isDevelopment, mac));
  if (mac) template.push({ role: 'windowMenu' });
  template.push(helpMenu(input, mac));
  return template;
}

function macAppMenu(appName: string): MenuItemConstructorOptions {
  return {
    label: appName,
    submenu: [
      { role: 'about', label: `About ${appName}` },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide', label: `Hide ${appName}` },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit', label: `Quit ${appName}` },
    ],
  };
}

function fileMenu(input: MenuTemplateInput, mac: boolean): MenuItemConstructorOptions {
  const command = (message: MenuCommandMessage) => () => input.send(message);
  const submenu: MenuItemConstructorOptions[] = [
    { label: 'New Project', accelerator: 'CmdOrCtrl+N', click: command({ command: 'new' }) },
    { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: command({ command: 'open' }) },
    { label: 'Open Recent', submenu: recentSubmenu(input) },
    { type: 'separator' },
    { label: 'Save', accelerator: 'CmdOrCtrl+S', enabled: input.projectOpen, click: command({ command: 'save' }) },
    {
      label: 'Save As…',
      accelerator: 'Shift+CmdOrCtrl+S',
      enabled: input.projectOpen,
      click: command({ command: 'saveAs' }),
    },
    { type: 'separator' },
    { label: 'Close Project', accelerator: 'CmdOrCtrl+W', enabled: input.projectOpen, click: command({ command: 'close' }) },
  ];
  if (!mac) {
    // Windows says Exit and has Alt+F4; Linux desktops use Quit with Ctrl+Q.
    const windows = input.platform === 'win32';
    submenu.push(
      { type: 'separator' },
      windows ? { role: 'quit', label: 'Exit' } : { role: 'quit', label: 'Quit', accelerator: 'Ctrl+Q' },
    );
  }
  return { label: mac ? 'File' : '&File', submenu };
}

function recentSubmenu(input: MenuTemplateInput): MenuItemConstructorOptions[] {
  const mac = input.platform === 'darwin';
  const entries = input.recent.slice(0, MAX_RECENT_ITEMS);
  if (entries.length === 0) return [{ label: 'No Recent Projects', enabled: false }];
  const items: MenuItemConstructorOptions[] = entries.map((entry) => ({
    label: recentLabel(entry, input.homeDir, mac),
    toolTip: entry.path,
    // A moved or deleted file stays listed (it may be on a drive not plugged in) but greyed.
    enabled: entry.exists,
    click: () => input.send({ command: 'openRecent', path: entry.path }),
  }));
  if (input.clearRecent) {
    const clear = input.clearRecent;
    items.push({ type: 'separator' }, { label: 'Clear Recently Opened', click: () => clear() });
  }
  return items;
}

/**
 * "spring.cplan — ~/Plans": the file name first, then its folder, so two plans with the
 * same name are told apart. On Windows and Linux `&` marks a mnemonic, so a literal one
 * is doubled.
 */
export function recentLabel(entry: RecentProject, homeDir: string | undefined, mac: boolean): string {
  const name = fileNameOf(entry.path);
  let folder = entry.path.slice(0, Math.max(0, entry.path.length - name.length - 1));
  if (homeDir && (folder === homeDir || folder.startsWith(`${homeDir}/`) || folder.startsWith(`${homeDir}\\`))) {
    folder = `~${folder.slice(homeDir.length)}`;
  }
  let label = folder === '' ? name : `${name} — ${folder}`;
  if (!entry.exists) label += ' (missing)';
  return mac ? label : label.replaceAll('&', '&&');
}

function editMenu(mac: boolean): MenuItemConstructorOptions {
  const submenu: MenuItemConstructorOptions[] = [
    { role: 'undo' },
    { role: 'redo' },
    { type: 'separator' },
    { role: 'cut' },
    { role: 'copy' },
    { role: 'paste' },
  ];
  if (mac) submenu.push({ role: 'pasteAndMatchStyle' });
  submenu.push({ role: 'delete' }, { type: 'separator' }, { role: 'selectAll' });
  return { label: mac ? 'Edit' : '&Edit', submenu };
}

function viewMenu(isDevelopment: boolean, mac: boolean): MenuItemConstructorOptions {
  const submenu: MenuItemConstructorOptions[] = [];
  if (isDevelopment) {
    submenu.push({ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  }
  submenu.push(
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  );
  return { label: mac ? 'View' : '&View', submenu };
}

function helpMenu(input: MenuTemplateInput, mac: boolean): MenuItemConstructorOptions {
  const submenu: MenuItemConstructorOptions[] = [];
  if (input.openDocumentation) {
    const open = input.openDocumentation;
    submenu.push({ label: `${input.appName} Documentation`, click: () => open() });
  }
  if (!mac) {
    if (submenu.length > 0) submenu.push({ type: 'separator' });
    submenu.push({ label: `About ${input.appName}`, click: () => input.showAbout() });
  }
  return { role: 'help', label: mac ? 'Help' : '&Help', submenu };
}

/** Electron's Menu statics, passed in so this module never loads 'electron'. */
export type MenuStatics = Pick<typeof Menu, 'buildFromTemplate' | 'setApplicationMenu'>;

export function installMenu(menu: MenuStatics, input: MenuTemplateInput): void {
  menu.setApplicationMenu(menu.buildFromTemplate(buildMenuTemplate(input)));
}

export interface MenuControllerDeps {
  readonly menu: MenuStatics;
  readonly host: Pick<EngineHost, 'invoke'>;
  /** Everything but what the controller fills in from the engine. */
  readonly input: Omit<MenuTemplateInput, 'recent' | 'projectOpen' | 'clearRecent'>;
  /** The OS's own recent list (macOS Dock, Windows jump list). */
  readonly addRecentDocument?: (path: string) => void;
  readonly clearRecentDocuments?: () => void;
  readonly log?: (line: string) => void;
}

export interface MenuController {
  /** Follows the project: rebuilds when a project opens, closes or moves to a new file. */
  showProject(state: ProjectState): void;
  /** Reads the recent list from the engine and installs a fresh menu. */
  refresh(): Promise<void>;
  clearRecent(): Promise<void>;
}

/**
 * Keeps the installed menu in step with the engine: the recent list and whether a project
 * is open. Rebuilds only when the project's file changes, not on every edit, which also
 * sends project/changed.
 */
export function createMenuController(deps: MenuControllerDeps): MenuController {
  let projectOpen = false;
  let lastKey: string | null = null;
  let generation = 0;
  // The last list the engine gave: a failed read (the engine restarting or shutting
  // down) keeps it rather than blanking Open Recent.
  let recent: RecentProject[] = [];

  const controller: MenuController = {
    showProject(state) {
      const key = state.open ? `open:${state.path ?? ''}` : 'closed';
      if (key === lastKey) return;
      lastKey = key;
      projectOpen = state.open;
      if (state.open && state.path !== null) deps.addRecentDocument?.(state.path);
      void controller.refresh();
    },

    async refresh() {
      const ticket = ++generation;
      const listed = await deps.host.invoke({ method: 'recent/list', args: {} });
      // A newer refresh started while this one waited: its answer is the fresher one.
      if (ticket !== generation) return;
      if (listed.ok) recent = listed.data as RecentProject[];
      else if (listed.error.code !== 'UNAVAILABLE') deps.log?.(`menu: recent/list failed: ${listed.error.message}`);
      installMenu(deps.menu, {
        ...deps.input,
        recent,
        projectOpen,
        clearRecent: () => void controller.clearRecent(),
      });
    },

    async clearRecent() {
      const listed = await deps.host.invoke({ method: 'recent/list', args: {} });
      for (const entry of listed.ok ? (listed.data as RecentProject[]) : []) {
        const forgotten = await deps.host.invoke({ method: 'recent/forget', args: { path: entry.path } });
        if (!forgotten.ok) deps.log?.(`menu: recent/forget failed: ${forgotten.error.message}`);
      }
      deps.clearRecentDocuments?.();
      await controller.refresh();
    },
  };
  return controller;
}
