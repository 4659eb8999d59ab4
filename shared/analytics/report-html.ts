/**
 * An analysis as one self-contained HTML page (`analytics/report`, format html): every
 * figure of the analysis, its tables and the chart of the uplift by day as inline SVG. It
 * opens offline in any browser and loads nothing: its Content-Security-Policy forbids every
 * network load (inline styles and data: images only), it has no script, link, font or image
 * file, and every text in it is escaped (names come from users).
 */
import type { AnalysisResult } from '../contract/analytics';
import { formatClock, formatCount, formatShare, formatValue } from '../format';
import { APP_VERSION } from '../version';
import { printMetric } from './metric-text';
import { dailySection, gcgSection, lcgAgeSection, srmSection, srmWarning, warningsSection } from './report-checks';
import { el, escapeHtml, join, type Markup } from './report-markup';
import { estimatesSection, groupsSection, strataSection, summarySection, upliftSection } from './report-results';
import { REPORT_CSS } from './report-style';

/** The page's policy: nothing from anywhere, except its own inline styles and data: images. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** An instant ("2026-04-30T08:15:00.000Z") as people read it: "2026-04-30 08:15 UTC". */
function instantText(instant: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(instant);
  return match ? `${match[1]} ${match[2]}${instant.endsWith('Z') ? ' UTC' : ''}` : instant;
}

function header(result: AnalysisResult): Markup {
  const rows: [string, string][] = [
    ['Metric', result.metricLabel],
    ['Written as', printMetric(result.metric)],
    ['Covariate (CUPED)', result.covariate ? `${result.covariateLabel ?? ''} (${printMetric(result.covariate)})` : 'none'],
    ['Project clock', `${formatClock(result.clock)}: events after it do not exist yet`],
    ['Analysed', instantText(result.analyzedAt)],
    ['Planned LCG share', formatShare(result.plannedLcgShare)],
    ['Confidence', formatShare(result.confidence)],
  ];
  return el(
    'header',
    {},
    el('h1', {}, `Campaign analysis: ${result.campaignName}`),
    el('dl', { class: 'meta' }, ...rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)])),
  );
}

function footer(result: AnalysisResult): Markup {
  const duration = result.durationMs >= 1000 ? `${formatValue(result.durationMs / 1000)} s` : `${formatCount(Math.round(result.durationMs))} ms`;
  return el('footer', {}, `Made by Campaign Planner ${APP_VERSION} from the analysis of ${instantText(result.analyzedAt)} (computed in ${duration}). This file loads nothing from the network.`);
}

/** The whole page. */
export function analysisHtml(result: AnalysisResult): string {
  const parts = [
    header(result),
    srmWarning(result),
    summarySection(result),
    warningsSection(result),
    groupsSection(result),
    upliftSection(result),
    estimatesSection(result),
    srmSection(result),
    strataSection(result),
    dailySection(result),
    gcgSection(result),
    lcgAgeSection(result),
    footer(result),
  ].filter((p): p is Markup => p !== null);
  const title = `Campaign analysis: ${result.campaignName} (${result.metricLabel})`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(REPORT_CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    el('main', {}, join(parts)).html,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

