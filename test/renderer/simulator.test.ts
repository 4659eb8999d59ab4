import { afterEach, describe, expect, it } from 'vitest';
import type { SimSource } from '../../shared/contract/index';
import { planSimulation } from '../../shared/simulate/plan';
import { simulatorFields, simulatorView } from '../../renderer/store/simulator/selectors';
import { waitForState, type StoreHarness } from './helpers/in-process';
import { answerNext, noticeTexts, plannedProject } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

async function simulatedCampaign() {
  const p = await plannedProject(3000);
  harness = p.h;
  const campaign = await p.h.store.getState().createCampaign({
    name: 'Spring sale',
    databaseId: p.databaseId,
    segmentId: p.segment.id,
    attributes: {},
    lcg: { percent: '10', limit: null, strata: [{ kind: 'values', fieldId: p.gender.id }] },
    seed: 'spring',
  });
  if (!campaign) throw new Error(`campaign not created: ${noticeTexts(p.h).join('; ')}`);
  countScans(p.h);
  return { ...p, campaign };
}

/** Every simulate/scan the store sent to the engine (the transport is the engine's door). */
const scanCalls: unknown[] = [];
function countScans(h: StoreHarness): void {
  const invoke = h.engine.transport.invoke.bind(h.engine.transport);
  (h.engine.transport as { invoke: typeof invoke }).invoke = (request) => {
    if (request.method === 'simulate/scan') scanCalls.push(request.args);
    return invoke(request);
  };
}

/** The preset metric ("n above 0") is 1 for every generated profile: a threshold that splits them (about 10 % yes). */
async function rateMetric(h: StoreHarness): Promise<void> {
  h.store.getState().editSimulator({ metric: { ...h.state().simulator.form.metric, thresholdText: '90000' } });
  await h.store.getState().scanSimulation();
}

const viewOf = (h: StoreHarness) => simulatorView(h.state().simulator, simulatorFields(h.state()));

describe('the simulator in the store', () => {
  it('a campaign presets it; the audience is read once, and the closed form follows every setting without reading it again', async () => {
    const { h, campaign, gender } = await simulatedCampaign();
    const s = () => h.store.getState();
    await s().presetSimulator(campaign.id);
    const { form: preset } = h.state().simulator;
    expect(preset.lcg.percentText).toBe('10');
    expect(preset.settings.seedText).toBe('spring');
    expect(preset.metric).toMatchObject({ field: 'n', numberMode: 'threshold', thresholdText: '0' });
    expect(viewOf(h).plan?.problems).toEqual([expect.stringMatching(/^No variation: every profile has n above 0/)]);
    await rateMetric(h);
    const source: SimSource = { audience: { kind: 'campaign', campaignId: campaign.id }, metric: { field: 'n', threshold: 90000 }, strata: [{ kind: 'values', fieldId: gender.id }] };
    const { form, scan } = h.state().simulator;
    const engineScan = await h.engine.client.call('simulate/scan', source);
    expect(scan?.strata).toEqual(engineScan.strata);
    const settings = { alpha: 0.05, power: 0.8, sided: 'two-sided' as const, percent: '10', limit: null, seed: 'spring', effect: null, targetMde: null };
    expect(viewOf(h).plan?.sentence).toBe(planSimulation(engineScan, settings).sentence);

    // Share, α, power, sides, effect and target: answered at once from the same scan.
    expect(scanCalls.length).toBeGreaterThan(0);
    const before = scanCalls.length;
    s().editSimulator({ lcg: { ...form.lcg, percentText: '20' }, settings: { ...form.settings, effectText: '5', targetText: '3', sided: 'one-sided' } });
    await s().scanSimulation();
    expect(h.state().simulator.scan).toBe(scan);
    expect(scanCalls.length).toBe(before);
    const changed = viewOf(h).plan;
    expect(changed).toEqual(planSimulation(engineScan, { ...settings, percent: '20', sided: 'one-sided', effect: 0.05, targetMde: 0.03 }));
    expect(changed?.power?.effect).toBe(0.05);

    // A new metric is a new source: read again, the newest request wins.
    s().editSimulator({ metric: { ...form.metric, thresholdText: '80000' } });
    const first = s().scanSimulation();
    s().editSimulator({ metric: { ...form.metric, thresholdText: '70000' } });
    await Promise.all([first, s().scanSimulation()]);
    await waitForState(h.store, (st) => Object.keys(st.operations).length === 0);
    const again = await h.engine.client.call('simulate/scan', { ...source, metric: { field: 'n', threshold: 70000 } });
    expect(h.state().simulator.scan?.strata).toEqual(again.strata);
    expect(viewOf(h).scanCurrent).toBe(true);
  });

  it('says what is wrong with a setting as it is typed, and never computes from it', async () => {
    const { h, campaign } = await simulatedCampaign();
    const s = () => h.store.getState();
    await s().presetSimulator(campaign.id);
    await rateMetric(h);
    const { form } = h.state().simulator;
    s().editSimulator({ settings: { ...form.settings, alphaText: '0.7', powerText: '1.2' } });
    const view = viewOf(h);
    expect(view.plan).toBeNull();
    expect(view.settings.problems).toEqual({ alpha: 'α must be at most 0.5.', power: 'Power must be below 1.' });
    s().editSimulator({ settings: form.settings, lcg: { ...form.lcg, percentText: '', limitText: '' } });
    // No LCG at all: the closed form says so in its problems, without a figure.
    const empty = viewOf(h).plan;
    expect(empty?.problems.length).toBeGreaterThan(0);
    expect(empty?.mde).toBeNull();
    expect(JSON.stringify(empty)).not.toMatch(/NaN|Infinity/);
  });

  it('runs the Monte Carlo and the balance for these settings; a change makes them stale; a saved simulation is listed, opened and deleted', async () => {
    const { h, campaign } = await simulatedCampaign();
    const s = () => h.store.getState();
    await s().presetSimulator(campaign.id);
    await rateMetric(h);
    const { form } = h.state().simulator;
    s().editSimulator({ repsText: '50', settings: { ...form.settings, effectText: '20' } });
    await s().runMonteCarlo();
    expect(h.state().simulator.monteCarloError).toBeNull();
    const mc = viewOf(h).monteCarlo?.result;
    expect(mc?.reps).toBe(50);
    expect(mc?.effect?.effect).toBe(0.2);
    await s().checkBalance();
    expect(viewOf(h).balance?.result.seed).toBe('spring');

    // Another α: the Monte Carlo is stale (not shown), the balance (the split alone) is not.
    const typed = h.state().simulator.form;
    s().editSimulator({ settings: { ...typed.settings, alphaText: '0.01' } });
    expect(viewOf(h)).toMatchObject({ monteCarlo: null, monteCarloStale: true });
    expect(viewOf(h).balance).not.toBeNull();
    s().editSimulator({ settings: typed.settings });
    expect(viewOf(h).monteCarlo?.result).toBe(mc);

    const saved = await s().saveSimulation('Spring, 10 %');
    expect(saved?.campaignId).toBe(campaign.id);
    expect(h.state().simulator.saved?.map((x) => x.name)).toEqual(['Spring, 10 %']);
    const stored = await h.engine.client.call('simulate/get', { id: saved?.id ?? 0 });
    expect(stored.body.monteCarlo?.reps).toBe(50);
    expect(stored.body.balance?.seed).toBe('spring');
    expect(stored.body.plan).toEqual(viewOf(h).plan);

    // Changed, then opened again: the form and results are what was saved.
    s().editSimulator({ lcg: { ...typed.lcg, percentText: '33' }, repsText: '80' });
    await s().openSavedSimulation(saved?.id ?? 0);
    expect(h.state().simulator.form.lcg.percentText).toBe('10');
    expect(viewOf(h).monteCarlo?.result.reps).toBe(50);
    expect(h.state().simulator.opened?.name).toBe('Spring, 10 %');

    // CSV of a table goes through the platform's download.
    const plan = viewOf(h).plan;
    const scan = h.state().simulator.scan;
    if (!plan || !scan) throw new Error('no plan');
    const { strataTable } = await import('../../renderer/store/simulator/tables');
    s().downloadSimulatorTable(strataTable(scan, plan));
    expect(h.platform.downloads.at(-1)).toMatchObject({ fileName: 'simulation-strata.csv', mimeType: 'text/csv;charset=utf-8' });
    expect(h.platform.downloads.at(-1)?.text.split(/\r?\n/)[0]).toBe('Stratum,Size,LCG,Test,Rate,MDE in the stratum,"MDE, relative"');

    const deleting = s().deleteSavedSimulation(saved?.id ?? 0);
    expect(await answerNext(h, 'delete')).toBe('Delete the saved simulation?');
    await deleting;
    expect(h.state().simulator.saved).toEqual([]);
  });

  it('a segment picked on the Simulator page, and a metric with no values, said plainly', async () => {
    const p = await plannedProject(500);
    harness = p.h;
    const { h } = p;
    const s = () => h.store.getState();
    s().navigate({ page: 'simulator' });
    await s().chooseSimulatorAudience({ kind: 'segment', segmentId: p.segment.id });
    expect(h.state().simulator.scan?.audience.size).toBe(500);
    expect(viewOf(h).plan?.sizes.control).toBe(50);
    await s().addField(p.databaseId, { name: 'empty', type: 'number' });
    await s().loadDatabase(p.databaseId);
    s().editSimulator({ metric: { ...h.state().simulator.form.metric, field: 'empty', numberMode: 'number' } });
    await s().scanSimulation();
    expect(h.state().simulator.scanError).toMatch(/empty/);
    expect(h.state().simulator.scanError).not.toMatch(/NaN|Infinity/);
  });
});
