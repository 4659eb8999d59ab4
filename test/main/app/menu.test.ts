import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { MenuCommandMessage } from '../../../shared/bridge';
import type { RecentProject } from '../../../shared/contract/app';
import type { Envelope } from '../../../shared/contract/errors';
import type { EngineRequest } from '../../../shared/contract/index';
import {
  buildMenuTemplate,
  createMenuController,
  MAX_RECENT_ITEMS,
  recentLabel,
  type MenuStatics,
  type MenuTemplateInput,
} from '../../../main/app/menu';

const recent: RecentProject[] = [
  { path: '/home/ann/Plans/spring.cplan', name: 'Spring', openedAt: '2026-11-29T10:00:00Z', exists: true },
  { path: '/media/usb/Q&A.cplan', name: 'Q&A', openedAt: '2026-11-28T10:00:00Z', exists: false },
];

function input(overrides: Partial<MenuTemplateInput> = {}) {
  const sent: MenuCommandMessage[] = [];
  const calls: string[] = [];
  const base: MenuTemplateInput = {
    platform: 'linux',
    appName: 'Campaign Planner',
    recent,
    projectOpen: true,
    isDevelopment: false,
    homeDir: '/home/ann',
    send: (message) => sent.push(message),
    showAbout: () => calls.push('about'),
    ...overrides,
  };
  return { base, sent, calls };
}

const items = (menu: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] =>
  Array.isArray(menu?.submenu) ? menu.submenu : [];
const topLabels = (template: MenuItemConstructorOptions[]) => template.map((m) => m.label ?? m.role);
const find = (menu: MenuItemConstructorOptions | undefined, label: string) => {
  const item = items(menu).find((i) => i.label === label);
  if (!item) throw new Error(`no item ${label}`);
  return item;
};
const click = (item: MenuItemConstructorOptions) => {
  if (!item.click) throw new Error(`${item.label} has no click`);
  (item.click as () => void)();
};
const file = (template: MenuItemConstructorOptions[]) => template.find((m) => m.label?.replace('&', '') === 'File');

describe('buildMenuTemplate', () => {
  it('has File, Edit, View and Help on Windows and Linux', () => {
    const { base } = input();
    expect(topLabels(buildMenuTemplate(base))).toEqual(['&File', '&Edit', '&View', '&Help']);
  });

  it('has the app menu and the Window menu on macOS', () => {
    const { base } = input({ platform: 'darwin' });
    const template = buildMenuTemplate(base);
    expect(topLabels(template)).toEqual(['Campaign Planner', 'File', 'Edit', 'View', 'windowMenu', 'Help']);
    const appMenu = items(template[0]);
    expect(appMenu.map((i) => i.role ?? i.type)).toEqual([
      'about', 'separator', 'services', 'separator', 'hide', 'hideOthers', 'unhide', 'separator', 'quit',
    ]);
  });

  it('gives the File commands their usual shortcuts and sends them to the renderer', () => {
    const { base, sent } = input();
    const menu = file(buildMenuTemplate(base));
    const expected: [string, string, MenuCommandMessage][] = [
      ['New Project', 'CmdOrCtrl+N', { command: 'new' }],
      ['Open…', 'CmdOrCtrl+O', { command: 'open' }],
      ['Save', 'CmdOrCtrl+S', { command: 'save' }],
      ['Save As…', 'Shift+CmdOrCtrl+S', { command: 'saveAs' }],
      ['Close Project', 'CmdOrCtrl+W', { command: 'close' }],
    ];
    for (const [label, accelerator, message] of expected) {
      const item = find(menu, label);
      expect(item.accelerator).toBe(accelerator);
      click(item);
      expect(sent.at(-1)).toEqual(message);
    }
  });

  it('puts Quit in File with Ctrl+Q on Linux, Exit on Windows, and in the app menu on macOS', () => {
    const linux = items(file(buildMenuTemplate(input().base))).at(-1);
    expect(linux).toMatchObject({ role: 'quit', label: 'Quit', accelerator: 'Ctrl+Q' });
    const windows = items(file(buildMenuTemplate(input({ platform: 'win32' }).base))).at(-1);
    expect(windows).toEqual({ role: 'quit', label: 'Exit' });
    const mac = items(file(buildMenuTemplate(input({ platform: 'darwin' }).base)));
    expect(mac.some((i) => i.role === 'quit')).toBe(false);
  });

  it('disables Save, Save As and Close while no project is open', () => {
    const menu = file(buildMenuTemplate(input({ projectOpen: false }).base));
    for (const label of ['Save', 'Save As…', 'Close Project']) expect(find(menu, label).enabled).toBe(false);
    for (const label of ['New Project', 'Open…']) expect(find(menu, label).enabled).toBeUndefined();
  });

  it('lists recent projects, greys out missing files, and opens them through the renderer', () => {
    const { base, sent } = input();
    const entries = items(find(file(buildMenuTemplate(base)), 'Open Recent'));
    expect(entries.map((e) => [e.label, e.enabled])).toEqual([
      ['spring.cplan — ~/Plans', true],
      ['Q&&A.cplan — /media/usb (missing)', false],
    ]);
    expect(entries[0]?.toolTip).toBe('/home/ann/Plans/spring.cplan');
    click(entries[0] as MenuItemConstructorOptions);
    expect(sent).toEqual([{ command: 'openRecent', path: '/home/ann/Plans/spring.cplan' }]);
  });

  it('offers Clear Recently Opened only when it can do it', () => {
    const without = items(find(file(buildMenuTemplate(input().base)), 'Open Recent'));
    expect(without.some((i) => i.label === 'Clear Recently Opened')).toBe(false);
    let cleared = 0;
    const withClear = items(find(file(buildMenuTemplate(input({ clearRecent: () => (cleared += 1) }).base)), 'Open Recent'));
    click(withClear.at(-1) as MenuItemConstructorOptions);
    expect(cleared).toBe(1);
  });

  it('says so when there are no recent projects, and shows at most ten', () => {
    const none = items(find(file(buildMenuTemplate(input({ recent: [] }).base)), 'Open Recent'));
    expect(none).toEqual([{ label: 'No Recent Projects', enabled: false }]);
    const many = Array.from({ length: 15 }, (_, i) => ({ ...recent[0], path: `/p/${i}.cplan` }) as RecentProject);
    const shown = items(find(file(buildMenuTemplate(input({ recent: many }).base)), 'Open Recent'));
    expect(shown).toHaveLength(MAX_RECENT_ITEMS);
  });

  it('has the standard Edit roles', () => {
    const linux = items(buildMenuTemplate(input().base)[1]).map((i) => i.role ?? i.type);
    expect(linux).toEqual(['undo', 'redo', 'separator', 'cut', 'copy', 'paste', 'delete', 'separator', 'selectAll']);
    const mac = items(buildMenuTemplate(input({ platform: 'darwin' }).base)[2]).map((i) => i.role ?? i.type);
    expect(mac).toContain('pasteAndMatchStyle');
  });

  it('shows Reload and DevTools only in development', () => {
    const view = (dev: boolean) => items(buildMenuTemplate(input({ isDevelopment: dev }).base)[2]).map((i) => i.role ?? i.type);
    expect(view(false)).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'separator', 'togglefullscreen']);
    expect(view(true)).toEqual([
      'reload', 'forceReload', 'toggleDevTools', 'separator', 'resetZoom', 'zoomIn', 'zoomOut', 'separator', 'togglefullscreen',
    ]);
  });

  it('has About in Help on Windows and Linux (macOS has it in the app menu)', () => {
    const { base, calls } = input({ openDocumentation: () => calls.push('docs') });
    const help = buildMenuTemplate(base).at(-1);
    expect(help?.role).toBe('help');
    click(find(help, 'Campaign Planner Documentation'));
    click(find(help, 'About Campaign Planner'));
    expect(calls).toEqual(['docs', 'about']);
    const macHelp = buildMenuTemplate(input({ platform: 'darwin' }).base).at(-1);
    expect(items(macHelp)).toEqual([]);
  });
});

describe('recentLabel', () => {
  it('keeps & literal on macOS, doubles it elsewhere, and shortens the home folder', () => {
    const entry = { path: '/Users/ann/R&D/plan.cplan', name: 'x', openedAt: '', exists: true };
    expect(recentLabel(entry, '/Users/ann', true)).toBe('plan.cplan — ~/R&D');
    expect(recentLabel(entry, '/Users/ann', false)).toBe('plan.cplan — ~/R&&D');
    expect(recentLabel({ ...entry, path: 'C:\\Users\\ann\\plan.cplan' }, 'C:\\Users\\ann', false)).toBe('plan.cplan — ~');
    expect(recentLabel({ ...entry, path: '/home/annex/plan.cplan' }, '/home/ann', false)).toBe('plan.cplan — /home/annex');
  });
});

describe('createMenuController', () => {
  function setup(initial: RecentProject[] = recent) {
    let list = [...initial];
    const requests: EngineRequest[] = [];
    const installed: MenuItemConstructorOptions[][] = [];
    const menu: MenuStatics = {
      buildFromTemplate: (template) => {
        installed.push(template as MenuItemConstructorOptions[]);
        return {} as ReturnType<MenuStatics['buildFromTemplate']>;
      },
      setApplicationMenu: () => undefined,
    };
    const osRecent: string[] = [];
    const host = {
      async invoke(request: EngineRequest): Promise<Envelope<unknown>> {
        requests.push(request);
        if (request.method === 'recent/forget') {
          list = list.filter((e) => e.path !== (request.args as { path: string }).path);
          return { ok: true, data: list };
        }
        return { ok: true, data: list };
      },
    };
    const controller = createMenuController({
      menu,
      host,
      input: input().base,
      addRecentDocument: (path) => osRecent.push(path),
      clearRecentDocuments: () => osRecent.push('<cleared>'),
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    return { controller, requests, installed, osRecent, settle };
  }
  const saveEnabled = (template: MenuItemConstructorOptions[] | undefined) => find(file(template ?? []), 'Save').enabled;

  it('rebuilds when the project opens, moves or closes, not on every edit', async () => {
    const { controller, installed, osRecent, settle } = setup();
    const open = { open: true, sessionId: 's', name: 'Spring', description: '', path: '/p/spring.cplan', fileName: 'spring.cplan', dirty: false, savedAt: null, clock: '2026-04-10T10:00', schemaVersion: 1, recovered: false } as const;
    controller.showProject(open);
    await settle();
    controller.showProject({ ...open, dirty: true });
    await settle();
    expect(installed).toHaveLength(1);
    expect(saveEnabled(installed[0])).toBe(true);
    controller.showProject({ ...open, path: '/p/spring-2.cplan' });
    controller.showProject({ open: false });
    await settle();
    expect(saveEnabled(installed.at(-1))).toBe(false);
    expect(osRecent).toEqual(['/p/spring.cplan', '/p/spring-2.cplan']);
  });

  it('installs the recent list it read from the engine', async () => {
    const { controller, installed } = setup();
    await controller.refresh();
    const entries = items(find(file(installed[0] ?? []), 'Open Recent'));
    expect(entries.map((e) => e.label)).toEqual(['spring.cplan — ~/Plans', 'Q&&A.cplan — /media/usb (missing)', undefined, 'Clear Recently Opened']);
  });

  it('clears the recent list through recent/forget, then shows it empty', async () => {
    const { controller, installed, requests, osRecent } = setup();
    await controller.clearRecent();
    expect(requests.filter((r) => r.method === 'recent/forget').map((r) => r.args)).toEqual([
      { path: '/home/ann/Plans/spring.cplan' },
      { path: '/media/usb/Q&A.cplan' },
    ]);
    expect(osRecent).toEqual(['<cleared>']);
    expect(items(find(file(installed.at(-1) ?? []), 'Open Recent'))[0]?.label).toBe('No Recent Projects');
  });
});

describe('createMenuController when the engine cannot answer', () => {
  it('keeps the last recent list instead of blanking the menu', async () => {
    let available = true;
    const installed: MenuItemConstructorOptions[][] = [];
    const logged: string[] = [];
    const controller = createMenuController({
      menu: {
        buildFromTemplate: (template) => {
          installed.push(template as MenuItemConstructorOptions[]);
          return {} as ReturnType<MenuStatics['buildFromTemplate']>;
        },
        setApplicationMenu: () => undefined,
      },
      host: {
        invoke: async (): Promise<Envelope<unknown>> =>
          available ? { ok: true, data: recent } : { ok: false, error: { code: 'UNAVAILABLE', message: 'The engine has shut down.' } },
      },
      input: input().base,
      log: (line) => logged.push(line),
    });
    await controller.refresh();
    available = false;
    await controller.refresh();
    const entries = items(find(file(installed.at(-1) ?? []), 'Open Recent'));
    expect(entries[0]?.label).toBe('spring.cplan — ~/Plans');
    expect(logged).toEqual([]);
  });
});
