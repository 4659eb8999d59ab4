import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportTitle, hasGroupColumn } from '../../renderer/store/export-dialog/selectors';
import { exportFileStem } from '../../renderer/store/export-dialog/slice';
import { pickInFileBrowser, waitForState, type StoreHarness } from './helpers/in-process';
import { noticeTexts, plannedProject } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

const dialog = (h: StoreHarness) => {
  const d = h.state().exportDialog;
  if (!d) throw new Error('the export dialog is closed');
  return d;
};

async function exportTo(h: StoreHarness, name: string): Promise<string[]> {
  const running = h.store.getState().runExport();
  await waitForState(h.store, (s) => s.fileBrowser?.kind === 'save-csv');
  await pickInFileBrowser(h.store, h.engine.dir, name);
  const result = await running;
  if (!result) throw new Error(`export failed: ${dialog(h).error ?? ''}`);
  return readFileSync(result.path, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
}

describe('exports of a campaign, a segment and the GCG through the export dialog', () => {
  it('the LCG of a built campaign, then its Test group, then the GCG of its database, with a group column', async () => {
    const p = await plannedProject(300);
    harness = p.h;
    const { h, databaseId } = p;
    const s = () => h.store.getState();
    expect(await s().setGcg(databaseId, '5', 'g')).toBe(true);
    const campaign = await s().createCampaign({
      name: 'Spring',
      databaseId,
      segmentId: p.segment.id,
      attributes: {},
      lcg: { percent: '10', limit: null, strata: [{ kind: 'values', fieldId: p.gender.id }] },
      seed: 'x',
    });
    if (!campaign) throw new Error(noticeTexts(h).join('; '));
    await s().createActivity(databaseId, campaign.id, { name: 'B', type: 'broadcast', segmentId: null, ignoreLcg: false, ignoreSubscription: false, audienceExpansion: false, variants: [] });
    const detail = await s().activateCampaign(campaign.id);
    const groups = detail?.campaign.groups;
    expect(groups?.total).toBe(300 - 15);
    expect(groups?.control).toBe(29);

    s().openExportDialog(databaseId, { scope: { kind: 'campaign', campaignId: campaign.id, group: 'control' }, subject: 'Spring' });
    expect(exportTitle(dialog(h), 'Audience')).toBe('Export the LCG of Spring to CSV');
    expect(hasGroupColumn(dialog(h))).toBe(true);
    expect(dialog(h).campaignId).toBe(campaign.id);
    s().toggleExportField(p.n.id);
    const lcg = await exportTo(h, 'lcg');
    expect(h.state().fileBrowser).toBeNull();
    expect(lcg[0]).toBe('profile_id,subscription_status,group,city,gender');
    expect(lcg).toHaveLength(1 + (groups?.control ?? 0));
    expect(lcg.slice(1).every((l) => l.split(',')[2] === 'control')).toBe(true);

    s().setExportScope({ kind: 'campaign', campaignId: campaign.id, group: 'test' });
    expect(dialog(h)).toMatchObject({ path: null, scope: { group: 'test' } });
    s().setExportLimit('10');
    const test = await exportTo(h, 'test');
    expect(test).toHaveLength(11);
    expect(test.slice(1).every((l) => l.split(',')[2] === 'test')).toBe(true);

    s().setExportScope({ kind: 'gcg' });
    expect(exportFileStem(dialog(h), 'Audience')).toBe('Audience - GCG');
    s().setExportLimit('');
    const gcg = await exportTo(h, 'gcg');
    expect(gcg[0]).toBe('profile_id,subscription_status,city,gender');
    expect(gcg).toHaveLength(1 + 15);
  });

  it('a segment with chosen statuses', async () => {
    const p = await plannedProject(60);
    harness = p.h;
    const { h, databaseId } = p;
    h.store.getState().openExportDialog(databaseId, { scope: { kind: 'segment', segmentId: p.segment.id }, subject: 'Everyone' });
    expect(exportTitle(dialog(h), 'Audience')).toBe('Export the segment Everyone to CSV');
    expect(hasGroupColumn(dialog(h))).toBe(false);
    for (const status of ['unsubscribed', 'unconfirmed', 'bounced'] as const) h.store.getState().toggleExportStatus(status);
    const lines = await exportTo(h, 'segment');
    expect(lines.slice(1).every((l) => l.split(',')[1] === 'subscribed')).toBe(true);
    expect(lines.length - 1).toBe(48);
    expect(readFileSync(join(h.engine.dir, 'segment.csv'), 'utf8').length).toBeGreaterThan(0);
  });
});
