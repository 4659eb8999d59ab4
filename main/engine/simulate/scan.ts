/**
 * `simulate/scan` and the audience in memory every simulator method works on (SimData):
 * read once per source, kept for the last two sources until the project changes, so the
 * Monte Carlo and the balance table after a scan do not read the audience again.
 *
 * A scan reads the strata and the metric only; the IDs and
 * the balance columns are read when the Monte Carlo or the balance table first needs them.
 * The cache key is the source (as validated), with, for a project audience, the session
 * and its change counter (every change of the project bumps it: engine.ts runMutation), and
 * for a CSV audience the file's size and modification time.
 */
import { EngineError } from '../../../shared/contract/errors';
import type { SimScan, SimSource, SimStratumSums } from '../../../shared/contract/simulate';
import { formatCount } from '../../../shared/format';
import type { HandlerContext } from '../registry';
import type { EngineState } from '../state';
import { readCsvRows } from './csv-rows';
import type { SimColumn, SimData } from './data';
import { planCovariate, planMetric } from './metric';
import { readProjectRows } from './project-rows';
import { MAX_LEVELS, type AudienceRows, type ColumnRequest, type RowField } from './rows';

/** SimData with what the scan says about it. */
export interface LoadedSimData extends SimData {
  readonly info: Omit<SimScan, 'strata' | 'durationMs'>;
}

/** What a scan reads: the strata and the metric (and covariate); IDs and balance columns come with loadSimData. */
interface ScanCore {
  readonly rows: AudienceRows;
  readonly y: Float64Array;
  readonly x: Float64Array | null;
  readonly binary: boolean;
  readonly info: LoadedSimData['info'];
}

/** The profiles' IDs and balance columns: the same for every metric of an audience and its strata. */
interface Profiles {
  readonly packed: Uint8Array;
  readonly columns: SimColumn[];
  readonly skipped: { field: string; reason: string }[];
}

/** The last two values by key, per engine; `read` makes a missing one (the most recently used first). */
class Recent<T> {
  private readonly byEngine = new WeakMap<EngineState, { key: string; value: T }[]>();

  async get(state: EngineState, key: string, read: () => Promise<T>): Promise<T> {
    let list = this.byEngine.get(state);
    if (!list) this.byEngine.set(state, (list = []));
    const at = list.findIndex((entry) => entry.key === key);
    if (at >= 0) {
      const [hit] = list.splice(at, 1);
      list.unshift(hit!);
      return hit!.value;
    }
    const value = await read();
    list.unshift({ key, value });
    list.splice(2);
    return value;
  }
}

const scans = new Recent<ScanCore>();
/** A project audience's rows (strata, placement) for its last two audiences: a new metric reads only its own column. */
const audiences = new Recent<AudienceRows>();
const profiles = new Recent<Profiles>();
const loaded = new Recent<LoadedSimData>();

/** What the data read depends on: `part` of the source, and the project's state (or the file's). */
async function cacheKey(ctx: HandlerContext, source: SimSource, part: unknown): Promise<string> {
  if (source.audience.kind === 'csv') {
    const stat = await ctx.deps.fs.stat(source.audience.input).catch(() => null);
    return `csv:${stat ? `${stat.size}:${stat.mtimeMs}` : 'missing'}:${JSON.stringify(part)}`;
  }
  const session = ctx.state.requireSession();
  return `project:${session.id}:${session.changeCount}:${JSON.stringify(part)}`;
}

const scanCore = (ctx: HandlerContext, source: SimSource, key: string) => scans.get(ctx.state, key, () => readCore(ctx, source));

const PHASE = 'Reading the audience';

/**
 * The audience of `source` in memory: metric, covariate, strata, IDs and balance columns.
 * Throws with a clear message (and `details.reason`) for an unknown field, a field without
 * values, a text field used as a number, an empty audience.
 */
export async function loadSimData(ctx: HandlerContext, source: SimSource): Promise<LoadedSimData> {
  const key = await cacheKey(ctx, source, source);
  const core = await scanCore(ctx, source, key);
  return loaded.get(ctx.state, key, async () => {
    const { rows } = core;
    const audienceKey = await cacheKey(ctx, source, audiencePart(source));
    const { packed, columns, skipped } = await profiles.get(ctx.state, audienceKey, async () => {
      ctx.progress(PHASE, 0, rows.count, 'rows');
      await ctx.checkpoint();
      const ids = await rows.readIds();
      await ctx.checkpoint();
      const read = await balanceColumns(rows);
      ctx.progress(PHASE, rows.count, rows.count, 'rows');
      return { packed: ids, ...read };
    });
    const { y, x, binary, info } = core;
    return { count: rows.count, y, x, binary, stratumOf: rows.stratumOf, strataKeys: rows.strataKeys, strataLabels: rows.strataLabels, packed, columns, skipped, info };
  });
}

/** The part of a source the rows depend on: the same for another metric or covariate (a CSV's are read with the file, so not kept apart). */
const audiencePart = (source: SimSource): unknown =>
  source.audience.kind === 'csv' ? source : { audience: source.audience, strata: source.strata, columns: source.columns, today: source.today };

async function readCore(ctx: HandlerContext, source: SimSource): Promise<ScanCore> {
  ctx.progress(PHASE, 0, null, 'rows');
  await ctx.checkpoint();
  const { audience } = source;
  const rows =
    audience.kind === 'csv'
      ? await readCsvRows(ctx, { ...source, audience })
      : await audiences.get(ctx.state, await cacheKey(ctx, source, audiencePart(source)), () =>
          Promise.resolve(readProjectRows(ctx.state.requireSession().db, audience, source.strata)),
        );
  if (rows.count === 0) {
    throw new EngineError('REFUSED', `${rows.audience.label} has no profiles to split${rows.audience.gcgRemoved ? ` (the global control group holds all ${formatCount(rows.audience.gcgRemoved)} of its segment)` : ''}: there is nothing to simulate.`, {
      reason: 'empty_audience',
    });
  }
  ctx.progress(PHASE, 0, rows.count, 'rows');
  await ctx.checkpoint();
  // The metric and the covariate in one read; each checked before anything is read.
  const plans = [planMetric(rows, source.metric), ...(source.covariate ? [planCovariate(rows, source.covariate)] : [])];
  const read = await rows.read(plans.map((p) => p.request));
  const [metric, covariate] = plans.map((plan, i) => {
    const result = read[i];
    return plan.finish(result && 'values' in result ? result.values : new Float64Array(rows.count).fill(Number.NaN));
  });
  ctx.progress(PHASE, rows.count, rows.count, 'rows');
  return {
    rows,
    y: metric!.values,
    x: covariate?.values ?? null,
    binary: metric!.binary,
    info: {
      audience: rows.audience,
      metric: { field: metric!.field, kind: metric!.binary ? 'binary' : 'continuous', label: metric!.label, missing: metric!.missing, capValue: metric!.capValue },
      covariate: covariate ? { field: covariate.field, label: covariate.label, missing: covariate.missing, capValue: covariate.capValue } : null,
      strataLabel: rows.strataLabel,
      campaign: rows.campaign,
      scannedAt: rows.scannedAt,
    },
  };
}

const DATE_REASON = 'a date: the balance table compares numbers, yes/no fields and categories';
const NO_VALUES = 'no values in this audience';

/**
 * Every field as the balance table compares it: numbers and yes/no as they are, enums and
 * text of at most MAX_LEVELS values level by level; dates, longer text and fields without a
 * value in the audience are left out, each with its reason. One read for all.
 */
async function balanceColumns(rows: AudienceRows): Promise<{ columns: SimColumn[]; skipped: { field: string; reason: string }[] }> {
  const skipped: { field: string; reason: string }[] = [];
  const wanted: RowField[] = [];
  for (const field of rows.fields) {
    if (field.type === 'date') skipped.push({ field: field.name, reason: DATE_REASON });
    else wanted.push(field);
  }
  const requests: ColumnRequest[] = wanted.map((field) => (field.type === 'number' || field.type === 'binary' ? { field, as: 'numbers' } : { field, as: 'categories' }));
  const results = await rows.read(requests);
  const columns: SimColumn[] = [];
  wanted.forEach((field, i) => {
    const result = results[i]!;
    if (result === null) {
      skipped.push({ field: field.name, reason: `text with more than ${MAX_LEVELS} different values` });
    } else if ('values' in result) {
      if (result.values.every(Number.isNaN)) skipped.push({ field: field.name, reason: NO_VALUES });
      else columns.push({ field: field.name, kind: field.type === 'binary' ? 'binary' : 'number', values: result.values });
    } else if (result.codes.every((c) => c < 0)) {
      skipped.push({ field: field.name, reason: NO_VALUES });
    } else {
      columns.push({ field: field.name, kind: 'categorical', codes: result.codes, levels: result.levels });
    }
  });
  return { columns, skipped };
}

/** Per-stratum sums of y, y², x, x² and xy (x sums 0 without a covariate). */
export function stratumSums(data: Pick<SimData, 'count' | 'y' | 'x' | 'stratumOf' | 'strataKeys' | 'strataLabels'>): SimStratumSums[] {
  const k = data.strataKeys.length;
  const size = new Float64Array(k);
  const sy = new Float64Array(k);
  const syy = new Float64Array(k);
  const sx = new Float64Array(k);
  const sxx = new Float64Array(k);
  const sxy = new Float64Array(k);
  const { y, x, stratumOf } = data;
  for (let i = 0; i < data.count; i += 1) {
    const s = stratumOf[i]!;
    const yi = y[i]!;
    size[s]! += 1;
    sy[s]! += yi;
    syy[s]! += yi * yi;
    if (x) {
      const xi = x[i]!;
      sx[s]! += xi;
      sxx[s]! += xi * xi;
      sxy[s]! += xi * yi;
    }
  }
  return data.strataKeys.map((key, s) => ({
    key,
    label: data.strataLabels[s] ?? key,
    size: size[s]!,
    sumY: sy[s]!,
    sumY2: syy[s]!,
    sumX: sx[s]!,
    sumX2: sxx[s]!,
    sumXY: sxy[s]!,
  }));
}

export async function scanHandler(source: SimSource, ctx: HandlerContext): Promise<SimScan> {
  const started = performance.now();
  const core = await scanCore(ctx, source, await cacheKey(ctx, source, source));
  const { rows } = core;
  const strata = stratumSums({ count: rows.count, y: core.y, x: core.x, stratumOf: rows.stratumOf, strataKeys: rows.strataKeys, strataLabels: rows.strataLabels });
  // Strata with no profile are left out (a CSV's strata are only those seen, a project's too).
  return { ...core.info, strata: strata.filter((s) => s.size > 0), durationMs: performance.now() - started };
}
