import { existsSync, readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../../shared/bridge';
import type { Envelope } from '../../../shared/contract/errors';
import { EXTERNAL_LINKS } from '../../../shared/external-links';
import { tempDir } from '../../helpers/temp-dir';
import { createFakeElectron, type FakeElectron } from './fake-electron';

// The real main-process bundle (built by the test setup), run in plain Node with a fake
// 'electron' module and a real engine worker thread. Electron itself cannot run here.
const root = process.cwd();
const appBundle = join(root, 'dist/main/app.cjs');
const nodeRequire = createRequire(import.meta.url);

const savedEnv = { ...process.env };
const savedArgv = [...process.argv];
const running: FakeElectron[] = [];

afterEach(async () => {
  // Whatever a test left running (an engine thread) is stopped through the app's own quit.
  for (const fake of running.splice(0)) {
    fake.messageBoxAnswers.push(1, 1, 1);
    if (!fake.app.exited) fake.app.quit();
    await vi.waitFor(() => expect(fake.app.exited).toBe(true), { timeout: 10_000 });
  }
  process.env = { ...savedEnv };
  process.argv = [...savedArgv];
});

function launch(options: { argv?: string[]; hasLock?: boolean } = {}) {
  const dir = tempDir();
  const userData = join(dir, 'user-data');
  const fake = createFakeElectron({ userData: join(dir, 'electron-default'), documents: join(dir, 'Documents') });
  if (options.hasLock === false) fake.app.hasLock = false;
  process.env.CPLAN_DATA_DIR = userData;
  process.argv = [process.execPath, root, ...(options.argv ?? [])];
  const electronPath = nodeRequire.resolve('electron');
  const stub = new Module(electronPath);
  stub.filename = electronPath;
  stub.loaded = true;
  stub.exports = fake.module;
  nodeRequire.cache[electronPath] = stub;
  delete nodeRequire.cache[appBundle];
  nodeRequire(appBundle);
  running.push(fake);
  return { fake, dir, userData };
}

const trusted = { senderFrame: { url: 'cplan://app/index.html', parent: null } };

async function call(fake: FakeElectron, request: unknown, event: unknown = trusted): Promise<Envelope<unknown>> {
  const handler = fake.ipcHandlers.get(IPC_CHANNELS.invoke);
  if (!handler) throw new Error('the bridge is not registered');
  return (await handler(event as never, request)) as Envelope<unknown>;
}

async function started(options: Parameters<typeof launch>[0] = {}) {
  const launched = launch(options);
  launched.fake.ready();
  await vi.waitFor(() => expect(launched.fake.pageLoads).toHaveLength(1), { timeout: 10_000 });
  const window = launched.fake.windows[0];
  if (!window) throw new Error('no window');
  return { ...launched, window };
}

describe('the Electron main process (dist/main/app.cjs with a fake electron)', () => {
  it('registers the app scheme before ready and uses the shared data folder', () => {
    const { fake, userData } = launch();
    expect(fake.privilegedSchemes).toEqual([
      { scheme: 'cplan', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
    expect(fake.app.name).toBe('Campaign Planner');
    expect(fake.app.getPath('userData')).toBe(userData);
    expect(fake.windows).toEqual([]);
  });

  it('quits at once when another instance holds the lock', () => {
    const { fake } = launch({ hasLock: false });
    expect(fake.app.exited).toBe(true);
    fake.ready();
    expect(fake.windows).toEqual([]);
  });

  it('opens one locked-down window on the app page, with the session secured', async () => {
    const { fake, window } = await started();
    expect(fake.windows).toHaveLength(1);
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(prefs.preload).toBe(join(root, 'dist/main/preload.cjs'));
    expect(window.shown).toBe(true);
    expect(window.title).toBe('Campaign Planner');
    expect(window.webContents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(Object.keys(fake.sessionHandlers).sort()).toEqual(['device', 'headers', 'permissionCheck', 'permissionRequest', 'request']);
    const page = fake.pageLoads[0];
    expect(page?.url).toBe('cplan://app/index.html');
    // The renderer is only there after a full build; the node-only test build lacks it.
    expect(page?.status).toBe(existsSync(join(root, 'dist/renderer/index.html')) ? 200 : 404);
    // The menu waits for the engine's recent list.
    await vi.waitFor(() => expect(fake.menus.length).toBeGreaterThan(0));
    const labels = (fake.menus.at(-1) as { label?: string }[]).map((menu) => menu.label);
    expect(labels).toEqual(['&File', '&Edit', '&View', '&Help']);
  });

  it('opens in the browser only the addresses the app itself links to', async () => {
    const { fake, window } = await started();
    const others = [
      'https://example.com.evil/',
      'https://example.com@evil.example/',
      'https://user:secret@example.com/',
      'http://127.0.0.1:8080/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'smb://server/share',
    ];
    for (const url of [...EXTERNAL_LINKS, ...others]) {
      let prevented = false;
      window.webContents.emit('will-navigate', { url, preventDefault: () => (prevented = true) });
      expect(prevented, url).toBe(true);
      expect(window.webContents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    // Each listed address twice (link and window.open), nothing else.
    expect(fake.openedExternal).toEqual(EXTERNAL_LINKS.flatMap((url) => [url, url]));
  });

  it('answers the page through the real engine, refuses strangers, and keeps the title current', async () => {
    const { fake, window } = await started();
    const stranger = { senderFrame: { url: 'https://evil.example/', parent: null } };
    const refused = await call(fake, { method: 'project/state', args: {} }, stranger);
    expect(refused.ok ? 'ok' : refused.error.code).toBe('UNAUTHORIZED');
    const malformed = await call(fake, { method: 'project/state' , args: {}, sneaky: 1 });
    expect(malformed.ok ? 'ok' : malformed.error.code).toBe('INVALID_ARGUMENT');

    const created = await call(fake, { method: 'project/new', args: { name: 'Spring' } });
    expect(created.ok).toBe(true);
    await vi.waitFor(() => expect(window.title).toBe('Spring — not saved yet — Campaign Planner'));
    expect(window.webContents.sent.some(([channel]) => channel === IPC_CHANNELS.event)).toBe(true);
    await call(fake, { method: 'project/update', args: { description: 'changed' } });
    await vi.waitFor(() => expect(window.title).toBe('Spring — not saved yet • (unsaved) — Campaign Planner'));
  });

  it('sends a project file named on the command line to the page once it has loaded', async () => {
    const { window, dir } = await started({ argv: ['plans/spring.cplan'] });
    expect(window.webContents.sent).toContainEqual([
      IPC_CHANNELS.menuCommand,
      { command: 'openRecent', path: join(root, 'plans/spring.cplan') },
    ]);
    expect(dir).toBeTruthy();
  });

  it('asks before quitting with unsaved changes, stays on Cancel, and quits cleanly on Don’t Save', async () => {
    const { fake, window, userData } = await started();
    await call(fake, { method: 'project/new', args: { name: 'Spring' } });
    await call(fake, { method: 'project/update', args: { description: 'changed' } });
    await vi.waitFor(() => expect(window.title).toContain('(unsaved)'));

    fake.messageBoxAnswers.push(2);
    fake.app.quit();
    await vi.waitFor(() => expect(fake.messageBoxes).toHaveLength(1));
    expect(fake.messageBoxes[0]?.buttons).toEqual(['Save', "Don't Save", 'Cancel']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(window.destroyed).toBe(false);
    expect(fake.app.exited).toBe(false);

    fake.messageBoxAnswers.push(1);
    fake.app.quit();
    await vi.waitFor(() => expect(fake.app.exited).toBe(true), { timeout: 10_000 });
    expect(fake.messageBoxes).toHaveLength(2);
    expect(window.destroyed).toBe(true);
    const state = JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8')) as Record<string, unknown>;
    expect(state).toMatchObject({ width: 1280, height: 800, maximized: false });
  });
});
