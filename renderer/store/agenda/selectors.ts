import type { AgendaItem } from '../../../shared/contract/clock';
import { formatClock } from '../../../shared/format';
import type { AppState } from '../types';

export const selectAgenda = (state: AppState) => state.agenda;

/** One day of the agenda: its date ("2023-04-10") and its items in time order. */
export interface AgendaDay {
  readonly date: string;
  readonly items: readonly AgendaItem[];
}

/**
 * The agenda as the page shows it: timed items by day, in time order (the engine's order
 * kept within a moment: recalculations, then activations, then runs); what runs on events
 * (no time of its own) apart.
 */
export function agendaGroups(items: readonly AgendaItem[]): { days: AgendaDay[]; onEvents: AgendaItem[] } {
  const timed = items
    .map((item, index) => ({ item, index }))
    .filter((x): x is { item: AgendaItem & { at: string }; index: number } => x.item.at !== null)
    .sort((a, b) => a.item.at.localeCompare(b.item.at) || a.index - b.index)
    .map((x) => x.item);
  const days: AgendaDay[] = [];
  for (const item of timed) {
    const date = item.at.slice(0, 10);
    const last = days[days.length - 1];
    if (last?.date === date) (last.items as AgendaItem[]).push(item);
    else days.push({ date, items: [item] });
  }
  return { days, onEvents: items.filter((i) => i.at === null) };
}

/** "Mon 10 Apr 2023" for a date of the project clock: formatClock's day, without the time. */
export function dayLabel(date: string): string {
  return formatClock(`${date}T00:00`).replace(/, 00:00$/, '');
}

/** The first time on the agenda after `clock`; null when nothing has a time. */
export function nextDueAfter(items: readonly AgendaItem[], clock: string): string | null {
  let next: string | null = null;
  for (const item of items) if (item.at !== null && item.at > clock && (next === null || item.at < next)) next = item.at;
  return next;
}
