/**
 * `import/preview`: the first megabyte of a CSV file, read the way the import would read
 * it, for the wizard's first page: what was detected, the first rows, each column's
 * inferred type with examples, a suggested mapping, and the problems the sample already
 * shows (so the user can fix the options before running anything).
 */
import type { Field } from '../../../shared/contract/databases';
import { EngineError } from '../../../shared/contract/errors';
import type { ColumnTarget, CsvOptions, ImportPreview, ImportProblem, PreviewColumn } from '../../../shared/contract/imports';
import { MAX_ENUM_VALUES } from '../../../shared/domain/profiles';
import { formatCount } from '../../../shared/format';
import { describeOutsideList, valuesOutsideList } from '../../../shared/import-summary';
import { NameIndex } from '../../../shared/names';
import { listFields, requireDatabase } from '../databases/repository';
import type { HandlerContext } from '../registry';
import { BatchBuilder } from './batch-builder';
import { isBlank, listValueOf, readsAsTyped } from './convert';
import { encodingName, readCsvRecords } from './csv-stream';
import { quotesMarkText } from './csv-text';
import { decodeSample, detectFormat, detectLineEnding, newlineFor, SAMPLE_BYTES } from './detect';
import { columnNamesOf, readFileHead } from './file-head';
import { inferType, suggestTargets } from './infer';
import { checkColumnCount, planColumns, resolveTarget, type ResolvedColumn } from './mapping';

/** Data rows the sample holds at most, and rows the preview shows. */
export const SAMPLE_ROWS = 5_000;
export const PREVIEW_ROWS = 20;

type PreviewArgs = { path: string; databaseId?: number | undefined; options?: Partial<CsvOptions> | undefined };

export async function previewImport(args: PreviewArgs, ctx: HandlerContext): Promise<ImportPreview> {
  let fields: Field[] = [];
  if (args.databaseId !== undefined) {
    const { db } = ctx.state.requireSession();
    requireDatabase(db, args.databaseId);
    fields = listFields(db, args.databaseId);
  }
  const head = await readFileHead(ctx.deps.fs, args.path, SAMPLE_BYTES);
  const detected = detectFormat(head.bytes, head.complete, head.fileName);
  const chosen = Object.fromEntries(Object.entries(args.options ?? {}).filter(([, v]) => v !== undefined)) as Partial<CsvOptions>;
  const options: CsvOptions = { ...detected.options, ...chosen };
  const lineEnding = options.encoding === detected.options.encoding ? detected.lineEnding : detectLineEnding(decodeSample(head.bytes, options.encoding, head.complete));
  const newline = newlineFor(lineEnding);

  // The sample, read by the import's own reader (a cut last record is left out).
  const records: string[][] = [];
  const quoted: number[][] = [];
  const badQuotes: number[] = [];
  let unterminatedAt: number | undefined;
  let cut = false;
  const chunks = readCsvRecords(args.path, {
    encoding: options.encoding,
    delimiter: options.delimiter,
    newline,
    chunkBytes: SAMPLE_BYTES,
    fatal: false,
    quotes: true,
    ...(head.complete ? {} : { maxBytes: SAMPLE_BYTES }),
  });
  for await (const chunk of chunks) {
    records.push(...chunk.records);
    quoted.push(...(chunk.quoted ?? []));
    badQuotes.push(...chunk.badQuotes);
    if (chunk.unterminatedQuoteAt !== undefined) unterminatedAt = chunk.unterminatedQuoteAt;
    if (chunk.truncated) cut = true;
  }
  const firstIndex = records.findIndex((r) => !r.every(isBlank));
  if (firstIndex < 0 && (unterminatedAt !== undefined || cut)) {
    throw new EngineError('REFUSED', `The first row of "${head.fileName}" never ends: a quote is not closed, or the delimiter or encoding is wrong.`, {
      reason: 'unreadable',
    });
  }
  if (firstIndex < 0) throw new EngineError('REFUSED', `"${head.fileName}" has no rows: there is nothing to import.`, { reason: 'empty' });
  const first = records[firstIndex] ?? [''];
  checkColumnCount(head.fileName, first.length);
  const headerIndex = options.hasHeader ? firstIndex : -1;
  const names = columnNamesOf(first, options.hasHeader);
  const dataIndices: number[] = [];
  for (let i = firstIndex; i < records.length && dataIndices.length < SAMPLE_ROWS; i += 1) {
    if (i === headerIndex || records[i]!.every(isBlank)) continue;
    dataIndices.push(i);
  }
  const rowsCapped = dataIndices.length >= SAMPLE_ROWS && dataIndices[dataIndices.length - 1]! < records.length - 1;
  const data = dataIndices.map((i) => records[i]!);

  const warnings: string[] = [];
  // For each column, the first column of the same name (itself, unless it repeats one).
  const firstOfName = new NameIndex(first.flatMap((h, i) => (h.trim() === '' ? [] : [[names[i]!, i] as const])));
  const sameAs = names.map((name, i) => firstOfName.get(name) ?? i);
  const issues = names.map((_, i): 'empty' | 'duplicate' | undefined => {
    if (!options.hasHeader) return undefined;
    if ((first[i] ?? '').trim() === '') return 'empty';
    return sameAs[i]! < i ? 'duplicate' : undefined;
  });
  const emptyNames = names.filter((_, i) => issues[i] === 'empty');
  if (emptyNames.length > 0) {
    warnings.push(`${emptyNames.join(', ')} ${emptyNames.length === 1 ? 'has' : 'have'} no name in the header: skip ${emptyNames.length === 1 ? 'it' : 'them'}, or map ${emptyNames.length === 1 ? 'it' : 'them'} to a field.`);
  }
  for (const [i, issue] of issues.entries()) {
    if (issue !== 'duplicate') continue;
    warnings.push(`Columns ${sameAs[i]! + 1} and ${i + 1} are both named "${names[i]}": column ${i + 1} is skipped unless you map it to another field.`);
  }

  const quotedAsText = quotedTypedColumns(data, dataIndices.map((i) => quoted[i] ?? []), names.length);
  const inferred = names.map((_, i) =>
    inferType(
      data.map((r) => r[i] ?? ''),
      { decimal: options.decimalSeparator, dateOrder: options.dateOrder, quotedAsText: quotedAsText[i]! },
    ),
  );
  const suggested = suggestTargets(
    names.map((name, i) => ({
      name,
      header: options.hasHeader ? (issues[i] === 'empty' ? '' : name) : null,
      inferred: inferred[i]!,
      ...(issues[i] ? { nameIssue: issues[i] } : {}),
    })),
    fields,
  );
  const columns: PreviewColumn[] = names.map((name, i) => {
    const examples: string[] = [];
    let emptyCount = 0;
    for (const row of data) {
      const cell = row[i] ?? '';
      if (isBlank(cell)) emptyCount += 1;
      else if (examples.length < 5 && !examples.includes(cell.trim())) examples.push(cell.trim());
    }
    const column: PreviewColumn = {
      index: i,
      name,
      examples,
      inferredType: inferred[i]!.type,
      inferredEnumValues: inferred[i]!.enumValues,
      emptyCount,
      ...valueCounts(data, i),
      suggested: suggested[i]!,
    };
    return issues[i] ? { ...column, nameIssue: issues[i] } : column;
  });
  // Values a list field lacks, per column (the sample's rows with them would be problems).
  const fieldsById = new Map(fields.map((f) => [f.id, f]));
  for (const column of columns) {
    const target = column.suggested;
    if (target.kind !== 'field' || target.addEnumValues) continue;
    const field = fieldsById.get(target.fieldId);
    if (field?.type !== 'enum') continue;
    const outside = valuesOutsideList(column.values, field.enumValues);
    if (outside.length === 0) continue;
    warnings.push(
      `Column "${column.name}" goes to the list field "${field.name}": ${describeOutsideList(outside, column.moreValues)}. ` +
        'Add them to the list, or the rows with them are not imported.',
    );
  }

  if (!suggested.some((t) => t.kind === 'profileId')) {
    warnings.push('No column is named like a profile ID (profile_id, id, customer_id, …): choose the column that holds the ID.');
  }
  if (detected.dateOrderAmbiguous && options.dateOrder === null) {
    warnings.push('Dates like 03/04/2024 fit both day-first and month-first: choose the order, or such dates are refused.');
  }
  if (data.length === 0 && options.hasHeader && unterminatedAt === undefined) warnings.push('The file has a header row but no data rows.');
  if (records.some((r) => r.some((c) => c.includes('\uFFFD')))) {
    warnings.push(`Some bytes are not valid ${encodingName(options.encoding)}: is the encoding right?`);
  }
  warnings.push(...sampleProblems(records, { suggested, fields, names, headerIndex, cellCount: first.length, options, badQuotes, unterminatedAt, newline }));

  return {
    path: args.path,
    fileName: head.fileName,
    sizeBytes: head.size,
    detected: detected.options,
    options,
    bom: detected.bom,
    lineEnding,
    columns,
    rows: data.slice(0, PREVIEW_ROWS),
    sampledRows: data.length,
    wholeFileSampled: head.complete && !cut && !rowsCapped,
    dateOrderAmbiguous: detected.dateOrderAmbiguous && options.dateOrder === null,
    warnings,
  };
}

/**
 * Columns with a value quoted although it would read as a number, a date or yes/no: text,
 * as the export writes text (convert.ts, `readsAsTyped`), unless quotes say nothing here.
 */
function quotedTypedColumns(rows: readonly string[][], quoted: readonly (readonly number[])[], columns: number): boolean[] {
  const marked = new Array<boolean>(columns).fill(false);
  if (!quotesMarkText(rows, quoted)) return marked;
  for (const [r, row] of rows.entries()) {
    for (const column of quoted[r] ?? []) {
      const cell = row[column] ?? '';
      if (!marked[column] && !isBlank(cell) && readsAsTyped(cell)) marked[column] = true;
    }
  }
  return marked;
}

/** A column's different values as a list field holds them, most frequent first (see PreviewColumn.values). */
function valueCounts(rows: readonly string[][], column: number): Pick<PreviewColumn, 'values' | 'moreValues'> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const cell = row[column] ?? '';
    if (isBlank(cell)) continue;
    const value = listValueOf(cell);
    const count = counts.get(value);
    if (count !== undefined) counts.set(value, count + 1);
    else if (counts.size <= MAX_ENUM_VALUES) counts.set(value, 1);
  }
  const values = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  return { values, moreValues: counts.size > MAX_ENUM_VALUES };
}

/** The sample run through the import's own checks with the suggested mapping, summed up per column and problem. */
function sampleProblems(
  records: string[][],
  context: {
    suggested: readonly ColumnTarget[];
    fields: readonly Field[];
    names: readonly string[];
    headerIndex: number;
    cellCount: number;
    options: CsvOptions;
    badQuotes: readonly number[];
    unterminatedAt: number | undefined;
    newline: '\n' | '\r';
  },
): string[] {
  const fieldsById = new Map(context.fields.map((f) => [f.id, f]));
  const resolved = context.suggested.flatMap((suggested, index): ResolvedColumn[] => {
    const target = resolveTarget(suggested, fieldsById);
    return target ? [{ index, name: context.names[index]!, target }] : [];
  });
  const { columns, textSlots, numberSlots } = planColumns(resolved);
  const problems: ImportProblem[] = [];
  const builder = new BatchBuilder(
    {
      path: '',
      encoding: context.options.encoding,
      delimiter: context.options.delimiter,
      newline: context.newline,
      headerIndex: context.headerIndex,
      decimal: context.options.decimalSeparator,
      dateOrder: context.options.dateOrder,
      cellCount: context.cellCount,
      columns,
      textSlots,
      numberSlots,
      batchRows: 1_024,
      chunkBytes: 0,
      maxProblems: 10_000,
      checkOnlyAfterProblem: true,
    },
    (batch) => problems.push(...batch.problems),
  );
  builder.addChunk({ records: records.slice(0, SAMPLE_ROWS + Math.max(0, context.headerIndex) + 1), firstIndex: 0, badQuotes: context.badQuotes, bytesRead: 0 });
  if (context.unterminatedAt !== undefined) builder.addUnterminatedQuote(context.unterminatedAt);
  builder.flush();

  // One line per column and kind of problem, with the first place it occurs.
  const groups = new Map<string, { first: ImportProblem; count: number }>();
  for (const problem of problems) {
    if (problem.code === 'unknown_enum_value') continue;
    const key = `${problem.column ?? ''}\u0000${problem.code}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { first: problem, count: 1 });
  }
  const lines: string[] = [];
  for (const { first, count } of groups.values()) {
    const where = first.column === null ? `Row ${first.row}` : `Column "${first.column}", row ${first.row}`;
    const value = first.value === null || first.column === null ? '' : ` ("${first.value}")`;
    const more = count > 1 ? ` (${formatCount(count)} such problems in the sample)` : '';
    lines.push(`${where}${value}: ${first.reason}${more}.`);
    if (lines.length === 12) break;
  }
  return lines;
}
