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

/** A share for people: 0.057 as "5.7 %" (`digits` decimals, thousands separated). */
export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} %`;
}

/** A relative change for people: 0.13 as "+13 %", -0.05 as "−5 %" (a true minus sign). */
export function formatSignedPercent(fraction: number, digits = 0): string {
  const text = formatPercent(Math.abs(fraction), digits);
  const zero = /^[0.,]+ %$/.test(text);
  return zero ? text : `${fraction < 0 ? '−' : '+'}${text}`;
}

/** A measured value for people: 3 significant digits below 100 (0.0412, 12.3), whole and grouped above (4,940). */
export function formatMeasure(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumSignificantDigits: 3 });
}
