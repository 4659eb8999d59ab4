/**
 * `analytics/report`: a kept analysis written as HTML or CSV, exactly what the report
 * builders give for it, atomically, refused onto an existing file unless overwrite (the
 * exports' rule and error) and onto a folder.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysisCsv } from '../../../../shared/analytics/report-csv';
import { analysisHtml } from '../../../../shared/analytics/report-html';
import { expectEngineError } from '../../../helpers/engine';
import { addEvents, setClock } from '../conditions/helpers';
import { startCampaignProject } from '../campaigns/helpers';

/** 600 profiles, a 20 % LCG, purchases after entry; one analysis kept. */
async function keptAnalysis() {
  const t = await startCampaignProject([{ name: 'tier', type: 'enum', enumValues: ['gold', 'silver'] }]);
  t.generate(600, { values: { tier: "CASE WHEN i % 3 = 0 THEN 'gold' ELSE 'silver' END" } });
  setClock(t.db(), '2026-01-05T10:00');
  const campaignId = await t.campaign(t.segment('All'), { percent: '20', limit: null, strata: [{ kind: 'values', fieldId: t.field('tier').id }] }, 's', 'Spring <sale> & "=friends"');
  await t.call('campaign/activate', { campaignId });
  const events: [string, string, string, number][] = [];
  for (let i = 1; i <= 600; i += 1) if (i % 4 === 0 || i % 7 === 0) events.push([`p${i}`, 'purchase', '2026-01-08T12:00:00', 10 + (i % 5)]);
  addEvents(t.db(), t.databaseId, events);
  setClock(t.db(), '2026-01-25T10:00');
  const { id } = await t.call('analytics/run', { campaignId, metric: { kind: 'event', measure: 'converted', eventType: 'purchase', days: 14 } });
  return { t, id: id! };
}

describe('analytics/report', () => {
  it('writes the kept analysis as the HTML page and the CSV the report builders give, and nothing else', async () => {
    const { t, id } = await keptAnalysis();
    const { result } = await t.call('analytics/get', { id });
    const folder = join(t.dir, 'out');
    mkdirSync(folder);
    const html = join(folder, 'spring.html');
    const written = await t.call('analytics/report', { id, format: 'html', path: html });
    expect(written).toEqual({ path: html, bytes: readFileSync(html).byteLength });
    expect(readFileSync(html, 'utf8')).toBe(analysisHtml(result));
    expect(readFileSync(html, 'utf8')).toContain('Spring &lt;sale&gt; &amp; &quot;=friends&quot;');

    const csv = join(folder, 'spring.csv');
    await t.call('analytics/report', { id, format: 'csv', path: csv });
    const bytes = readFileSync(csv);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(analysisCsv(result));
    expect(bytes.subarray(3).toString('utf8')).toContain('analysis,campaignName,"Spring <sale> & ""=friends"""\r\n');
    // No temporary file is left beside them.
    expect(readdirSync(folder).sort()).toEqual(['spring.csv', 'spring.html']);
  });

  it('refuses an existing file unless told to replace it, as the exports do, and a folder', async () => {
    const { t, id } = await keptAnalysis();
    const path = join(t.dir, 'report.html');
    writeFileSync(path, 'mine');
    const refused = await expectEngineError(t.call('analytics/report', { id, format: 'html', path }), 'ALREADY_EXISTS');
    expect(refused.message).toBe('"report.html" already exists. Confirm to replace it.');
    expect(readFileSync(path, 'utf8')).toBe('mine');
    await t.call('analytics/report', { id, format: 'html', path, overwrite: true });
    expect(readFileSync(path, 'utf8')).toMatch(/^<!doctype html>/);
    await expectEngineError(t.call('analytics/report', { id, format: 'csv', path: t.dir, overwrite: true }), 'INVALID_ARGUMENT');
  });

  it('says so when there is no such analysis, and writes nothing', async () => {
    const { t, id } = await keptAnalysis();
    const path = join(t.dir, 'none.html');
    await expectEngineError(t.call('analytics/report', { id: id + 1, format: 'html', path }), 'NOT_FOUND');
    expect(existsSync(path)).toBe(false);
  });
});
