import { formatCount } from '../../shared/format';

/** "1 profile", "50,000 profiles"; `plural` for irregular words. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

/** "a", "a and b", "a, b and c". */
export function listText(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Names compare as the engine compares them: without case, in any script ("Город" = "город"). */
export function sameName(a: string, b: string): boolean {
  return a.trim().localeCompare(b.trim(), undefined, { sensitivity: 'accent' }) === 0;
}

/** "950", "1.5k", "50k", "1.2M": a hint where there is no room for the exact number. */
export function compactCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${n < 10_000 ? (n / 1000).toFixed(1).replace(/\.0$/, '') : Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0).replace(/\.0$/, '')}M`;
}

/** "2,655.10": a fractional number with thousands separators and a fixed number of decimals. */
export function decimalText(n: number, digits = 2): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * "At most 100 characters; this has 130 (30 too many)." when the text, trimmed as the
 * engine trims it, is over `max` (the contract's limit); null when it fits. Counted in
 * UTF-16 units, as the engine's schema counts.
 */
export function tooLongProblem(text: string, max: number): string | null {
  const length = text.trim().length;
  return length <= max ? null : `At most ${formatCount(max)} characters; this has ${formatCount(length)} (${formatCount(length - max)} too many).`;
}

/**
 * A parse error's line with a caret under the column, cut to about `width` characters
 * around the caret ("…" where cut): on a long one-line condition the caret would otherwise
 * sit far outside the box, and the excerpt would show a part of the line without the mistake.
 */
export function caretExcerpt(line: string, column: number, width = 80): string {
  const at = Math.max(0, Math.min(column - 1, line.length));
  if (line.length <= width) return `${line}\n${' '.repeat(at)}^`;
  const start = Math.max(0, Math.min(at - Math.floor(width / 2), line.length - width));
  const end = Math.min(line.length, start + width);
  const head = start > 0 ? '…' : '';
  const text = `${head}${line.slice(start, end)}${end < line.length ? '…' : ''}`;
  return `${text}\n${' '.repeat(head.length + at - start)}^`;
}
