import { describe, expect, it } from 'vitest';
import type { Campaign, Field, SimMonteCarlo, SimScan } from '../../shared/contract/index';
import { planSimulation } from '../../shared/simulate/plan';
import { newStratum } from '../../renderer/store/campaigns/lcg-draft';
import {
  emptyForm,
  formForCampaign,
  formFromSaved,
  repsFromForm,
  settingsFromForm,
  sourceFromForm,
  sourceKey,
  type SimulatorForm,
} from '../../renderer/store/simulator/form';
import { differenceText, falsePositiveDetail, fixedText, strataTable, tableCsv, unanalysableText, varianceTable } from '../../renderer/store/simulator/tables';

const field = (id: number, name: string, type: Field['type'], enumValues: string[] = []): Field => ({ id, databaseId: 1, name, type, enumValues, position: id });
const city = field(1, 'city', 'enum', ['Moscow', 'Kazan']);
const purchases = field(2, 'purchases', 'number');
const revenue = field(3, 'revenue', 'number');
const email = field(4, 'email', 'string');
const FIELDS = [city, purchases, revenue, email];

const onCampaign = (change: Partial<SimulatorForm> = {}): SimulatorForm => ({ ...emptyForm(), audience: { kind: 'campaign', campaignId: 7 }, metric: { ...emptyForm().metric, field: 'purchases' }, ...change });
const withSettings = (change: Partial<SimulatorForm['settings']>): SimulatorForm => onCampaign({ settings: { ...emptyForm().settings, ...change } });

describe('the simulator form', () => {
  it('stands for a scan source: audience, metric by the field type, covariate and strata', () => {
    expect(sourceFromForm(emptyForm(), FIELDS).problems.audience).toBe('Choose a campaign or a segment to simulate.');
    expect(sourceFromForm(onCampaign(), FIELDS).source).toEqual({ audience: { kind: 'campaign', campaignId: 7 }, metric: { field: 'purchases', threshold: 0 }, strata: [] });
    const capped = onCampaign({ metric: { field: 'revenue', valueText: '', numberMode: 'number', thresholdText: '0', capText: '0.99' }, covariate: { field: 'purchases', capText: '' } });
    expect(sourceFromForm(capped, FIELDS).source).toMatchObject({ metric: { field: 'revenue', cap: 0.99 }, covariate: { field: 'purchases' } });
    const enumMetric = onCampaign({ metric: { ...emptyForm().metric, field: 'city' } });
    expect(sourceFromForm(enumMetric, FIELDS).problems.metric).toBe('Choose the value of city that counts as yes.');
    expect(sourceFromForm({ ...enumMetric, metric: { ...enumMetric.metric, valueText: 'Kazan' } }, FIELDS).source?.metric).toEqual({ field: 'city', value: 'Kazan' });
    const stratified = onCampaign({ lcg: { percentText: '10', limitText: '', strata: [newStratum(city)] } });
    expect(sourceFromForm(stratified, FIELDS).source?.strata).toEqual([{ fieldId: 1, kind: 'values' }]);
  });

  it('says what is wrong with a metric in the contract’s words: a cap outside (0, 1], a threshold that is no number', () => {
    const cap = (capText: string) => sourceFromForm(onCampaign({ metric: { field: 'revenue', valueText: '', numberMode: 'number', thresholdText: '', capText } }), FIELDS).problems.metric;
    expect(cap('1.5')).toBe('A cap is a quantile of at most 1, such as 0.99.');
    expect(cap('0')).toBe('A cap is a quantile above 0, such as 0.99.');
    expect(cap('abc')).toBe('Type the cap as a quantile such as 0.99, or leave it empty.');
    expect(cap('')).toBeUndefined();
    const threshold = sourceFromForm(onCampaign({ metric: { ...emptyForm().metric, field: 'purchases', thresholdText: 'many' } }), FIELDS);
    expect(threshold.source).toBeNull();
    expect(threshold.problems.metric).toMatch(/^Type the threshold as a number/);
  });

  it('reads the settings as the contract checks them: α in (0, 0.5], power in (0, 1), effects as percentages', () => {
    const ok = settingsFromForm(withSettings({ effectText: '+5 %', targetText: '3' }), FIELDS);
    expect(ok.settings).toEqual({ alpha: 0.05, power: 0.8, sided: 'two-sided', percent: '10', limit: null, seed: 'simulation', effect: 0.05, targetMde: 0.03 });
    expect(settingsFromForm(withSettings({ alphaText: '0.6' }), FIELDS).problems.alpha).toBe('α must be at most 0.5.');
    expect(settingsFromForm(withSettings({ alphaText: '0' }), FIELDS).problems.alpha).toBe('α must be above 0.');
    expect(settingsFromForm(withSettings({ powerText: '1' }), FIELDS).problems.power).toBe('Power must be below 1.');
    expect(settingsFromForm(withSettings({ powerText: 'high' }), FIELDS).problems.power).toBe('Type the power as a number such as 0.8.');
    expect(settingsFromForm(withSettings({ effectText: '-100' }), FIELDS).problems.effect).toBe('A true effect is above −100 %.');
    expect(settingsFromForm(withSettings({ targetText: '0' }), FIELDS).problems.targetMde).toBe('A target MDE is above 0 %.');
    expect(settingsFromForm(withSettings({ seedText: '  ' }), FIELDS).problems.seed).toMatch(/^Type a seed/);
    const badShare = settingsFromForm(onCampaign({ lcg: { percentText: '-3', limitText: '', strata: [] } }), FIELDS);
    expect(badShare.settings).toBeNull();
    expect(badShare.lcgProblems.percent).toMatch(/cannot be negative/);
    for (const reading of [settingsFromForm(withSettings({ alphaText: 'NaN' }), FIELDS), settingsFromForm(withSettings({ alphaText: 'Infinity' }), FIELDS)]) {
      expect(reading.settings).toBeNull();
      expect(reading.problems.alpha).toBe('Type α as a number such as 0.05.');
    }
  });

  it('a campaign presets its LCG and seed; a saved simulation gives back the same source and settings', () => {
    const campaign = { id: 7, seed: 'spring-2026', lcg: { percent: '12.5', limit: 4000, strata: [{ fieldId: 1, kind: 'values' }] } } as unknown as Campaign;
    const form = formForCampaign(emptyForm(), campaign, FIELDS);
    expect(form.settings.seedText).toBe('spring-2026');
    expect(form.metric.field).toBe('purchases');
    const source = sourceFromForm(form, FIELDS).source;
    const settings = settingsFromForm({ ...form, settings: { ...form.settings, effectText: '7.5', targetText: '2' } }, FIELDS).settings;
    expect(source).not.toBeNull();
    expect(settings).toMatchObject({ percent: '12.5', limit: 4000, seed: 'spring-2026', effect: 0.075, targetMde: 0.02 });
    if (!source || !settings) return;
    const back = formFromSaved(source, settings, '500');
    expect(sourceKey(sourceFromForm(back, FIELDS).source ?? source) === sourceKey(source) && sourceFromForm(back, FIELDS).source !== null).toBe(true);
    expect(settingsFromForm(back, FIELDS).settings).toEqual(settings);
    expect(repsFromForm(back.repsText)).toEqual({ reps: 500, problem: null });
    // Read back from a file, the same source in the schema's key order is the same source (no new scan, results not stale).
    const reordered = { strata: [{ fieldId: 1, kind: 'values' as const }], metric: { threshold: 0, field: 'purchases' }, audience: { campaignId: 7, kind: 'campaign' as const } };
    expect(sourceKey(reordered)).toBe(sourceKey(source));
    expect(repsFromForm('5').problem).toBe('Between 10 and 100,000 replicates.');
    expect(repsFromForm('1.5').problem).toMatch(/whole number/);
  });
});

describe('the simulator tables', () => {
  const scan: SimScan = {
    audience: { kind: 'campaign', label: 'Campaign Spring', size: 2000, gcgRemoved: 100, databaseId: 1, campaignId: 7 },
    metric: { field: 'purchases', kind: 'binary', label: 'purchases above 0', missing: 0, capValue: null },
    covariate: null,
    strataLabel: 'Stratified by city',
    strata: [
      { key: 'a', label: 'Moscow', size: 1997, sumY: 200, sumY2: 200, sumX: 0, sumX2: 0, sumXY: 0 },
      { key: 'b', label: 'Kazan', size: 3, sumY: 1, sumY2: 1, sumX: 0, sumX2: 0, sumXY: 0 },
    ],
    campaign: null,
    scannedAt: '2026-04-01T10:00',
    durationMs: 3,
  };
  const plan = planSimulation(scan, { alpha: 0.05, power: 0.8, sided: 'two-sided', percent: '10', limit: null, seed: 's', effect: null, targetMde: null });

  it('a stratum too small is marked, and the CSV carries raw values under the screen’s column labels', () => {
    const table = strataTable(scan, plan);
    const kazan = plan.strata.find((s) => s.label === 'Kazan');
    expect(kazan && table.flagged?.(kazan)).toBe(true);
    const csv = tableCsv(table).split(/\r?\n/);
    expect(csv[0]).toBe('Stratum,Size,LCG,Test,Rate,MDE in the stratum,"MDE, relative"');
    const moscow = plan.strata.find((s) => s.label === 'Moscow');
    expect(csv).toContain(`Moscow,1997,${moscow?.control},${moscow?.test},${moscow?.mean},${moscow?.mde?.absolute},${moscow?.mde?.relative}`);
    const texts = table.rows.flatMap((row) => table.columns.map((c) => c.text(row)));
    expect(texts.join(' ')).not.toMatch(/NaN|Infinity/);
    const variance = varianceTable(scan, plan);
    expect(variance.rows.map((r) => r.method)).toEqual(['Plain (no adjustment)', 'Stratified', 'CUPED', 'Stratified + CUPED']);
    expect(variance.rows.flatMap((row) => variance.columns.map((c) => c.text(row))).join(' ')).not.toMatch(/NaN|Infinity/);
  });

  it('compares each analysis with the plain MDE as a change (the plain row is the reference), never "smaller by" a negative share', () => {
    const two: SimScan = {
      ...scan,
      strata: [
        { key: 'a', label: 'Moscow', size: 1000, sumY: 100, sumY2: 100, sumX: 0, sumX2: 0, sumXY: 0 },
        { key: 'b', label: 'Kazan', size: 1000, sumY: 300, sumY2: 300, sumX: 0, sumX2: 0, sumXY: 0 },
      ],
    };
    const planned = planSimulation(two, { alpha: 0.05, power: 0.8, sided: 'two-sided', percent: '10', limit: null, seed: 's', effect: null, targetMde: null });
    const variance = varianceTable(two, planned);
    const change = variance.columns.find((c) => c.key === 'change');
    expect(change?.label).toBe('MDE change from plain');
    const plainRow = variance.rows[0];
    const stratified = variance.rows[1];
    const { plain, stratified: stratifiedMde } = planned.variance;
    if (!plainRow || !stratified || !change || plain === null || stratifiedMde === null) throw new Error('no variance rows');
    expect(change.text(plainRow)).toBe('—');
    expect(change.value(plainRow)).toBeNull();
    // Two strata with different rates: stratification helps, so the change is negative and says so with a minus.
    expect(change.value(stratified)).toBeCloseTo(stratifiedMde / plain - 1, 12);
    expect(change.text(stratified)).toMatch(/^−\d/);
  });
});

describe('the simulator’s texts', () => {
  it('a figure rounding to zero has no minus; a negative one a true minus', () => {
    expect(fixedText(-0.0004, 3)).toBe('0.000');
    expect(fixedText(-0.026, 3)).toBe('−0.026');
    expect(fixedText(0.017, 3)).toBe('0.017');
  });

  it('a difference of a rate reads in percentage points, of a mean as a number, with a true minus', () => {
    expect(differenceText(true, -0.0123)).toBe('−1.23 points');
    expect(differenceText(false, 12.5)).toBe('12.50');
  });

  it('names the strata too small to analyse in plain grammar, one or many, with how many more', () => {
    expect(unanalysableText(['city = Kazan'])).toBe('One stratum is too small to analyse on its own: city = Kazan.');
    expect(unanalysableText(['A', 'B'])).toBe('2 strata are too small to analyse on their own: A and B.');
    expect(unanalysableText(['A', 'B', 'C', 'D'], 3)).toBe('4 strata are too small to analyse on their own: A, B, C and 1 more.');
    expect(unanalysableText([])).toBe('');
  });

  it('says whether α is inside the A/A interval it shows (the 95 % one), and what the 99 % one says when it is not', () => {
    const mc = (interval95: [number, number], interval99: [number, number]) =>
      ({ reps: 300, aa: { falsePositive: { rejected: 23, rate: 23 / 300, interval95, interval99 } } }) as unknown as SimMonteCarlo;
    expect(falsePositiveDetail(mc([0.03, 0.08], [0.02, 0.09]), 0.05)).toBe('23 of 300 · 95 % interval 3.0 %–8.0 %, which contains α = 0.05');
    expect(falsePositiveDetail(mc([0.052, 0.112], [0.046, 0.126]), 0.05)).toBe(
      '23 of 300 · 95 % interval 5.2 %–11.2 %, which misses α = 0.05; the 99 % interval (4.6 %–12.6 %) contains it',
    );
    expect(falsePositiveDetail(mc([0.2, 0.3], [0.18, 0.32]), 0.05)).toBe('23 of 300 · 95 % interval 20 %–30 %, which misses α = 0.05, as does the 99 % interval (18 %–32 %)');
  });
});
