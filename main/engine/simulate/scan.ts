/**
 * `simulate/scan` and the audience in memory every simulator method works on (SimData):
 * read once per source, kept for the last two sources until the project changes, so the
 * Monte Carlo and the balance table after a scan do not read the audience again.
 *
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
import { resolveCovariate, resolveMetric } from './metric';
import { readProjectRows } from './project-rows';
import { MAX_LEVELS, type AudienceRows, type ColumnRequest, type RowField } from './rows';

/** SimData with what the scan says about it. */
export interface LoadedSimData extends SimData {
  readonly info: Omit<SimScan, 'strata' | 'durationMs'>;
}

const CACHE_SIZE = 2;
const caches = new WeakMap<EngineState, { key: string; data: LoadedSimData }[]>();

async function cacheKey(ctx: HandlerContext, source: SimSource): Promise<string> {
  if (source.audience.kind === 'csv') {
    const stat = await ctx.deps.fs.stat(source.audience.input).catch(() => null);
    return `csv:${stat ? `${stat.size}:${stat.mtimeMs}` : 'missing'}:${JSON.stringify(source)}`;
  }
  const session = ctx.state.requireSession();
  return `project:${session.id}:${session.changeCount}:${JSON.stringify(source)}`;
}

/**
 * The audience of `source` in memory: metric, covariate, strata, IDs and balance columns.
 * Throws with a clear message (and `details.reason`) for an unknown field, a field without
 * values, a text field used as a number, an empty audience.
 */
export async function loadSimData(ctx: HandlerContext, source: SimSource): Promise<LoadedSimData> {
  const key = await cacheKey(ctx, source);
  let cache = caches.get(ctx.state);
  if (!cache) caches.set(ctx.state, (cache = []));
  const at = cache.findIndex((entry) => entry.key === key);
  if (at >= 0) {
    // The most recently used first: a third source pushes out the least recent.
    const [hit] = cache.splice(at, 1);
    cache.unshift(hit!);
    return hit!.data;
  }
  const data = await readSimData(ctx, source);
  cache.unshift({ key, data });
  cache.splice(CACHE_SIZE);
  return data;
}

async function readSimData(ctx: HandlerContext, source: SimSource): Promise<LoadedSimData> {
  const phase = 'Reading the audience';
  ctx.progress(phase, 0, null, 'rows');
  await ctx.checkpoint();
  const rows =
    source.audience.kind === 'csv'
      ? await readCsvRows(ctx, { ...source, audience: source.audience })
      : readProjectRows(ctx.state.requireSession().db, source.audience, source.strata);
  if (rows.count === 0) {
    throw new EngineError('REFUSED', `${rows.audience.label} has no profiles to split${rows.audience.gcgRemoved ? ` (the global control group holds all ${formatCount(rows.audience.gcgRemoved)} of its segment)` : ''}: there is nothing to simulate.`, {
      reason: 'empty_audience',
    });
  }
  ctx.progress(phase, 0, rows.count, 'rows');
  await ctx.checkpoint();
  const metric = await resolveMetric(rows, source.metric);
  await ctx.checkpoint();
  const covariate = source.covariate ? await resolveCovariate(rows, source.covariate) : null;
  await ctx.checkpoint();
  const { columns, skipped } = await balanceColumns(rows);
  ctx.progress(phase, rows.count, rows.count, 'rows');
  return {
    count: rows.count,
    y: metric.values,
    x: covariate?.values ?? null,
    binary: metric.binary,
    stratumOf: rows.stratumOf,
    strataKeys: rows.strataKeys,
    strataLabels: rows.strataLabels,
    packed: rows.packed,
    columns,
    skipped,
    info: {
      audience: rows.audience,
      metric: { field: metric.field, kind: metric.binary ? 'binary' : 'continuous', label: metric.label, missing: metric.missing, capValue: metric.capValue },
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
export function stratumSums(data: SimData): SimStratumSums[] {
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
  const data = await loadSimData(ctx, source);
  // Strata with no profile are left out (a CSV's strata are only those seen, a project's too).
  const strata = stratumSums(data).filter((s) => s.size > 0);
  return { ...data.info, strata, durationMs: performance.now() - started };
}
