/**
 * The simulator on a 1,000,000-profile audience in 100 strata (uneven sizes), 2 cores:
 * - the closed form per change (planSimulation on a scan: what the UI runs on every
 *   keystroke), target <= 50 ms;
 * - the balance table (simulate/balance: the campaign's split for a seed, SMD of 10 fields,
 *   chi-square per categorical field), target <= 1.5 s;
 * - the Monte Carlo, 1,000 replicates of the exact stratified split, on the split worker
 *   pool with the audience in shared memory: 1M profiles <= 5 s (with and without 10
 *   balance fields), 100k profiles <= 1 s;
 * - side by side, in the same run, what an analyst does in Python (Debian's
 *   python3-statsmodels, numpy, pandas): NormalIndPower.solve_power for the same closed-form
 *   cases, and the same A/A loop in numpy (an exact per-stratum draw of the same quotas)
 *   on the same data written to CSV; the ratios are printed. Skipped with a message when
 *   Python or its packages are missing.
 *
 *   npm run bench -- simulate       BENCH_SIM_ROWS=200000 for a quicker run
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimScan, SimSettings } from '../../shared/contract/simulate';
import { planSimulation } from '../../shared/simulate/plan';
import { controlTotal } from '../../shared/split/control-total';
import { allocateQuotas } from '../../shared/split/quotas';
import type { HandlerContext } from '../../main/engine/registry';
import { balanceOf } from '../../main/engine/simulate/balance';
import type { SimData } from '../../main/engine/simulate/data';
import { runMonteCarlo, type MonteCarloSettings } from '../../main/engine/simulate/monte-carlo';
import { createSplitPool } from '../../main/workers/hash-in-pool';
import type { WorkerPool } from '../../main/workers/pool';
import { makeSimData } from '../helpers/sim-data';
import { report, runBench, type Target } from './report';

const ROWS = Number(process.env.BENCH_SIM_ROWS ?? 1_000_000);
const STRATA = 100;
const REPS = 1000;
const PYTHON = '/usr/bin/python3';
/** The numpy loop is slow at a million profiles: it runs this many replicates there, and the time is scaled to 1,000. */
const NUMPY_REPS_BIG = Number(process.env.BENCH_SIM_NUMPY_REPS ?? 100);

const PYTHON_SCRIPT = `
import sys, json, time, math
import numpy as np, pandas as pd
from statsmodels.stats.power import NormalIndPower
config = json.load(open(sys.argv[2]))
out = {}
# The closed form: MDE (Cohen's h, then the rate) and the power for an effect, per setting.
analysis = NormalIndPower()
started = time.perf_counter()
mdes = []
for case in config['cases']:
    h = analysis.solve_power(effect_size=None, nobs1=case['control'], alpha=case['alpha'], power=case['power'], ratio=case['test'] / case['control'])
    p0 = case['p0']
    p1 = math.sin(math.asin(math.sqrt(p0)) + h / 2) ** 2
    h1 = 2 * math.asin(math.sqrt(p0 * (1 + case['effect']))) - 2 * math.asin(math.sqrt(p0))
    power = analysis.power(effect_size=h1, nobs1=case['control'], alpha=case['alpha'], ratio=case['test'] / case['control'])
    mdes.append([p1 - p0, power])
out['closedFormMs'] = (time.perf_counter() - started) * 1000 / len(config['cases'])
out['closedForm'] = mdes
# The A/A loop: the same quotas per stratum, an exact uniform draw, the pooled z-test.
frame = pd.read_csv(sys.argv[1])
y = frame['y'].to_numpy(dtype=float)
stratum = frame['stratum'].to_numpy(dtype=np.int64)
order = np.argsort(stratum, kind='stable')
ys = y[order]
counts = np.bincount(stratum, minlength=len(config['quotas']))
offsets = np.concatenate([[0], np.cumsum(counts)])
quotas = config['quotas']
n = len(ys); m = sum(quotas); total = ys.sum()
rng = np.random.default_rng(1)
critical = 1.959963984540054
rejected = 0
started = time.perf_counter()
for r in range(config['reps']):
    control = 0.0
    for s, c in enumerate(quotas):
        if c == 0:
            continue
        picked = rng.choice(int(counts[s]), size=c, replace=False)
        control += ys[offsets[s] + picked].sum()
    p_c = control / m; p_t = (total - control) / (n - m); pooled = total / n
    z = (p_t - p_c) / math.sqrt(pooled * (1 - pooled) * (1 / m + 1 / (n - m)))
    rejected += abs(z) > critical
out['aaMs'] = (time.perf_counter() - started) * 1000
out['aaRate'] = rejected / config['reps']
print(json.dumps(out))
`;

function hasPython(): boolean {
  return existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import numpy, pandas, statsmodels'], { stdio: 'ignore' }).status === 0;
}

/** The per-stratum sums a scan gives (scan.ts reads them from a project; here from the audience in memory). */
function scanOf(data: SimData): SimScan {
  const strata = data.strataKeys.map((key, s) => ({ key, label: data.strataLabels[s]!, size: 0, sumY: 0, sumY2: 0, sumX: 0, sumX2: 0, sumXY: 0 }));
  for (let i = 0; i < data.count; i += 1) {
    const row = strata[data.stratumOf[i]!]!;
    const v = data.y[i]!;
    row.size += 1;
    row.sumY += v;
    row.sumY2 += v * v;
  }
  return {
    audience: { kind: 'csv', label: 'File bench.csv', size: data.count, gcgRemoved: null, databaseId: null, campaignId: null },
    metric: { field: 'bought', kind: data.binary ? 'binary' : 'continuous', label: 'bought is yes', missing: 0, capValue: null },
    covariate: null,
    strataLabel: 'stratum',
    strata,
    campaign: null,
    scannedAt: '2026-12-04',
    durationMs: 0,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const MC: MonteCarloSettings = { alpha: 0.05, sided: 'two-sided', percent: '10', limit: null, seed: 'bench', effect: 0.05 };

async function timeMonteCarlo(label: string, data: SimData, pool: WorkerPool | null): Promise<number> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await runMonteCarlo(data, MC, REPS, { pool, progress: () => undefined, checkpoint: async () => undefined });
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  console.log(
    `${label}: ${elapsed.toFixed(0)} ms, CPU ${((used.user + used.system) / 1000).toFixed(0)} ms on all threads (A/A false positives ${(result.aa.falsePositive.rate * 100).toFixed(1)} %, ` +
      `power for +5 % ${(result.effect!.power.rate * 100).toFixed(1)} % vs closed form ${(result.effect!.closedFormPower * 100).toFixed(1)} %, ${result.balance.length} balance rows)`,
  );
  return elapsed;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cplan-bench-simulate-'));
  const pool = createSplitPool();
  try {
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min); worker pool: ${pool ? `${pool.size} threads` : 'none (dist/main/split-worker.cjs missing)'}`);
    const data = makeSimData({ count: ROWS, strata: STRATA, metric: 'binary', rate: 0.05, fields: 10, seed: 'bench' });
    const metricOnly: SimData = { ...data, columns: [] };
    const small = makeSimData({ count: Math.round(ROWS / 10), strata: STRATA, metric: 'binary', rate: 0.05, seed: 'bench-small' });
    const targets: Target[] = [];

    // The closed form, as the UI calls it while the user types a share.
    const scan = scanOf(data);
    const settings: SimSettings = { alpha: 0.05, power: 0.8, sided: 'two-sided', percent: '10', limit: null, seed: 'bench', effect: 0.05, targetMde: 0.05 };
    const times: number[] = [];
    const shares = Array.from({ length: 200 }, (_, i) => (0.5 + (i % 100) * 0.25).toFixed(2));
    for (const percent of shares) {
      const started = performance.now();
      planSimulation(scan, { ...settings, percent });
      times.push(performance.now() - started);
    }
    const planMs = median(times);
    console.log(`closed form (planSimulation: MDE, power, target LCG, strata table, charts) per change: median ${planMs.toFixed(2)} ms, slowest ${Math.max(...times).toFixed(2)} ms over ${times.length} changes`);
    targets.push({ name: `closed form per change, ${ROWS.toLocaleString('en-US')} profiles in ${STRATA} strata (median)`, value: planMs, unit: 'ms', max: 50 });

    // The balance table, as simulate/balance computes it once the audience is in memory.
    const ctx = { deps: { splitPool: pool }, progress: () => undefined, checkpoint: async () => undefined } as unknown as HandlerContext;
    await balanceOf(ctx, small, { percent: '10', limit: null, seed: 'bench' });
    const balanceStarted = performance.now();
    const balance = await balanceOf(ctx, data, { percent: '10', limit: null, seed: 'bench' });
    const balanceMs = performance.now() - balanceStarted;
    console.log(`balance table: ${balanceMs.toFixed(0)} ms (${data.columns.length} fields, ${balance.rows.length} rows, ${balance.chiSquare.length} chi-square tests, the split by md5 included)`);
    targets.push({ name: `balance table, ${ROWS.toLocaleString('en-US')} profiles and ${data.columns.length} fields`, value: balanceMs / 1000, unit: 's', max: 1.5 });

    // Warm-up: starts the worker threads, as the first run in an app session does.
    await runMonteCarlo(small, MC, 50, { pool, progress: () => undefined, checkpoint: async () => undefined });
    const big = await timeMonteCarlo(`Monte Carlo ${REPS} replicates, ${ROWS.toLocaleString('en-US')} profiles, metric only`, metricOnly, pool);
    targets.push({ name: `Monte Carlo ${REPS} replicates on ${ROWS.toLocaleString('en-US')} profiles in ${STRATA} strata`, value: big / 1000, unit: 's', max: 5 });
    const withFields = await timeMonteCarlo(`Monte Carlo ${REPS} replicates, ${ROWS.toLocaleString('en-US')} profiles, with the chance imbalance of 10 fields`, data, pool);
    targets.push({ name: `the same with the chance imbalance of 10 fields (${data.columns.length} fields)`, value: withFields / 1000, unit: 's', max: 5 });
    const smallMs = await timeMonteCarlo(`Monte Carlo ${REPS} replicates, ${small.count.toLocaleString('en-US')} profiles`, small, pool);
    targets.push({ name: `Monte Carlo ${REPS} replicates on ${small.count.toLocaleString('en-US')} profiles in ${STRATA} strata`, value: smallMs / 1000, unit: 's', max: 1 });

    if (!hasPython()) {
      console.log('statsmodels comparison SKIPPED: /usr/bin/python3 with numpy, pandas and statsmodels is needed (apt-get install python3-statsmodels python3-pandas)');
    } else {
      const plan = planSimulation(scan, settings);
      const cases = shares.slice(0, 100).map((percent) => {
        const control = controlTotal(data.count, { percent });
        return { control, test: data.count - control, p0: plan.baseline.mean, alpha: 0.05, power: 0.8, effect: 0.05 };
      });
      for (const [label, audience, reps, ourMs] of [
        [`${small.count.toLocaleString('en-US')} profiles`, small, REPS, smallMs],
        [`${ROWS.toLocaleString('en-US')} profiles`, metricOnly, NUMPY_REPS_BIG, big],
      ] as const) {
        const csv = join(dir, 'audience.csv');
        const lines = ['y,stratum'];
        for (let i = 0; i < audience.count; i += 1) lines.push(`${audience.y[i]},${audience.stratumOf[i]}`);
        writeFileSync(csv, `${lines.join('\n')}\n`);
        const sizes = audience.strataKeys.map((key, s) => ({ key, size: 0, s }));
        for (let i = 0; i < audience.count; i += 1) sizes[audience.stratumOf[i]!]!.size += 1;
        const quotas = allocateQuotas(sizes, controlTotal(audience.count, { percent: '10' }), MC.seed).map((q) => q.control);
        const configFile = join(dir, 'config.json');
        writeFileSync(configFile, JSON.stringify({ cases, quotas, reps }));
        const python = JSON.parse(execFileSync(PYTHON, ['-c', PYTHON_SCRIPT, csv, configFile], { encoding: 'utf8', maxBuffer: 1 << 24 })) as { closedFormMs: number; closedForm: [number, number][]; aaMs: number; aaRate: number };
        const theirs = (python.aaMs * REPS) / reps;
        console.log(
          `numpy A/A loop, ${label}: ${python.aaMs.toFixed(0)} ms for ${reps} replicates` +
            `${reps === REPS ? '' : ` (${theirs.toFixed(0)} ms for ${REPS}, scaled)`}, false positives ${(python.aaRate * 100).toFixed(1)} %; ` +
            `ratio (Campaign Planner / numpy): ${(ourMs / theirs).toFixed(3)}`,
        );
        if (audience === small) {
          // Same answers: the first share's MDE and power against statsmodels.
          const first = planSimulation(scan, { ...settings, percent: shares[0]! });
          console.log(
            `statsmodels NormalIndPower (solve_power for the MDE, power for +5 %): ${python.closedFormMs.toFixed(2)} ms per setting; ` +
              `ratio (Campaign Planner's whole plan / statsmodels' two figures): ${(planMs / python.closedFormMs).toFixed(3)}; ` +
              `at ${shares[0]} %: MDE ${first.mde!.absolute.toPrecision(6)} vs ${python.closedForm[0]![0].toPrecision(6)}, power ${first.power!.power.toPrecision(6)} vs ${python.closedForm[0]![1].toPrecision(6)}`,
          );
        }
      }
    }
    console.log(`load average after the run: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    report(targets);
  } finally {
    await pool?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
