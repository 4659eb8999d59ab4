import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where Electron keeps "userData" for this app; browser mode and the CLI share it. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.CPLAN_DATA_DIR) return env.CPLAN_DATA_DIR;
  const home = homedir();
  const product = 'Campaign Planner';
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), product);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', product);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), product);
}
