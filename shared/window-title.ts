import type { ProjectState } from './contract/project';
import { APP_NAME } from './version';

/**
 * The window (or browser tab) title for a project state: "Spring plan — spring.cplan •
 * (unsaved) — Campaign Planner". The app name stays at the end so task bars and window
 * switchers, which cut long titles, still show the project first.
 */
export function windowTitle(state: ProjectState, appName: string = APP_NAME): string {
  if (!state.open) return appName;
  let title = `${state.name} — ${state.fileName ?? 'not saved yet'}`;
  if (state.recovered) title += ' (recovered)';
  if (state.dirty) title += ' • (unsaved)';
  return `${title} — ${appName}`;
}
