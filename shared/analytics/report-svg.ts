/**
 * The cumulative uplift by day as an inline SVG chart for the HTML report: the estimate as a
 * line, its interval as a band, the wider sequential band (for looking every day) behind it,
 * and the zero line. Colours come from the page's CSS classes (light and dark); the chart
 * has a title and a description for screen readers, and no link or font to load.
 */
import type { DailyUplift } from '../contract/analytics';
import { confidenceText, differenceText, intervalText } from './analysis-text';
import { el, escapeHtml, raw, type Markup } from './report-markup';

const WIDTH = 720;
const HEIGHT = 320;
const MARGIN = { left: 70, right: 20, top: 40, bottom: 58 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const MAX_X_LABELS = 7;
/** Pixels between two day labels at least ("30 Apr" is about 36 wide). */
const MIN_X_LABEL_GAP = 56;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-04-17" → "17 Apr". */
function dayLabel(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  return match ? `${Number(match[3])} ${MONTHS[Number(match[2]) - 1] ?? match[2]}` : day;
}

/** Tick values covering [min, max] at a step of 1, 2 or 5 × 10^k, about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const span = max - min;
  if (!(span > 0)) return [min];
  const rough = span / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power);
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return ticks;
}

interface Point {
  readonly x: number;
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly seq: readonly [number, number] | null;
}

/** Consecutive days with an uplift: a day without one breaks the line and the bands. */
function runs(points: readonly (Point | null)[]): Point[][] {
  const out: Point[][] = [];
  let current: Point[] = [];
  for (const p of points) {
    if (p === null) {
      if (current.length > 0) out.push(current);
      current = [];
    } else current.push(p);
  }
  if (current.length > 0) out.push(current);
  return out;
}

const f = (x: number) => x.toFixed(1);

function band(run: readonly Point[], upper: (p: Point) => number, lower: (p: Point) => number, y: (v: number) => number, className: string): string {
  if (run.length === 1) {
    const p = run[0]!;
    return `<line class="${className}-tick" x1="${f(p.x)}" x2="${f(p.x)}" y1="${f(y(upper(p)))}" y2="${f(y(lower(p)))}"/>`;
  }
  const top = run.map((p) => `${f(p.x)},${f(y(upper(p)))}`);
  const bottom = [...run].reverse().map((p) => `${f(p.x)},${f(y(lower(p)))}`);
  return `<polygon class="${className}" points="${[...top, ...bottom].join(' ')}"/>`;
}

/** The chart of `daily` (values of a binary metric drawn in percentage points). */
export function dailyUpliftChart(daily: readonly DailyUplift[], binary: boolean, confidence: number): Markup {
  const scale = binary ? 100 : 1;
  const n = daily.length;
  const xOf = (i: number) => MARGIN.left + (n === 1 ? PLOT_W / 2 : (i / (n - 1)) * PLOT_W);
  const points = daily.map((d, i): Point | null =>
    d.uplift === null
      ? null
      : { x: xOf(i), estimate: d.uplift.estimate * scale, low: d.uplift.low * scale, high: d.uplift.high * scale, seq: d.sequential ? [d.sequential[0] * scale, d.sequential[1] * scale] : null },
  );
  const shown = points.filter((p): p is Point => p !== null);
  if (shown.length === 0) {
    return el('p', { class: 'note', id: 'daily-chart-empty' }, 'No day has an uplift yet (a group has no profile with an outcome), so there is no chart.');
  }
  const values = shown.flatMap((p) => [p.low, p.high, ...(p.seq ?? [])]);
  let min = Math.min(0, ...values);
  let max = Math.max(0, ...values);
  const pad = (max - min) * 0.05 || 1;
  min -= pad;
  max += pad;
  const ticks = niceTicks(min, max, 6);
  min = Math.min(min, ticks[0] ?? min);
  max = Math.max(max, ticks[ticks.length - 1] ?? max);
  const y = (v: number) => MARGIN.top + ((max - v) / (max - min)) * PLOT_H;

  const parts: string[] = [];
  const yTitle = binary ? 'Cumulative uplift, percentage points' : 'Cumulative uplift of the mean';
  // Grid and y axis labels.
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : 1;
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  for (const t of ticks) {
    parts.push(`<line class="chart-grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${f(y(t))}" y2="${f(y(t))}"/>`);
    const text = Math.abs(t).toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    const label = t === 0 ? '0' : `${t < 0 ? '−' : '+'}${text}`;
    parts.push(`<text class="chart-text" x="${MARGIN.left - 8}" y="${f(y(t) + 4)}" text-anchor="end">${escapeHtml(label)}</text>`);
  }
  // X labels: about MAX_X_LABELS of them; the last day too, when it does not crowd the one before.
  const every = Math.max(1, Math.ceil(n / MAX_X_LABELS));
  const gap = n > 1 ? PLOT_W / (n - 1) : PLOT_W;
  for (let i = 0; i < n; i += 1) {
    const last = i === n - 1;
    if (i % every !== 0 && !(last && ((n - 1) % every) * gap >= MIN_X_LABEL_GAP)) continue;
    parts.push(`<text class="chart-text" x="${f(xOf(i))}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle">${escapeHtml(dayLabel(daily[i]!.day))}</text>`);
  }
  parts.push(`<text class="chart-title" x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 10}" text-anchor="middle">Day on the project clock (end of day)</text>`);
  parts.push(`<text class="chart-title" transform="translate(16 ${MARGIN.top + PLOT_H / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(yTitle)}</text>`);
  // Bands, the zero line, then the estimate on top.
  const groups = runs(points);
  for (const run of groups) {
    const withSeq = run.filter((p) => p.seq !== null);
    if (withSeq.length > 0) {
      for (const part of runs(run.map((p) => (p.seq === null ? null : p)))) parts.push(band(part, (p) => p.seq![1], (p) => p.seq![0], y, 'chart-seq'));
    }
  }
  for (const run of groups) parts.push(band(run, (p) => p.high, (p) => p.low, y, 'chart-band'));
  parts.push(`<line class="chart-zero" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${f(y(0))}" y2="${f(y(0))}"/>`);
  parts.push(`<line class="chart-axis" x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_H}"/>`);
  parts.push(`<line class="chart-axis" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + PLOT_H}" y2="${MARGIN.top + PLOT_H}"/>`);
  for (const run of groups) {
    if (run.length > 1) parts.push(`<polyline class="chart-line" points="${run.map((p) => `${f(p.x)},${f(y(p.estimate))}`).join(' ')}"/>`);
    for (const p of run) parts.push(`<circle class="chart-dot" cx="${f(p.x)}" cy="${f(y(p.estimate))}" r="2.5"/>`);
  }
  parts.push(legend(shown.some((p) => p.seq !== null), confidence));

  const lastDay = [...daily].reverse().find((d) => d.uplift !== null)!;
  const title = 'Cumulative uplift of Test over the LCG by day';
  const desc =
    `The uplift counted over the profiles whose window had begun by the end of each day, from ${dayLabel(daily[0]!.day)} to ${dayLabel(daily[n - 1]!.day)}, ` +
    `with its ${confidenceText(confidence)} interval as a band${shown.some((p) => p.seq !== null) ? ' and the wider interval for looking every day behind it' : ''}. ` +
    `On ${dayLabel(lastDay.day)}: ${differenceText(binary, lastDay.uplift!.estimate)} (${intervalText(binary, lastDay.uplift!.low, lastDay.uplift!.high)}).`;
  return raw(
    `<svg id="daily-chart" class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="daily-chart-title daily-chart-desc">` +
      `<title id="daily-chart-title">${escapeHtml(title)}</title><desc id="daily-chart-desc">${escapeHtml(desc)}</desc>${parts.join('')}</svg>`,
  );
}

/** The key, along the top: line, interval, sequential interval, zero. */
function legend(withSequential: boolean, confidence: number): string {
  const items: [string, string][] = [
    ['line', 'Uplift'],
    ['band', `${confidenceText(confidence)} interval`],
    ...(withSequential ? ([['seq', 'Interval for looking every day']] as [string, string][]) : []),
    ['zero', 'No effect'],
  ];
  let x = MARGIN.left;
  const out: string[] = [];
  for (const [kind, label] of items) {
    const swatch =
      kind === 'line' || kind === 'zero'
        ? `<line class="chart-${kind}" x1="${x}" x2="${x + 18}" y1="14" y2="14"/>`
        : `<rect class="chart-${kind}" x="${x}" y="8" width="18" height="12"/>`;
    out.push(`${swatch}<text class="chart-text" x="${x + 24}" y="18">${escapeHtml(label)}</text>`);
    x += 24 + label.length * 6.6 + 18;
  }
  return `<g class="chart-legend">${out.join('')}</g>`;
}
