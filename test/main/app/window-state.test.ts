import * as fs from 'node:fs/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  captureWindowState,
  DEFAULT_WINDOW_SIZE,
  loadWindowState,
  restoreBounds,
  saveWindowState,
  windowStatePath,
  type WindowState,
} from '../../../main/app/window-state';
import { MIN_WINDOW_SIZE } from '../../../main/app/window-options';
import { tempDir } from '../../helpers/temp-dir';

const laptop = { workArea: { x: 0, y: 0, width: 1920, height: 1050 } };
const rightMonitor = { workArea: { x: 1920, y: 0, width: 2560, height: 1400 } };
const saved: WindowState = { x: 100, y: 80, width: 1400, height: 900, maximized: false };

describe('restoreBounds', () => {
  it('puts the window back where it was', () => {
    expect(restoreBounds(saved, [laptop])).toEqual({ bounds: { x: 100, y: 80, width: 1400, height: 900 }, maximized: false });
    expect(restoreBounds({ ...saved, maximized: true }, [laptop]).maximized).toBe(true);
  });

  it('finds the window on a second display', () => {
    const there = { ...saved, x: 2200, y: 100 };
    expect(restoreBounds(there, [laptop, rightMonitor]).bounds).toEqual({ x: 2200, y: 100, width: 1400, height: 900 });
  });

  it('centres the default window on the primary display when the saved display is gone', () => {
    const there = { ...saved, x: 2200, y: 100 };
    const restored = restoreBounds(there, [laptop]);
    expect(restored).toEqual({
      bounds: {
        x: (1920 - DEFAULT_WINDOW_SIZE.width) / 2,
        y: (1050 - DEFAULT_WINDOW_SIZE.height) / 2,
        ...DEFAULT_WINDOW_SIZE,
      },
      maximized: false,
    });
  });

  it('does not trust a window whose title bar is off screen', () => {
    expect(restoreBounds({ ...saved, y: -600 }, [laptop]).bounds.y).toBe((1050 - DEFAULT_WINDOW_SIZE.height) / 2);
    expect(restoreBounds({ ...saved, x: 1900 }, [laptop]).bounds.x).toBe((1920 - DEFAULT_WINDOW_SIZE.width) / 2);
    expect(restoreBounds({ ...saved, y: 1040 }, [laptop]).bounds.y).toBe((1050 - DEFAULT_WINDOW_SIZE.height) / 2);
  });

  it('accepts the few pixels Windows reports outside the screen', () => {
    expect(restoreBounds({ ...saved, x: -8, y: -8 }, [laptop]).bounds).toMatchObject({ x: -8, y: -8 });
  });

  it('shrinks a window larger than its display, but not below the minimum', () => {
    const huge = { ...saved, x: 0, y: 0, width: 5000, height: 3000 };
    expect(restoreBounds(huge, [laptop]).bounds).toEqual({ x: 0, y: 0, width: 1920, height: 1050 });
    const tiny = { ...saved, width: 300, height: 200 };
    expect(restoreBounds(tiny, [laptop]).bounds).toMatchObject(MIN_WINDOW_SIZE);
  });

  it('falls back on anything that is not a saved state', () => {
    const centred = restoreBounds(null, [laptop]);
    for (const broken of [undefined, 'x', { x: 1 }, { ...saved, width: 'wide' }, { ...saved, x: Number.NaN }, { ...saved, maximized: 'yes' }]) {
      expect(restoreBounds(broken, [laptop])).toEqual(centred);
    }
  });

  it('uses the primary display given, which need not be the first one', () => {
    expect(restoreBounds(null, [laptop, rightMonitor], rightMonitor).bounds.x).toBe(1920 + (2560 - DEFAULT_WINDOW_SIZE.width) / 2);
  });

  it('fits the default on a small screen', () => {
    const small = { workArea: { x: 0, y: 0, width: 1024, height: 700 } };
    expect(restoreBounds(null, [small]).bounds).toEqual({ x: 0, y: 0, width: 1024, height: 700 });
    const tinyScreen = { workArea: { x: 0, y: 0, width: 800, height: 500 } };
    expect(restoreBounds(null, [tinyScreen]).bounds).toEqual({ x: 0, y: 0, width: 800, height: 500 });
  });

  it('still opens with no displays reported', () => {
    expect(restoreBounds(saved, []).bounds).toMatchObject(DEFAULT_WINDOW_SIZE);
  });
});

describe('loadWindowState and saveWindowState', () => {
  it('round-trips through <userData>/window-state.json', async () => {
    const dir = join(tempDir(), 'Campaign Planner');
    const file = windowStatePath(dir);
    expect(file).toBe(join(dir, 'window-state.json'));
    await saveWindowState(fs, file, saved);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(saved);
    expect(await loadWindowState(fs, file)).toEqual(saved);
    expect((await fs.readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('reads a missing, broken or foreign file as nothing saved', async () => {
    const dir = tempDir();
    const file = join(dir, 'window-state.json');
    expect(await loadWindowState(fs, file)).toBeNull();
    writeFileSync(file, '{"x": 10, "y":');
    expect(await loadWindowState(fs, file)).toBeNull();
    writeFileSync(file, JSON.stringify({ width: 10 }));
    expect(await loadWindowState(fs, file)).toBeNull();
    const failing = { readFile: async () => Promise.reject(new Error('EACCES')) };
    expect(await loadWindowState(failing, file)).toBeNull();
  });
});

describe('captureWindowState', () => {
  it('records the normal bounds, rounded, and whether the window is maximised', () => {
    const window = {
      getNormalBounds: () => ({ x: 10.4, y: 20.6, width: 1300.2, height: 800.7 }),
      isMaximized: () => true,
    };
    expect(captureWindowState(window)).toEqual({ x: 10, y: 21, width: 1300, height: 801, maximized: true });
  });
});

describe('saveWindowState, twice at once', () => {
  it('lets both writes finish, leaving no temp files', async () => {
    const dir = tempDir();
    const file = join(dir, 'window-state.json');
    await Promise.all([saveWindowState(fs, file, saved), saveWindowState(fs, file, { ...saved, x: 5 })]);
    expect(await loadWindowState(fs, file)).not.toBeNull();
    expect((await fs.readdir(dir)).sort()).toEqual(['window-state.json']);
  });
});
