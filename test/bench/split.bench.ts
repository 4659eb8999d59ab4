/**
 * The split alone (hash, quotas, ordering) of 1,000,000 profiles in 100 strata, as the
 * engine runs it (main/engine/split/assign.ts): the IDs already in memory as a packed
 * list, the strata as an Int32Array; md5(seed ":" id) hashed in the split worker pool,
 * Hamilton quotas (allocateQuotas), the control profiles picked per stratum
 * (selectControl). Exact and reproducible.
 *
 * Targets (issue 14): median of 3 runs at most 130 ms, and at most 1.5 times the md5 floor
 * measured in the same run: OpenSSL hashing 1,000,000 16-byte inputs on every core
 * (`openssl speed -evp md5 -bytes 16 -multi <cores>`, its rate turned into the time of a
 * million hashes; median of 3, each run after one of ours, so both see the same load). The
 * split cannot be faster than hashing every ID once. For information, what an analyst
 * reaches for, pandas df.groupby('stratum').sample(frac=0.1, random_state=1), on the same IDs
 * and strata (timed inside Python; Debian's /usr/bin/python3 with python3-pandas, installed
 * with apt-get when missing, or skipped with a message). pandas' sample is neither exact
 * (rounding per group, no fixed total) nor reproducible in SQL.
 *
 *   npm run bench -- split            BENCH_SPLIT_ROWS=200000 for a quicker run
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { assignSplit } from '../../main/engine/split/assign';
import { createSplitPool } from '../../main/workers/hash-in-pool';
import { SeededRandom } from '../../main/engine/demo/random';
import { packIds } from '../../shared/split/hash-ids';
import { ensurePandas, PYTHON } from './pandas-peer';
import { report, runBench, type Target } from './report';

const ROWS = Number(process.env.BENCH_SPLIT_ROWS ?? 1_000_000);
const STRATA = 100;
const RUNS = 3;

const PANDAS_SCRIPT = `
import sys, time
import pandas as pd
frame = pd.read_csv(sys.argv[1], dtype={'id': str, 'stratum': 'int32'})
times = []
for run in range(int(sys.argv[2])):
    started = time.perf_counter()
    sample = frame.groupby('stratum').sample(frac=0.1, random_state=1)
    times.append((time.perf_counter() - started) * 1000)
print(' '.join(f'{t:.1f}' for t in times), len(sample))
`;

const OPENSSL = '/usr/bin/openssl';
/** The floor's inputs: 16 bytes, about a seed, a colon and a demo ID ("bench-seed:0000001" is 18). */
const FLOOR_BYTES = 16;

/**
 * OpenSSL's md5 of FLOOR_BYTES-byte inputs for a second on `cores` processes: the time of
 * `ids` hashes at that rate, in ms; null without openssl. -mr prints the total rate as
 * "+F:<n>:md5:<bytes per second>".
 */
function md5FloorMs(ids: number, cores: number): number | null {
  if (!existsSync(OPENSSL)) return null;
  const run = spawnSync(OPENSSL, ['speed', '-mr', '-seconds', '1', '-bytes', String(FLOOR_BYTES), '-evp', 'md5', '-multi', String(cores)], { encoding: 'utf8' });
  const line = run.stdout
    .split('\n')
    .reverse()
    .find((l) => /^\+F:\d+:md5:[\d.]+$/.test(l.trim()));
  if (run.status !== 0 || !line) throw new Error(`openssl speed gave no md5 rate: ${run.stderr || run.stdout}`);
  const bytesPerSecond = Number(line.trim().split(':')[3]);
  return (ids * FLOOR_BYTES * 1000) / bytesPerSecond;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** IDs like the demo's ("0000001"), in 100 strata of uneven sizes (a few large, many small). */
function makeAudience(): { ids: string[]; stratumOf: Int32Array; keys: string[] } {
  const random = new SeededRandom('split-bench');
  const weights = Array.from({ length: STRATA }, (_, s) => 1 / (s + 1) ** 0.8);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  weights.reduce((sum, w, s) => (cumulative[s] = sum + w / total), 0);
  const ids = Array.from({ length: ROWS }, (_, i) => String(i + 1).padStart(7, '0'));
  const stratumOf = new Int32Array(ROWS);
  for (let i = 0; i < ROWS; i += 1) {
    const x = random.next();
    let s = 0;
    while (s < STRATA - 1 && cumulative[s]! < x) s += 1;
    stratumOf[i] = s;
  }
  return { ids, stratumOf, keys: Array.from({ length: STRATA }, (_, s) => `stratum-${s}`) };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cplan-bench-split-'));
  const pool = createSplitPool();
  try {
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min)`);
    const { ids, stratumOf, keys } = makeAudience();
    const packed = packIds(ids);
    console.log(`audience: ${ROWS.toLocaleString('en-US')} IDs (${(packed.length / 1024 / 1024).toFixed(1)} MB packed) in ${STRATA} strata; worker pool: ${pool ? `${pool.size} threads` : 'none (dist/main/split-worker.cjs missing: hashing on this thread)'}`);
    const split = () =>
      assignSplit({ packed, count: ROWS, stratumOf, strataKeys: keys, seed: 'bench-seed', size: { percent: 10 }, idAt: (i) => ids[i]!, pool });

    // The pool starts its threads on first use and keeps them until closed: warm it up once.
    const warmStart = performance.now();
    const first = await split();
    console.log(`warm-up (starts the worker threads): ${(performance.now() - warmStart).toFixed(0)} ms`);
    const ours: number[] = [];
    const floors: number[] = [];
    const cores = cpus().length;
    for (let run = 1; run <= RUNS; run += 1) {
      global.gc?.();
      const started = performance.now();
      const result = await split();
      const elapsed = performance.now() - started;
      ours.push(elapsed);
      const control = result.control.reduce((sum, f) => sum + f, 0);
      if (control !== result.total || Buffer.compare(Buffer.from(result.control), Buffer.from(first.control)) !== 0) {
        throw new Error(`run ${run} gave another split (${control} control, total ${result.total})`);
      }
      const floor = md5FloorMs(ROWS, cores);
      if (floor !== null) floors.push(floor);
      console.log(
        `run ${run}: Campaign Planner ${elapsed.toFixed(0)} ms (${control.toLocaleString('en-US')} control, exactly 10 %)` +
          (floor === null ? '' : `; OpenSSL md5 of ${ROWS.toLocaleString('en-US')} ${FLOOR_BYTES}-byte inputs on ${cores} cores ${floor.toFixed(0)} ms`),
      );
    }
    const ourMedian = median(ours);
    console.log(`Campaign Planner, median of ${RUNS}: ${ourMedian.toFixed(0)} ms`);
    const targets: Target[] = [{ name: `split of ${ROWS.toLocaleString('en-US')} profiles in ${STRATA} strata (hash, quotas, ordering; median of ${RUNS})`, value: ourMedian, unit: 'ms', max: 130 * (ROWS / 1_000_000) }];
    if (floors.length === 0) {
      console.log(`md5 floor SKIPPED: ${OPENSSL} is not installed (apt-get install openssl)`);
    } else {
      const floor = median(floors);
      console.log(`md5 floor, median of ${RUNS}: ${floor.toFixed(0)} ms; ratio (Campaign Planner / floor): ${(ourMedian / floor).toFixed(2)}`);
      targets.push({ name: `time relative to the md5 floor (OpenSSL, ${cores} cores; medians)`, value: ourMedian / floor, unit: 'x', max: 1.5 });
    }

    const missing = ensurePandas();
    if (missing) {
      console.log(`pandas comparison SKIPPED: ${missing}`);
    } else {
      const csv = join(dir, 'audience.csv');
      const lines = ['id,stratum'];
      for (let i = 0; i < ROWS; i += 1) lines.push(`${ids[i]},${stratumOf[i]}`);
      writeFileSync(csv, `${lines.join('\n')}\n`);
      const output = execFileSync(PYTHON, ['-c', PANDAS_SCRIPT, csv, String(RUNS)], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
      const theirs = output.slice(0, RUNS);
      theirs.forEach((ms, i) => console.log(`run ${i + 1}: pandas groupby('stratum').sample(frac=0.1) ${ms.toFixed(0)} ms (${output[RUNS]?.toLocaleString('en-US')} sampled; timed inside Python)`));
      const ratio = ourMedian / median(theirs);
      // For information (no target): pandas' sample is neither exact nor reproducible.
      console.log(`pandas, median of ${RUNS}: ${median(theirs).toFixed(0)} ms; ratio (Campaign Planner / pandas groupby().sample()): ${ratio.toFixed(2)}`);
    }
    console.log(`load average after the run: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    report(targets);
  } finally {
    await pool?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
