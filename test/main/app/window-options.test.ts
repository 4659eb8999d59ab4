import { describe, expect, it } from 'vitest';
import { BACKGROUND_COLORS, createWindowOptions, MIN_WINDOW_SIZE } from '../../../main/app/window-options';

const base = {
  preloadPath: '/app/dist/main/preload.cjs',
  bounds: { x: 40, y: 60, width: 1300, height: 850 },
  dark: false,
  title: 'Campaign Planner',
};

describe('createWindowOptions', () => {
  it('turns on every isolation switch and turns off everything that would reach Node', () => {
    const { webPreferences } = createWindowOptions(base);
    expect(webPreferences).toEqual({
      preload: '/app/dist/main/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    });
  });

  it('stays hidden until the first paint and uses the saved bounds', () => {
    const options = createWindowOptions(base);
    expect(options.show).toBe(false);
    expect(options).toMatchObject({ x: 40, y: 60, width: 1300, height: 850, title: 'Campaign Planner' });
    expect(options.center).toBeUndefined();
  });

  it('centres the window when no position is known', () => {
    const options = createWindowOptions({ ...base, bounds: { width: 1280, height: 800 } });
    expect(options.center).toBe(true);
    expect(options.x).toBeUndefined();
    expect(options.y).toBeUndefined();
  });

  it('never opens below the minimum size', () => {
    const options = createWindowOptions({ ...base, bounds: { x: 0, y: 0, width: 200, height: 100 } });
    expect(options.width).toBe(MIN_WINDOW_SIZE.width);
    expect(options.height).toBe(MIN_WINDOW_SIZE.height);
    expect(options.minWidth).toBe(MIN_WINDOW_SIZE.width);
    expect(options.minHeight).toBe(MIN_WINDOW_SIZE.height);
  });

  it('paints the background of the current theme before the page does', () => {
    expect(createWindowOptions({ ...base, dark: true }).backgroundColor).toBe(BACKGROUND_COLORS.dark);
    expect(createWindowOptions({ ...base, dark: false }).backgroundColor).toBe(BACKGROUND_COLORS.light);
  });

  it('sets the icon only when one is given', () => {
    expect(createWindowOptions(base).icon).toBeUndefined();
    expect(createWindowOptions({ ...base, iconPath: '/app/assets/icon.png' }).icon).toBe('/app/assets/icon.png');
  });
});
