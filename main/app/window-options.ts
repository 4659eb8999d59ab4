import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';

export const MIN_WINDOW_SIZE = { width: 960, height: 600 } as const;

/** The renderer's --bg in light and dark (renderer/styles/theme.css): no flash before paint. */
export const BACKGROUND_COLORS = { light: '#f5f6f8', dark: '#15181d' } as const;

export interface WindowOptionsInput {
  /** dist/main/preload.cjs */
  readonly preloadPath: string;
  /** Restored bounds; x and y absent means "centre on the primary display". */
  readonly bounds: Partial<Pick<Rectangle, 'x' | 'y'>> & Pick<Rectangle, 'width' | 'height'>;
  /** nativeTheme.shouldUseDarkColors */
  readonly dark: boolean;
  readonly title: string;
  /** Linux shows it in the task bar; Windows and macOS take the icon from the package. */
  readonly iconPath?: string;
}

/**
 * The one window's options. Every security switch is spelled out, even where it matches
 * Electron's default, so that a future default change or a careless edit shows up in
 * review and in the tests.
 */
export function createWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const { bounds } = input;
  const options: BrowserWindowConstructorOptions = {
    title: input.title,
    width: Math.max(bounds.width, MIN_WINDOW_SIZE.width),
    height: Math.max(bounds.height, MIN_WINDOW_SIZE.height),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    // Shown on 'ready-to-show', once the first frame is painted.
    show: false,
    backgroundColor: input.dark ? BACKGROUND_COLORS.dark : BACKGROUND_COLORS.light,
    webPreferences: {
      preload: input.preloadPath,
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
    },
  };
  if (bounds.x !== undefined && bounds.y !== undefined) {
    options.x = bounds.x;
    options.y = bounds.y;
  } else {
    options.center = true;
  }
  if (input.iconPath !== undefined) options.icon = input.iconPath;
  return options;
}
