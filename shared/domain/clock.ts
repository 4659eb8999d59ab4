/**
 * The project clock: a naive local date-time "YYYY-MM-DDTHH:mm" with no time zone, so a
 * plan means the same moment on every machine that opens it.
 */
export type ClockTime = string;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The wall-clock moment as read on this machine, to start a new project's clock. */
export function clockTimeFromLocalDate(date: Date): ClockTime {
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

export function isClockTime(value: string): value is ClockTime {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) return false;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi
  );
}

/**
 * Clock arithmetic in whole minutes since 1970-01-01T00:00 of the naive clock (UTC as a
 * stand-in: the clock has no time zone, so no DST either).
 */
export const clockMinutes = (clock: ClockTime): number => Date.parse(`${clock}:00Z`) / 60_000;

/** The clock time at `minutes` since 1970-01-01T00:00 (clockMinutes' inverse). */
export const clockAtMinutes = (minutes: number): ClockTime => new Date(minutes * 60_000).toISOString().slice(0, 16);

/** The clock time `minutes` later (earlier when negative). */
export function addMinutes(clock: ClockTime, minutes: number): ClockTime {
  return clockAtMinutes(clockMinutes(clock) + minutes);
}

/** Whole minutes from `from` to `to`. */
export function minutesBetween(from: ClockTime, to: ClockTime): number {
  return clockMinutes(to) - clockMinutes(from);
}
