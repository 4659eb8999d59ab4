/**
 * When an updatable segment is recalculated (issue 10; the project clock runs it in issue
 * 11): every N hours, daily at a time, weekly on chosen weekdays at a time, or monthly on
 * a day at a time. One text form for the CLI and files ("weekly mon,thu 10:00"), parsed
 * with located errors, printed back canonically, and the due times on the project clock
 * (naive "YYYY-MM-DDTHH:MM", shared/domain/clock.ts).
 */
import { clockAtMinutes, clockMinutes, isClockTime, type ClockTime } from './clock';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type Schedule =
  /** Every `hours` hours from the schedule's start (its anchor). */
  | { readonly kind: 'hourly'; readonly hours: number }
  | { readonly kind: 'daily'; readonly time: string }
  | { readonly kind: 'weekly'; readonly weekdays: readonly Weekday[]; readonly time: string }
  /** On `day` of each month; a month without that day runs on its last day. */
  | { readonly kind: 'monthly'; readonly day: number; readonly time: string };

export type ScheduleReading = { readonly ok: true; readonly schedule: Schedule } | { readonly ok: false; readonly problem: string; readonly at: number };

const WEEKDAY_NAMES: Readonly<Record<Weekday, string>> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };
const LONG_WEEKDAY = new Map<string, Weekday>(WEEKDAYS.flatMap((w) => [[w, w] as [string, Weekday], [WEEKDAY_NAMES[w].toLowerCase(), w] as [string, Weekday]]));

/** The forms a schedule is written in, for messages. */
export const SCHEDULE_FORMS = '"every 6 hours", "daily 09:00", "weekly mon,thu 10:00" or "monthly 1 08:00"';

/**
 * Reads a schedule: `every N hours` (1-168), `daily HH:MM`, `weekly DAY[,DAY...] HH:MM`
 * (mon … sun, or the full names), `monthly D HH:MM` (1-31). Case and extra spaces do not
 * matter. A refusal says what is wrong and where (`at`: the 0-based position in the text).
 */
export function parseSchedule(text: string): ScheduleReading {
  const tokens = [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0].toLowerCase(), at: m.index }));
  const refuse = (problem: string, at: number): ScheduleReading => ({ ok: false, problem, at });
  const end = text.length;
  const [head, ...rest] = tokens;
  if (!head) return refuse(`Type a schedule, such as ${SCHEDULE_FORMS}.`, 0);
  const extra = (n: number) => (rest.length > n ? refuse(`Unexpected "${rest[n]!.text}" after the schedule.`, rest[n]!.at) : null);
  const timeAt = (i: number, what: string) => {
    const token = rest[i];
    if (!token) return { error: refuse(`Give the time ${what}, such as 10:00.`, end) };
    const time = readTime(token.text);
    return time === null ? { error: refuse(`"${token.text}" is not a time: use HH:MM, from 00:00 to 23:59.`, token.at) } : { time };
  };
  switch (head.text) {
    case 'every': {
      const count = rest[0];
      if (!count) return refuse('Give the number of hours, such as "every 6 hours".', end);
      const hours = /^\d+$/.test(count.text) ? Number(count.text) : NaN;
      if (!(hours >= 1 && hours <= 168)) return refuse(`"${count.text}" is not a number of hours from 1 to 168.`, count.at);
      const unit = rest[1];
      if (!unit || !/^hours?$/.test(unit.text)) return refuse('Write "hours" after the number, as in "every 6 hours".', unit?.at ?? end);
      return extra(2) ?? { ok: true, schedule: { kind: 'hourly', hours } };
    }
    case 'daily': {
      const t = timeAt(0, 'of day');
      if ('error' in t) return t.error!;
      return extra(1) ?? { ok: true, schedule: { kind: 'daily', time: t.time } };
    }
    case 'weekly': {
      const days = rest[0];
      if (!days) return refuse('Give the weekdays, such as "weekly mon,thu 10:00".', end);
      const weekdays: Weekday[] = [];
      let offset = days.at;
      for (const name of days.text.split(',')) {
        const day = LONG_WEEKDAY.get(name);
        if (!day) return refuse(`"${name}" is not a weekday: use mon, tue, wed, thu, fri, sat or sun.`, offset);
        if (!weekdays.includes(day)) weekdays.push(day);
        offset += name.length + 1;
      }
      const t = timeAt(1, 'on those days');
      if ('error' in t) return t.error!;
      weekdays.sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
      return extra(2) ?? { ok: true, schedule: { kind: 'weekly', weekdays, time: t.time } };
    }
    case 'monthly': {
      const dayToken = rest[0];
      if (!dayToken) return refuse('Give the day of the month, such as "monthly 1 08:00".', end);
      const day = /^\d+$/.test(dayToken.text) ? Number(dayToken.text) : NaN;
      if (!(day >= 1 && day <= 31)) return refuse(`"${dayToken.text}" is not a day of the month from 1 to 31.`, dayToken.at);
      const t = timeAt(1, 'on that day');
      if ('error' in t) return t.error!;
      return extra(2) ?? { ok: true, schedule: { kind: 'monthly', day, time: t.time } };
    }
    default:
      return refuse(`"${head.text}" does not start a schedule: write ${SCHEDULE_FORMS}.`, head.at);
  }
}

/** "9:05" or "09:05" → "09:05"; null when not a time of day. */
function readTime(text: string): string | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const [h, m] = [Number(match[1]), Number(match[2])];
  return h <= 23 && m <= 59 ? `${String(h).padStart(2, '0')}:${match[2]}` : null;
}

/** The canonical text of a schedule: parseSchedule(printSchedule(s)) gives s back. */
export function printSchedule(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'hourly':
      return `every ${schedule.hours} ${schedule.hours === 1 ? 'hour' : 'hours'}`;
    case 'daily':
      return `daily ${schedule.time}`;
    case 'weekly':
      return `weekly ${schedule.weekdays.join(',')} ${schedule.time}`;
    case 'monthly':
      return `monthly ${schedule.day} ${schedule.time}`;
  }
}

/** For people: "Every Monday and Thursday at 10:00", "On day 31 of each month (or its last day) at 08:00". */
export function describeSchedule(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'hourly':
      return schedule.hours === 1 ? 'Every hour' : `Every ${schedule.hours} hours`;
    case 'daily':
      return `Every day at ${schedule.time}`;
    case 'weekly': {
      const names = schedule.weekdays.map((d) => WEEKDAY_NAMES[d]);
      const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
      return `Every ${list} at ${schedule.time}`;
    }
    case 'monthly':
      return `On day ${schedule.day} of each month${schedule.day > 28 ? ' (or its last day)' : ''} at ${schedule.time}`;
  }
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The first time the schedule falls due strictly after `after`. `anchor` is where an
 * "every N hours" schedule counts from (the segment's start); the others ignore it.
 */
export function nextDue(schedule: Schedule, after: ClockTime, anchor: ClockTime): ClockTime {
  if (!isClockTime(after) || !isClockTime(anchor)) throw new RangeError(`Not a clock time: ${isClockTime(after) ? anchor : after}.`);
  const now = clockMinutes(after);
  if (schedule.kind === 'hourly') {
    const step = schedule.hours * 60;
    const start = clockMinutes(anchor);
    if (now < start) return anchor;
    return clockAtMinutes(start + (Math.floor((now - start) / step) + 1) * step);
  }
  const [h, m] = schedule.time.split(':').map(Number) as [number, number];
  const day = after.slice(0, 10);
  // Each candidate day from `after`'s date on, at the schedule's time: the first one that fits and is later.
  for (let offset = 0; offset <= 62; offset += 1) {
    const date = new Date(Date.parse(`${day}T00:00:00Z`) + offset * 86_400_000);
    const [y, mo, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    const fits =
      schedule.kind === 'daily' ||
      (schedule.kind === 'weekly' && schedule.weekdays.includes(WEEKDAYS[(date.getUTCDay() + 6) % 7]!)) ||
      (schedule.kind === 'monthly' && d === Math.min(schedule.day, daysIn(y, mo)));
    if (!fits) continue;
    const due = clockMinutes(`${date.toISOString().slice(0, 10)}T00:00`) + h * 60 + m;
    if (due > now) return clockAtMinutes(due);
  }
  throw new Error('nextDue: no due time within two months');
}

/** Every time the schedule falls due in (from, to], in order, at most `limit` of them. */
export function dueBetween(schedule: Schedule, from: ClockTime, to: ClockTime, anchor: ClockTime, limit = 10_000): ClockTime[] {
  const times: ClockTime[] = [];
  let at = from;
  while (times.length < limit) {
    const next = nextDue(schedule, at, anchor);
    if (next > to) break;
    times.push(next);
    at = next;
  }
  return times;
}
