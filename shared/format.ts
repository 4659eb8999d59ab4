/** Formatting shared by the UI, the CLI and engine messages, so they all read the same. */

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** "1 234 567"-style grouping with thin spaces is hard to copy; plain commas it is. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** The project clock as people read it: "Sun 29 Nov 2026, 16:28". */
export function formatClock(clock: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(clock);
  if (!match) return clock;
  const [, y, mo, d, h, mi] = match;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][date.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
    Number(mo) - 1
  ];
  return `${weekday} ${Number(d)} ${month} ${y}, ${h}:${mi}`;
}

/** A file name without its folder, for either path separator. */
export function fileNameOf(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}
