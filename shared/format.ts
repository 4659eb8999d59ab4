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

/** A share or rate as people read it: "5.0 %", "0.35 %", "0.1 %", "100 %" (one decimal from 1 %, up to two below, none at whole numbers of 10 % and more). */
export function formatShare(fraction: number): string {
  const percent = fraction * 100;
  if (!Number.isFinite(percent)) return '–';
  const digits = Math.abs(percent) >= 10 && Math.abs(percent - Math.round(percent)) < 0.05 ? 0 : Math.abs(percent) >= 1 || percent === 0 ? 1 : 2;
  return `${trimZeros(percent.toFixed(digits), digits > 0 && (Math.abs(percent) >= 10 || Math.abs(percent) < 1))} %`;
}

/** A relative change with its sign: "+13 %", "+5 %", "−2.4 %" (whole numbers from 10 %). */
export function formatChange(fraction: number): string {
  const percent = fraction * 100;
  if (!Number.isFinite(percent)) return '–';
  const digits = Math.abs(percent) >= 10 ? 0 : Math.abs(percent) >= 1 ? 1 : 2;
  const text = trimZeros(Math.abs(percent).toFixed(digits), true);
  return `${percent < 0 && text !== '0' ? '−' : '+'}${text} %`;
}

/** A measured value (a mean, a difference): about four significant digits, grouped: "1,235", "52.30", "0.006436". */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const magnitude = Math.abs(value);
  const digits = magnitude === 0 ? 0 : magnitude >= 1000 ? 0 : magnitude >= 1 ? 2 : Math.min(8, 3 - Math.floor(Math.log10(magnitude)));
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const trimZeros = (text: string, trim: boolean): string => (trim && text.includes('.') ? text.replace(/\.?0+$/, '') : text);

/** A sentence to go inside another: its first letter in lower case ("Every Monday" → "every Monday"). */
export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
