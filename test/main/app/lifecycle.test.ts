import { EventEmitter } from 'node:events';
import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appPaths,
  createDeliveryQueue,
  finishBeforeQuit,
  projectPathFromArgv,
  unpackedPath,
  type QuittingApp,
} from '../../../main/app/lifecycle';

describe('appPaths and unpackedPath', () => {
  it('finds the bundles next to the running one in development', () => {
    const dir = join('/work', 'main', 'dist', 'main');
    expect(appPaths(dir)).toEqual({
      preload: join(dir, 'preload.cjs'),
      engineWorker: join(dir, 'engine-worker.cjs'),
      renderer: join('/work', 'main', 'dist', 'renderer'),
      icon: join('/work', 'main', 'assets', 'icon.png'),
    });
  });

  it('takes the engine worker from app.asar.unpacked in a packaged app', () => {
    const dir = join('/opt', 'Campaign Planner', 'resources', 'app.asar', 'dist', 'main');
    const paths = appPaths(dir);
    expect(paths.engineWorker).toBe(join('/opt', 'Campaign Planner', 'resources', 'app.asar.unpacked', 'dist', 'main', 'engine-worker.cjs'));
    // Electron reads the preload and the page from inside the archive itself.
    expect(paths.preload).toBe(join(dir, 'preload.cjs'));
  });

  it('replaces only a whole app.asar segment', () => {
    expect(unpackedPath(`${sep}x${sep}my-app.asar-notes${sep}w.cjs`)).toBe(`${sep}x${sep}my-app.asar-notes${sep}w.cjs`);
    expect(unpackedPath(`${sep}x${sep}app.asar${sep}w.cjs`)).toBe(`${sep}x${sep}app.asar.unpacked${sep}w.cjs`);
  });
});

describe('projectPathFromArgv', () => {
  it('finds a .cplan file among the arguments, resolved against the working folder', () => {
    expect(projectPathFromArgv(['/opt/cp/campaign-planner', 'plans/spring.cplan'], '/home/ann')).toBe(
      resolve('/home/ann', 'plans/spring.cplan'),
    );
    expect(projectPathFromArgv(['electron', '.', '/data/Q1.CPLAN'], '/work')).toBe('/data/Q1.CPLAN');
  });

  it('skips switches and the executable, and takes the last file', () => {
    expect(projectPathFromArgv(['app.cplan', '--inspect', '--user-data-dir=/x.cplan'], '/w')).toBeNull();
    expect(projectPathFromArgv(['exe', '/a.cplan', '/b.cplan'], '/w')).toBe('/b.cplan');
    expect(projectPathFromArgv(['exe', 'notes.txt'], '/w')).toBeNull();
    expect(projectPathFromArgv([], '/w')).toBeNull();
  });
});

describe('createDeliveryQueue', () => {
  it('holds items until a page can take them, then delivers at once', () => {
    const queue = createDeliveryQueue<string>();
    const delivered: string[] = [];
    queue.push('a');
    queue.push('b');
    queue.attach((item) => delivered.push(`1:${item}`));
    queue.push('c');
    queue.detach();
    queue.push('d');
    expect(delivered).toEqual(['1:a', '1:b', '1:c']);
    queue.attach((item) => delivered.push(`2:${item}`));
    expect(delivered.at(-1)).toBe('2:d');
  });
});

/** Electron's quit: before-quit, then will-quit (preventable), then the process ends. */
class FakeApp extends EventEmitter implements QuittingApp {
  exited = 0;

  quit(): void {
    let prevented = false;
    this.emit('will-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.exited += 1;
  }
}

describe('finishBeforeQuit', () => {
  it('holds the quit until the work is done, then quits once', async () => {
    const app = new FakeApp();
    let release: () => void = () => undefined;
    let started = 0;
    finishBeforeQuit(app, () => {
      started += 1;
      return new Promise<void>((done) => (release = done));
    });
    app.quit();
    app.quit();
    expect(app.exited).toBe(0);
    expect(started).toBe(1);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(app.exited).toBe(1);
  });

  it('quits even when the work fails', async () => {
    const app = new FakeApp();
    const logged: string[] = [];
    finishBeforeQuit(app, () => Promise.reject(new Error('engine stuck')), (line) => logged.push(line));
    app.quit();
    await new Promise((r) => setTimeout(r, 0));
    expect(app.exited).toBe(1);
    expect(logged).toEqual(['quit: engine stuck']);
  });
});
