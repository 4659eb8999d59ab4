/** `cplan simulate`: in this process (runCli) on real files, and once as a real process for its exit. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/cplan';
import { cplanWorkspace } from '../../helpers/cplan-process';
import { tempDir } from '../../helpers/temp-dir';

async function cplan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

/** 1,200 customers in three cities; bought is 0/1 (a fifth bought), revenue a number. */
function audienceCsv(dir: string): string {
  const lines = ['id,city,bought,revenue'];
  for (let i = 1; i <= 1200; i += 1) lines.push(`c${i},${['Berlin', 'Paris', 'Rome'][i % 3]},${i % 5 === 0 ? 1 : 0},${(i * 37) % 200}`);
  const path = join(dir, 'audience.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const LONG = 120_000;

describe('cplan simulate on a CSV file', () => {
  it('gives every figure per LCG share as JSON, with self-explaining keys and fractions', async () => {
    const path = audienceCsv(tempDir());
    const run = await cplan('simulate', '--csv', path, '--id-column', 'id', '--metric', 'bought', '--stratum', 'city', '--percent', '5,10', '--seed', 's1', '--reps', '0', '--effect', '0.2', '--target-mde', '0.3', '--json');
    expect(run.code, run.stderr).toBe(0);
    const data = JSON.parse(run.stdout);
    expect(data.audience).toMatchObject({ kind: 'csv', label: 'File audience.csv', size: 1200 });
    expect(data.metric).toMatchObject({ field: 'bought', kind: 'binary', missing: 0 });
    expect(data.strata).toEqual({ label: 'stratified by city', count: 3 });
    expect(data.results).toHaveLength(2);
    const [five, ten] = data.results;
    expect(five.settings).toMatchObject({ percent: '5', alpha: 0.05, power: 0.8, sided: 'two-sided', seed: 's1', effect: 0.2, targetMde: 0.3 });
    expect(five.sizes).toEqual({ audience: 1200, test: 1140, control: 60, controlShare: 0.05 });
    expect(ten.sizes.control).toBe(120);
    expect(five.baseline.mean).toBeCloseTo(0.2, 12);
    expect(five.mde.relative).toBeGreaterThan(ten.mde.relative);
    expect(ten.power).toMatchObject({ effect: 0.2 });
    expect(ten.needed).toMatchObject({ targetMde: 0.3 });
    expect(ten.monteCarlo).toBeNull();
    expect(ten.balance).toMatchObject({ seed: 's1', control: 120, test: 1080 });
    expect(ten.balance.chiSquare.find((c: { field: string }) => c.field === 'city').chiSquare).toBeLessThan(1e-9);
    expect(typeof ten.sentence).toBe('string');
  }, LONG);

  it('runs the Monte Carlo of the real split unless --reps 0: A/A false positives and power as fractions', async () => {
    const path = audienceCsv(tempDir());
    const args = ['simulate', '--csv', path, '--metric', 'bought', '--stratum', 'city', '--percent', '20', '--seed', 's1', '--reps', '200', '--effect', '0.5'];
    const run = await cplan(...args, '--json');
    expect(run.code, run.stderr).toBe(0);
    const [result] = JSON.parse(run.stdout).results;
    expect(result.monteCarlo).toMatchObject({ reps: 200, seed: 's1', control: 240, test: 960 });
    const { falsePositive } = result.monteCarlo.aa;
    expect(falsePositive.rate).toBe(falsePositive.rejected / 200);
    expect(falsePositive.interval95[0]).toBeLessThanOrEqual(falsePositive.rate);
    expect(result.monteCarlo.effect).toMatchObject({ effect: 0.5 });
    expect(result.monteCarlo.effect.closedFormPower).toBeCloseTo(result.power.power, 6);
    const text = await cplan(...args);
    expect(text.stdout).toMatch(/A\/A \(200 splits\)\s+false positives [\d.]+ % \(95 % interval [\d.]+ % to [\d.]+ %\) at α = 0\.05/);
    expect(text.stdout).toMatch(/Power, \+50 % injected\s+[\d.]+ %/);
  }, LONG);

  it('prints a readable summary with a comparison table', async () => {
    const path = audienceCsv(tempDir());
    const run = await cplan('simulate', '--csv', path, '--metric', 'revenue', '--cap', '0.9', '--percent', '10,20', '--seed', 's1', '--reps', '0');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('File audience.csv: 1,200 profiles, not stratified (1 strata).');
    expect(run.stdout).toMatch(/Metric: revenue, capped at the 90th percentile \([\d.,]+\) \(continuous\)\./);
    expect(run.stdout).toMatch(/LCG 10 %: 120 in the LCG, 1,080 in Test \(10 % exactly\)/);
    expect(run.stdout).toMatch(/MDE\s+\+\d+(\.\d)? % relative/);
    expect(run.stdout).toMatch(/LCG\s+Profiles\s+MDE\s+A\/A false positives\s+Flagged/);
    expect(run.stdout).toMatch(/20 %\s+240\s+\+[\d.]+ %\s+–/);
  }, LONG);

  it('refuses bad flags with exit code 2 and a clear message', async () => {
    const path = audienceCsv(tempDir());
    const base = ['simulate', '--csv', path, '--metric', 'bought', '--percent', '10', '--seed', 's1', '--reps', '0'];
    const cases: [string[], RegExp][] = [
      [['--alpha', '0.7'], /--alpha must be above 0 and at most 0\.5, such as 0\.05, not "0\.7"/],
      [['--alpha', '0'], /--alpha must be above 0/],
      [['--power', '1'], /--power must be above 0 and below 1, such as 0\.8, not "1"/],
      [['--power', 'high'], /--power must be above 0 and below 1, such as 0\.8, not "high"/],
      [['--cap', '0'], /--cap must be a quantile above 0 and at most 1/],
      [['--cap', '1.5'], /--cap must be a quantile/],
      [['--reps', '5'], /--reps must be 0 \(no Monte Carlo\) or from 10 to 100,000, not 5/],
      [['--value', 'yes', '--threshold', '1'], /give --value or --threshold, not both/],
      [['--percent', '10,,20'], /--percent takes percentages separated by commas/],
      [['--nonsense'], /Unknown option '--nonsense'/],
      [['--covariate-cap', '0.9'], /--covariate-cap needs --covariate FIELD/],
      [['--covariate', 'spend', '--covariate-cap', '2'], /--covariate-cap must be a quantile/],
    ];
    for (const [extra, message] of cases) {
      const run = await cplan(...base, ...extra);
      expect(run.code, extra.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    const noMetric = await cplan('simulate', '--csv', path, '--percent', '10', '--seed', 's1');
    expect([noMetric.code, noMetric.stderr]).toEqual([2, 'cplan: --metric FIELD is required: the field (or column) to measure\n']);
    const noSeed = await cplan('simulate', '--csv', path, '--metric', 'bought', '--percent', '10');
    expect(noSeed.code).toBe(2);
    expect(noSeed.stderr).toContain('--seed S is required');
    const unknown = await cplan(...base.map((a) => (a === 'bought' ? 'profit' : a)), '--json');
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout).error).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'unknown_field' } });
  }, LONG);
});

describe('cplan simulate on a project', () => {
  it('simulates a campaign with its own LCG, seed and strata by default, and a segment with the settings given', async () => {
    const dir = tempDir();
    const file = join(dir, 'p.cplan');
    const step = async (...args: string[]) => {
      const run = await cplan(...args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      return run;
    };
    await step('demo', file, '--profiles', '3000', '--seed', 'sim');
    await step('segment', 'create', file, 'Everyone', '--database', 'Customers', '--from', 'all');
    await step('gcg', 'set', file, '--database', 'Customers', '--percent', '5', '--seed', 'g');
    await step('campaign', 'create', file, 'Spring', '--database', 'Customers', '--segment', 'Everyone', '--percent', '10', '--stratum', 'gender', '--seed', 'spring');
    const campaign = JSON.parse((await step('simulate', file, '--campaign', 'Spring', '--metric', 'revenue', '--cap', '0.99', '--covariate', 'purchases', '--reps', '0', '--json')).stdout);
    expect(campaign.audience).toMatchObject({ kind: 'campaign', label: 'Campaign Spring', gcgRemoved: 150, size: 2850 });
    expect(campaign.strata.label).toBe('stratified by gender');
    expect(campaign.metric).toMatchObject({ field: 'revenue', kind: 'continuous' });
    expect(campaign.metric.capValue).toBeGreaterThan(0);
    expect(campaign.covariate).toMatchObject({ field: 'purchases' });
    expect(campaign.results).toHaveLength(1);
    expect(campaign.results[0].settings).toMatchObject({ percent: '10', seed: 'spring' });
    expect(campaign.results[0].sizes.control).toBe(285);
    expect(campaign.results[0].variance.rho2).toBeGreaterThan(0);
    expect(campaign.results[0].gcg.removed).toBe(150);
    expect(campaign.covariate.capValue).toBeNull();
    const capped = JSON.parse((await step('simulate', file, '--campaign', 'Spring', '--metric', 'revenue', '--covariate', 'purchases', '--covariate-cap', '0.9', '--reps', '0', '--json')).stdout);
    expect(capped.covariate.capValue).toBeGreaterThan(0);
    expect(capped.covariate.label).toContain('capped at the 90th percentile');
    const segment = await step('simulate', file, '--segment', 'Everyone', '--metric', 'city', '--value', 'Moscow', '--percent', '20', '--limit', '500', '--seed', 'x', '--stratum', 'gender', '--reps', '0', '--one-sided');
    expect(segment.stdout).toMatch(/^Segment Everyone: 3,000 profiles, stratified by gender/);
    expect(segment.stdout).toContain('LCG 20 %, at most 500: 500 in the LCG, 2,500 in Test');
    expect(segment.stdout).toContain('one-sided');
    const both = await cplan('simulate', file, '--campaign', 'Spring', '--segment', 'Everyone', '--metric', 'revenue');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give --campaign NAME or --segment NAME');
  }, LONG);
});

describe('cplan simulate as a process', () => {
  it('exits on its own with 0, and with 2 on a bad flag', async () => {
    const w = cplanWorkspace(undefined, LONG / 2);
    audienceCsv(w.dir);
    const run = await w.run('simulate', '--csv', 'audience.csv', '--metric', 'bought', '--stratum', 'city', '--percent', '10', '--seed', 's1', '--reps', '1000', '--json');
    expect(run.signal).toBeNull();
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).results[0]).toMatchObject({ sizes: { control: 120 }, monteCarlo: { reps: 1000 } });
    const bad = await w.run('simulate', '--csv', 'audience.csv', '--metric', 'bought', '--percent', '10', '--seed', 's1', '--alpha', '2');
    expect([bad.signal, bad.code]).toEqual([null, 2]);
  }, LONG);
});
