/**
 * The Analytics tab's store on a real engine: a campaign split on the project clock, with
 * purchases after the split; the tab loads the event types and the kept analyses, Analyse
 * runs `analytics/run` and shows exactly what the engine kept, a kept analysis opens again
 * with its metric in the editor, delete asks first, Cancel keeps nothing, reports are
 * written where the save dialog says, and another project drops it all. The outcome file is imported through the
 * open dialog and summarised with its unknown profiles.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addMinutes } from '../../shared/domain/clock';
import { draftFromText } from '../../renderer/store/analytics/form';
import type { StoreHarness } from './helpers/in-process';
import { openState } from './helpers/in-process';
import { activatedProject, answerNext, type Planned } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

const DAY = 24 * 60;

/** 300 profiles, a campaign with an LCG of 20 % by gender, split now; every third profile buys 1 to 10 days later; the clock moves on 20 days. */
async function analysedProject(picks: Record<string, string>): Promise<Planned & { campaignId: number }> {
  const p = await activatedProject(300, 'analytics', { pick: (kind) => picks[kind] ?? null });
  harness = p.h;
  const { client } = p.h.engine;
  const start = openState(p.h).clock;
  const rows = Array.from({ length: 100 }, (_, i) => `P${String(3 * i + 1).padStart(7, '0')},purchase,${addMinutes(start, ((i % 10) + 1) * DAY).replace('T', ' ')},${10 + i}`);
  const path = join(p.h.engine.dir, 'events.csv');
  writeFileSync(path, `id,type,at,amount\n${rows.join('\n')}\n`);
  await client.call('events/import', {
    databaseId: p.databaseId,
    path,
    csv: { encoding: 'utf-8', delimiter: ',', hasHeader: true, decimalSeparator: '.', dateOrder: null },
    mapping: { idColumn: 0, type: { kind: 'column', column: 1 }, timeColumn: 2, amountColumn: 3 },
  });
  await client.call('clock/advance', { to: addMinutes(start, 20 * DAY) });
  await p.h.store.getState().refreshInfo();
  return p;
}

describe('the Analytics tab in the store', () => {
  it('analyses on the metric of the editor and shows what the engine kept; kept analyses open, delete asks first', async () => {
    const picks: Record<string, string> = {};
    const p = await analysedProject(picks);
    const { h, campaignId, databaseId } = p;
    const s = () => h.store.getState();
    const { client } = h.engine;

    await s().openAnalytics(campaignId, databaseId);
    expect(s().analytics).toMatchObject({ campaignId, eventTypes: ['purchase'], saved: [], shown: null, outcomes: null });
    // The database's only conversion type is chosen for the metric.
    expect(s().analytics.form.metric.eventType).toBe('purchase');

    await s().runAnalysis();
    const first = s().analytics.shown;
    expect(s().analytics.runError).toBeNull();
    expect(first?.id).not.toBeNull();
    const kept = await client.call('analytics/get', { id: first!.id! });
    expect(first!.result).toEqual(kept.result);
    expect(kept.result.metric).toEqual({ kind: 'event', measure: 'converted', eventType: 'purchase', days: 14, anchor: 'entry', period: 'after' });
    const [test, lcg] = kept.result.groups;
    expect((test?.profiles ?? 0) + (lcg?.profiles ?? 0)).toBe(300);
    expect(s().analytics.saved?.map((a) => a.id)).toEqual([first!.id]);

    // A second metric, typed in the text syntax: the newest comes first in the list.
    const typed = draftFromText('count purchase 7d after entry', s().analytics.form.metric);
    s().editAnalytics({ metric: typed.draft! });
    await s().runAnalysis();
    const second = s().analytics.shown!;
    expect(second.result.metric).toMatchObject({ measure: 'count', days: 7 });
    expect(s().analytics.saved?.map((a) => a.id)).toEqual([second.id, first!.id]);

    // The first one opens as it was kept, its metric back in the editor.
    await s().openAnalysis(first!.id!);
    expect(s().analytics.shown?.result).toEqual(kept.result);
    expect(s().analytics.form.metric).toMatchObject({ measure: 'converted', daysText: '14', eventType: 'purchase' });

    // Delete asks first; Cancel keeps it, Delete removes it and what showed it.
    const asking = s().deleteAnalysis(first!.id!);
    expect(await answerNext(h, 'cancel')).toBe('Delete the kept analysis?');
    await asking;
    expect(s().analytics.saved).toHaveLength(2);
    const deleting = s().deleteAnalysis(first!.id!);
    await answerNext(h, 'delete');
    await deleting;
    expect(s().analytics.saved?.map((a) => a.id)).toEqual([second.id]);
    expect(s().analytics.shown).toBeNull();

    // Cancel while it runs: nothing is kept, and the tab says so.
    const running = s().runAnalysis();
    const op = Object.values(s().operations).find((o) => o.method === 'analytics/run');
    expect(op).toBeDefined();
    await s().cancelOperation(op!.id);
    await running;
    expect(s().analytics.runError).toBe('Cancelled: nothing was analysed or kept.');
    expect(s().analytics.saved?.map((a) => a.id)).toEqual([second.id]);

    // Opening the tab again shows the newest kept analysis.
    s().resetAnalytics();
    await s().openAnalytics(campaignId, databaseId);
    expect(s().analytics.shown?.id).toBe(second.id);

    // Another project: nothing of this one stays.
    s().resetProjectViews(false);
    expect(s().analytics).toMatchObject({ campaignId: null, saved: null, shown: null, eventTypes: null });
  });

  it('writes the analysis shown as an HTML report or CSV where the save dialog says', async () => {
    const picks: Record<string, string> = {};
    const p = await analysedProject(picks);
    const { h, campaignId, databaseId } = p;
    const s = () => h.store.getState();
    await s().openAnalytics(campaignId, databaseId);
    await s().runAnalysis();
    picks['save-html'] = join(h.engine.dir, 'spring.html');
    picks['save-csv'] = join(h.engine.dir, 'spring.csv');
    await s().exportAnalysis('html');
    expect(h.platform.pickRequests.at(-1)).toEqual({ kind: 'save-html', defaultName: 'Spring analysis.html' });
    expect(readFileSync(picks['save-html'], 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    await s().exportAnalysis('csv');
    expect(h.platform.pickRequests.at(-1)).toEqual({ kind: 'save-csv', defaultName: 'Spring analysis.csv' });
    expect(existsSync(picks['save-csv'])).toBe(true);
    expect(s().notices.map((n) => n.title)).toEqual(['Report saved', 'CSV saved']);
    expect(s().analytics.exporting).toBeNull();
  });

  it('imports an outcome file through the open dialog: its columns and the unknown profiles; a column is then a metric', async () => {
    const picks: Record<string, string> = {};
    const p = await analysedProject(picks);
    const { h, campaignId, databaseId } = p;
    const s = () => h.store.getState();
    const path = join(h.engine.dir, 'outcomes.csv');
    const rows = Array.from({ length: 300 }, (_, i) => `P${String(i + 1).padStart(7, '0')},${i % 4 === 0 ? 'yes' : 'no'},${(i * 37) % 101}`);
    writeFileSync(path, `id,renewed,revenue\n${rows.join('\n')}\nNOBODY1,yes,5\nNOBODY2,no,6\n`);
    picks['open-csv'] = path;

    await s().openAnalytics(campaignId, databaseId);
    await s().importOutcomeFile();
    const file = s().analytics.outcomes;
    expect(s().analytics.outcomesError).toBeNull();
    expect(file).toMatchObject({ fileName: 'outcomes.csv', unknownProfiles: 2, unknownExamples: ['NOBODY1', 'NOBODY2'] });
    expect(file?.columns.map((c) => [c.name, c.binary, c.values])).toEqual([
      ['renewed', true, 300],
      ['revenue', false, 300],
    ]);
    expect(s().analytics.form.metric.column).toBe('renewed');

    // A bad cell stops a new file whole: the engine's words (row, column, value), and the campaign keeps the file it had.
    const bad = join(h.engine.dir, 'bad.csv');
    writeFileSync(bad, 'id,renewed\nP0000001,yes\nP0000002,maybe\n');
    picks['open-csv'] = bad;
    await s().importOutcomeFile();
    expect(s().analytics.outcomesError).toMatch(/^bad\.csv: Row 3, column "renewed": "maybe" is neither a number .* nothing was imported\. The campaign keeps outcomes\.csv\.$/);
    expect(s().analytics.outcomes).toEqual(file);
    expect(await h.engine.client.call('analytics/outcomes', { campaignId })).toEqual(file);

    s().editAnalytics({ metric: { ...s().analytics.form.metric, source: 'outcome', column: 'revenue' } });
    await s().runAnalysis();
    expect(s().analytics.runError).toBeNull();
    expect(s().analytics.shown?.result).toMatchObject({ metric: { kind: 'outcome', column: 'revenue' }, binary: false });
  });
});
