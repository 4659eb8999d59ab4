import { parseSchedule, printSchedule, WEEKDAYS, type Schedule, type Weekday } from '../../../shared/domain/schedule';

/** An updatable segment's schedule as the dialog's controls hold it. */
export interface ScheduleDraft {
  readonly kind: Schedule['kind'];
  readonly hours: string;
  /** "HH:MM", as a time input gives it. */
  readonly time: string;
  readonly weekdays: readonly Weekday[];
  readonly day: string;
}

export const DEFAULT_SCHEDULE: ScheduleDraft = { kind: 'weekly', hours: '6', time: '10:00', weekdays: ['mon'], day: '1' };

export const SCHEDULE_KIND_LABELS: Readonly<Record<Schedule['kind'], string>> = {
  hourly: 'Every N hours',
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
};

/**
 * The controls' schedule, read by the one schedule reader (shared/domain/schedule.ts) so the
 * dialog accepts exactly what the engine and the CLI accept; a refusal in its words.
 */
export function scheduleFromDraft(draft: ScheduleDraft): { schedule: Schedule; text: string } | { problem: string } {
  if (draft.kind === 'weekly' && draft.weekdays.length === 0) return { problem: 'Tick at least one weekday.' };
  if (draft.kind === 'hourly' && draft.hours.trim() === '') return { problem: 'Give the number of hours, from 1 to 168.' };
  if (draft.kind === 'monthly' && draft.day.trim() === '') return { problem: 'Give the day of the month, from 1 to 31.' };
  const days = WEEKDAYS.filter((d) => draft.weekdays.includes(d)).join(',');
  const source =
    draft.kind === 'hourly'
      ? `every ${draft.hours.trim()} hours`
      : draft.kind === 'daily'
        ? `daily ${draft.time}`
        : draft.kind === 'weekly'
          ? `weekly ${days} ${draft.time}`
          : `monthly ${draft.day.trim()} ${draft.time}`;
  const read = parseSchedule(source);
  return read.ok ? { schedule: read.schedule, text: printSchedule(read.schedule) } : { problem: read.problem };
}
