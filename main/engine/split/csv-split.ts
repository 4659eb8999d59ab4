/**
 * `split/csv`: the stand-alone split for analysts. Reads the IDs (and strata) of a CSV
 * file, splits them exactly as a campaign would (assign.ts: STATS.md section 1), and writes
 * each ID with its group (and stratum) in input order, atomically, with the export's CSV
 * rules (csv-builder.ts: RFC 4180 quoting, formulas neutralised, CRLF, a UTF-8 BOM).
 */
import { basename, resolve } from 'node:path';
import type { ParsedArgsOf, ResultOf } from '../../../shared/contract/index';
import { EngineError } from '../../../shared/contract/errors';
import { clockTimeFromLocalDate } from '../../../shared/domain/clock';
import { CsvBuilder, UTF8_BOM } from '../export/csv-builder';
import { writeFileAtomicStream, type WritableFile } from '../project/atomic-write';
import type { HandlerContext } from '../registry';
import { hasLcg, warningOfQuotas } from '../campaigns/split-report';
import { assignSplit, stratumRows } from './assign';
import { readSplitInput } from './csv-input';

const COMMA = 0x2c;
const CHUNK_BYTES = 2 * 1024 * 1024;
const encoder = new TextEncoder();
const GROUP_BYTES = [encoder.encode('test'), encoder.encode('control')] as const;

async function writeAll(handle: WritableFile, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
    offset += bytesWritten;
  }
}

export async function splitCsv(args: ParsedArgsOf<'split/csv'>, ctx: HandlerContext): Promise<ResultOf<'split/csv'>> {
  const started = performance.now();
  const { fs } = ctx.deps;
  if (resolve(args.input) === resolve(args.output)) {
    throw new EngineError('INVALID_ARGUMENT', 'The output file must not be the input file.', { path: args.output });
  }
  const existing = await fs.stat(args.output).catch(() => null);
  if (existing?.isDirectory()) throw new EngineError('INVALID_ARGUMENT', `"${args.output}" is a folder; choose a file name.`, { path: args.output });
  if (existing && !args.overwrite) {
    throw new EngineError('ALREADY_EXISTS', `"${basename(args.output)}" already exists. Confirm to replace it.`, { path: args.output });
  }

  const reading = 'Reading the IDs';
  const input = await readSplitInput(
    fs,
    { path: args.input, idColumn: args.idColumn, strata: args.strata, options: args.options, today: args.today ?? clockTimeFromLocalDate(ctx.deps.now()).slice(0, 10) },
    {
      signal: ctx.signal,
      progress: (done, total) => ctx.progress(reading, done, total, 'bytes'),
      checkpoint: () => ctx.checkpoint(),
    },
  );
  const count = input.ids.length;
  const size = { percent: args.percent ?? null, limit: args.limit ?? null };
  ctx.progress('Splitting', 0, count, 'rows');
  const { total, quotas, control } = await assignSplit({
    packed: input.packed,
    count,
    stratumOf: input.strata.stratumOf,
    strataKeys: input.strata.keys,
    seed: args.seed,
    size,
    idAt: (i) => input.ids[i]!,
    pool: ctx.deps.splitPool,
  });
  await ctx.checkpoint();

  const writing = 'Writing the groups';
  const labels = input.strata.labels.map((label) => encoder.encode(label));
  await writeFileAtomicStream(
    fs,
    args.output,
    async (handle) => {
      const builder = new CsvBuilder(COMMA, CHUNK_BYTES + 64 * 1024);
      builder.raw(UTF8_BOM);
      builder.textString('id');
      builder.textString('group');
      if (input.stratified) builder.textString('stratum');
      builder.endRow();
      const { packed, starts, ends, strata } = input;
      for (let i = 0; i < count; i += 1) {
        builder.text(packed, starts[i]!, ends[i]!);
        const group = GROUP_BYTES[control[i]!]!;
        builder.text(group, 0, group.length);
        if (input.stratified) {
          const label = labels[strata.stratumOf[i]!]!;
          builder.text(label, 0, label.length);
        }
        builder.endRow();
        if (builder.length >= CHUNK_BYTES) {
          await writeAll(handle, builder.takeOwned());
          ctx.progress(writing, i + 1, count, 'rows');
          await ctx.checkpoint();
        }
      }
      await writeAll(handle, builder.takeOwned());
    },
    { signal: ctx.signal, randomId: ctx.deps.randomId, sleep: ctx.deps.sleep },
  );
  ctx.progress(writing, count, count, 'rows');

  const labelByKey = new Map(input.strata.keys.map((key, s) => [key, input.strata.labels[s]!]));
  const controlCount = quotas.reduce((sum, q) => sum + q.control, 0);
  return {
    output: args.output,
    rows: count,
    control: controlCount,
    test: count - controlCount,
    strata: input.stratified ? stratumRows(quotas, input.strata.labels) : [],
    warning: input.stratified && hasLcg(size) ? warningOfQuotas(quotas, total, (key) => labelByKey.get(key) ?? key, size) : null,
    durationMs: performance.now() - started,
  };
}
