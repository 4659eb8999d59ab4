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

/** The clock time `minutes` later (earlier when negative); the clock has no time zone, so no DST either. */
export function addMinutes(clock: ClockTime, minutes: number): ClockTime {
  const date = new Date(Date.parse(`${clock}:00Z`) + minutes * 60_000);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}
