/** The HTML analysis report: every figure, escaped user text, nothing to load, the chart, the SRM warning only when it applies. */
import { describe, expect, it } from 'vitest';
import { differenceText, incrementalText, intervalText, pValueText } from '../../../shared/analytics/analysis-text';
import { analysisHtml } from '../../../shared/analytics/report-html';
import { AnalysisResult } from '../../../shared/contract/analytics';
import { formatChange, formatCount, formatShare, formatValue } from '../../../shared/format';
import { analysisFixture, analysisFixtureWithSrmMismatch, FIXTURE_CAMPAIGN_NAME } from '../../helpers/analysis-fixture';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
/** The text a reader sees in a piece of the page: tags dropped, entities read. */
const textOf = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!).replace(/\s+/g, ' ');

/** The markup of the element with this id (tables, sections: no nesting of the same tag inside). */
function part(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  expect(start, `#${id} is on the page`).toBeGreaterThan(-1);
  const open = html.lastIndexOf('<', start);
  const tag = /^<(\w+)/.exec(html.slice(open))![1]!;
  const end = html.indexOf(`</${tag}>`, start);
  return html.slice(open, end + tag.length + 3);
}

/** The cells of each body row of a table. */
function rows(html: string, id: string): string[][] {
  const body = part(html, id);
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].slice(1).map((m) => [...m[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => textOf(c[1]!).trim()));
}

describe('the HTML analysis report', () => {
  const result = analysisFixture();
  const html = analysisHtml(result);

  it('is one page that loads nothing: a CSP forbidding the network, no script, link, frame, image file or URL', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:;`);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/(^|[\s"'(=])\/\/\S/m);
    expect(html).not.toMatch(/<(script|link|iframe|object|embed|img|base|form)\b/i);
    expect(html).not.toMatch(/\s(src|href|xlink:href|srcset|action)\s*=/i);
    expect(html).not.toMatch(/url\(|@import|@font-face/i);
  });

  it('escapes every text that comes from users', () => {
    const hostile = AnalysisResult.parse({
      ...result,
      campaignName: '</title><script>alert(1)</script>',
      strata: result.strata.map((s, i) => (i === 0 ? { ...s, label: '<img src=x onerror=alert(1)>' } : s)),
      lcgAge: { ...result.lcgAge, rows: [{ ...result.lcgAge.rows[0]!, field: '"><svg onload=alert(1)>' }] },
      warnings: [{ kind: 'partial', text: "<a href='x'>click</a>" }],
      summary: '<style>body{display:none}</style>',
    });
    const page = analysisHtml(hostile);
    expect(page).not.toMatch(/<script|<img|<a |<svg onload|<style>body/i);
    expect(page).toContain('&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(textOf(part(page, 'strata-table'))).toContain('<img src=x onerror=alert(1)>');
    expect(textOf(part(page, 'drift-table'))).toContain('"><svg onload=alert(1)>');
    // The fixture's own name, with markup and quotes in it, reads back as typed.
    expect(textOf(html)).toContain(`Campaign analysis: ${FIXTURE_CAMPAIGN_NAME}`);
    expect(html).not.toContain('<b>');
  });

  it('shows every group figure', () => {
    const table = rows(html, 'groups-table');
    expect(table.map((r) => r[0])).toEqual(['Test', 'LCG', 'GCG']);
    result.groups.forEach((g, i) => {
      expect(table[i]).toEqual([
        table[i]![0],
        formatCount(g.profiles),
        formatCount(g.withOutcome),
        formatCount(g.missing),
        formatCount(g.partial),
        formatShare(g.mean!),
        formatCount(g.sum),
        formatValue(g.variance!),
      ]);
    });
  });

  it('shows the uplift: absolute and relative with their intervals and p-values, Newcombe, the statistic, the incremental conversions', () => {
    const u = result.uplift!;
    const text = textOf(part(html, 'uplift-table'));
    expect(text).toContain(differenceText(true, u.absolute.estimate));
    expect(text).toContain(intervalText(true, u.absolute.low, u.absolute.high));
    expect(text).toContain(`p-value (two proportions, pooled z-test) ${pValueText(u.absolute.p)}`);
    expect(text).toContain(`z = ${u.statistic.toFixed(3)}`);
    expect(text).toContain(intervalText(true, u.newcombe![0], u.newcombe![1]));
    expect(text).toContain(`${formatChange(u.relative!.estimate)} (${formatChange(u.relative!.low)} to ${formatChange(u.relative!.high)})`);
    expect(text).toContain(`p-value of the relative uplift ${pValueText(u.relative!.p)}`);
    expect(text).toContain(incrementalText(result, u.incremental));
    expect(text).toMatch(/conversions \(95 % interval −?\+?[\d,]+ to \+[\d,]+\)/);
    // The headline and the marketer's sentence.
    expect(textOf(part(html, 'summary'))).toContain(result.summary);
    expect(textOf(part(html, 'summary'))).toContain(differenceText(true, u.absolute.estimate));
  });

  it('shows the post-stratified and CUPED estimates next to the plain one, with CUPED’s θ, ρ and variance kept', () => {
    const table = rows(html, 'estimates-table');
    expect(table.map((r) => r[0])).toEqual(['Plain', 'Post-stratified', 'CUPED']);
    const estimates = [result.uplift!.absolute, result.postStratified!, result.cuped!.estimate];
    estimates.forEach((e, i) => {
      expect(table[i]![2]).toBe(differenceText(true, e.estimate));
      expect(table[i]![3]).toBe(intervalText(true, e.low, e.high));
      expect(table[i]![5]).toBe(pValueText(e.p));
    });
    const cuped = textOf(part(html, 'cuped-table'));
    expect(cuped).toContain(formatValue(result.cuped!.theta));
    expect(cuped).toContain(formatValue(result.cuped!.rho));
    expect(cuped).toContain(formatShare(result.cuped!.varianceFactor));
    expect(cuped).toContain(formatCount(result.cuped!.profiles));
  });

  it('shows the sample ratio check for all profiles and those with an outcome', () => {
    const table = rows(html, 'srm-table');
    expect(table).toHaveLength(2);
    expect(table[0]!.slice(0, 3)).toEqual(['All profiles', '9,000', '1,000']);
    expect(table[0]![5]).toBe(result.srm!.chiSquare.toFixed(3));
    expect(table[0]![6]).toBe(pValueText(result.srm!.p));
    expect(table[0]![7]).toBe('As planned');
    expect(table[1]!.slice(0, 3)).toEqual(['Profiles with an outcome', '8,950', '995']);
  });

  it('marks the strata too small to say anything, and only those', () => {
    const strata = part(html, 'strata-table');
    const table = rows(html, 'strata-table');
    expect(table.map((r) => r[0])).toEqual(result.strata.map((s) => s.label));
    expect([...strata.matchAll(/<tr class="too-small">/g)]).toHaveLength(1);
    expect(table[2]![8]).toBe('Too small to say anything');
    expect(table[0]![8]).toBe('');
    const first = result.strata[0]!;
    expect(table[0]!.slice(1, 8)).toEqual([
      formatCount(first.testProfiles),
      formatCount(first.lcgProfiles),
      formatShare(first.meanTest!),
      formatShare(first.meanLcg!),
      differenceText(true, first.uplift!.estimate),
      intervalText(true, first.uplift!.low, first.uplift!.high),
      pValueText(first.uplift!.p),
    ]);
  });

  it('draws the cumulative uplift by day as an inline SVG chart: line, interval band, sequential band, zero line, axis titles, title and description', () => {
    const svg = part(html, 'daily-chart');
    expect(svg).toMatch(/^<svg id="daily-chart"[^>]* role="img" aria-labelledby="daily-chart-title daily-chart-desc"/);
    expect(svg).toContain('<title id="daily-chart-title">');
    expect(textOf(svg)).toContain('percentage points');
    expect(svg).toContain('Day on the project clock');
    expect(svg).toMatch(/<polyline class="chart-line" points="[\d., ]+"\/>/);
    // One band per run of days with an uplift; the first day has none, so one run of 13.
    expect([...svg.matchAll(/<polygon class="chart-band" points="([^"]+)"/g)].map((m) => m[1]!.split(' ').length)).toEqual([26]);
    expect(svg).toContain('<polygon class="chart-seq"');
    expect(svg).toContain('<line class="chart-zero"');
    expect([...svg.matchAll(/<circle class="chart-dot"/g)]).toHaveLength(13);
    const last = result.daily.at(-1)!;
    expect(textOf(part(html, 'daily-chart-desc'))).toContain(intervalText(true, last.uplift!.low, last.uplift!.high));
    expect(textOf(part(html, 'peeking-note'))).toMatch(/every day.*false positives/);
    expect(rows(html, 'daily-table')).toHaveLength(result.daily.length);
    expect(rows(html, 'daily-table')[13]![6]).toBe(intervalText(true, last.sequential![0], last.sequential![1]));
  });

  it('shows the GCG comparison, the LCG’s age and its drift with the imbalanced rows marked, and the warnings', () => {
    const gcg = textOf(part(html, 'gcg'));
    expect(gcg).toContain('Reached 10,400');
    expect(gcg).toContain(intervalText(true, result.gcg!.uplift!.absolute.low, result.gcg!.uplift!.absolute.high));
    const age = textOf(part(html, 'lcg-age'));
    expect(age).toContain('held out since Thu 16 Apr 2026, 10:00: 15 days');
    const drift = part(html, 'drift-table');
    expect([...drift.matchAll(/<tr class="flagged">/g)]).toHaveLength(1);
    expect(rows(html, 'drift-table')[1]).toEqual(['city', 'Moscow', '0.6200', '0.5600', '0.1220', 'Imbalanced: |SMD| > 0.1']);
    const warnings = textOf(part(html, 'warnings'));
    for (const w of result.warnings) expect(warnings).toContain(w.text);
  });

  it('shows the sample ratio warning above the results only when the groups are not the sizes planned', () => {
    expect(html).not.toContain('id="srm-warning"');
    const page = analysisHtml(analysisFixtureWithSrmMismatch());
    const warning = page.indexOf('id="srm-warning"');
    expect(warning).toBeGreaterThan(-1);
    expect(warning).toBeLessThan(page.indexOf('id="summary"'));
    expect(warning).toBeLessThan(page.indexOf('id="groups"'));
    const text = textOf(part(page, 'srm-warning'));
    expect(text).toContain('not the sizes the split planned');
    expect(text).toContain('where the split planned 10 %');
    expect(text).toMatch(/less than once in a thousand.*biased/);
    expect(rows(page, 'srm-table')[0]![7]).toBe('Mismatch');
    // Its warning is the block, not repeated in the list below.
    expect(textOf(part(page, 'warnings'))).not.toContain('not the sizes the split planned');
  });

  it('reads in dark mode too, and says in words what it cannot show', () => {
    expect(html).toContain('@media (prefers-color-scheme: dark)');
    const bare = AnalysisResult.parse({ ...result, uplift: null, postStratified: null, cuped: null, covariate: null, covariateLabel: null, strata: [], daily: [], gcg: null, lcgAge: { since: null, days: null, rows: [] }, warnings: [] });
    const page = analysisHtml(bare);
    expect(page).not.toContain('<svg');
    expect(textOf(page)).toContain('There is no uplift to show');
    expect(textOf(page)).toContain('no CUPED estimate (no covariate was chosen)');
    expect(textOf(page)).toContain('The campaign is not stratified');
    expect(textOf(page)).toContain('The LCG has not been formed yet');
    expect(page).not.toContain('id="warnings"');
  });
});
