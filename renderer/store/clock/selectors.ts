import type { AppState } from '../types';

export const selectClock = (state: AppState): string | null => (state.project.open ? state.project.clock : null);
export const selectLastAdvance = (state: AppState) => state.lastAdvance;

/** The clock moved forward by hours or days: a quick choice in the dialog. */
export function clockPlus(clock: string, minutes: number): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(clock);
  if (!match) return clock;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi + minutes));
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

export function advanceProblem(to: string, clock: string): string | null {
  if (to.trim() === '') return 'Choose a date and time.';
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(to)) return 'Expected a date and time such as 2026-04-10T10:00.';
  if (to <= clock) return 'The project clock only moves forward: choose a later moment.';
  return null;
}
