/**
 * `cplan import`: from command-line flags to the engine's import request. The defaults are
 * what the preview detected and suggested; each flag changes one thing.
 */
import type { ColumnMapping, ColumnTarget, CsvOptions, ImportPreview, PreviewColumn } from '../../../shared/contract/imports';
import type { Field } from '../../../shared/contract/databases';
import { CSV_ENCODINGS } from '../../../shared/contract/imports';
import { formatCount } from '../../../shared/format';
import { describeOutsideList, listOfTarget, valuesOutsideList } from '../../../shared/import-summary';
import { FIELD_TYPES, type FieldType } from '../../../shared/domain/profiles';
import { UsageError } from '../command';

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

const ENCODING_ALIASES: Record<string, CsvOptions['encoding']> = {
  utf8: 'utf-8',
  'utf-8': 'utf-8',
  utf16le: 'utf-16le',
  'utf-16le': 'utf-16le',
  utf16be: 'utf-16be',
  'utf-16be': 'utf-16be',
  'windows-1251': 'windows-1251',
  windows1251: 'windows-1251',
  cp1251: 'windows-1251',
  '1251': 'windows-1251',
  'windows-1252': 'windows-1252',
  windows1252: 'windows-1252',
  cp1252: 'windows-1252',
  '1252': 'windows-1252',
};

const DELIMITER_ALIASES: Record<string, CsvOptions['delimiter']> = {
  ',': ',',
  comma: ',',
  ';': ';',
  semicolon: ';',
  '\t': '\t',
  '\\t': '\t',
  tab: '\t',
  '|': '|',
  pipe: '|',
};

function oneOf<T extends string>(value: unknown, flag: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got "${text}")`);
  return text as T;
}

const list = (value: Values[string]): string[] => (value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String));

/** The CSV options the flags set; the rest stay as detected. */
export function csvOverrides(values: Values): Partial<CsvOptions> {
  const options: Partial<CsvOptions> = {};
  if (values.encoding !== undefined) {
    const encoding = ENCODING_ALIASES[String(values.encoding).toLowerCase()];
    if (!encoding) throw new UsageError(`--encoding must be one of ${CSV_ENCODINGS.join(', ')} (got "${String(values.encoding)}")`);
    options.encoding = encoding;
  }
  if (values.delimiter !== undefined) {
    const delimiter = DELIMITER_ALIASES[String(values.delimiter).toLowerCase()];
    if (!delimiter) throw new UsageError(`--delimiter must be one of , ; tab | (got "${String(values.delimiter)}")`);
    options.delimiter = delimiter;
  }
  if (values['no-header'] === true && values.header === true) throw new UsageError('--header and --no-header cannot both be given');
  if (values['no-header'] === true) options.hasHeader = false;
  if (values.header === true) options.hasHeader = true;
  const decimal = oneOf(values.decimal, 'decimal', ['.', ','] as const);
  if (decimal) options.decimalSeparator = decimal;
  const order = oneOf(values['date-order'], 'date-order', ['dmy', 'mdy'] as const);
  if (order) options.dateOrder = order;
  return options;
}

export interface RunChoices {
  readonly mode: 'add' | 'update' | 'upsert';
  readonly emptyCells: 'keep' | 'clear';
  readonly onBadRows: 'stop' | 'skip';
}

export function runChoices(values: Values): RunChoices {
  return {
    mode: oneOf(values.mode, 'mode', ['add', 'update', 'upsert'] as const) ?? 'upsert',
    emptyCells: oneOf(values.empty, 'empty', ['keep', 'clear'] as const) ?? 'keep',
    onBadRows: oneOf(values['on-error'], 'on-error', ['stop', 'skip'] as const) ?? 'stop',
  };
}

/** A column named on the command line: by its header (any case), or by position as #3. */
export function findColumn(preview: ImportPreview, reference: string, flag: string): PreviewColumn {
  const byNumber = /^#(\d+)$/.exec(reference.trim());
  if (byNumber) {
    const column = preview.columns[Number(byNumber[1]) - 1];
    if (!column) throw new UsageError(`--${flag} ${reference}: the file has ${preview.columns.length} columns`);
    return column;
  }
  const exact = preview.columns.filter((c) => c.name === reference);
  const matches = exact.length > 0 ? exact : preview.columns.filter((c) => c.name.toLowerCase() === reference.toLowerCase());
  if (matches.length === 0) {
    throw new UsageError(`--${flag} ${reference}: no such column; the columns are ${preview.columns.map((c) => `"${c.name}"`).join(', ')}`);
  }
  if (matches.length > 1) {
    throw new UsageError(`--${flag} ${reference}: ${matches.length} columns have that name; name one by position (${matches.map((c) => `#${c.index + 1}`).join(', ')})`);
  }
  return matches[0]!;
}

function newFieldOf(column: PreviewColumn, type: FieldType = column.inferredType): ColumnTarget {
  // A repeated header would clash with the first column of that name.
  const name = (column.nameIssue === 'duplicate' ? `${column.name} (column ${column.index + 1})` : column.name).slice(0, 64);
  if (type !== 'enum') return { kind: 'newField', field: { name, type } };
  if (column.inferredEnumValues.length === 0) {
    throw new UsageError(`column "${column.name}" cannot be a choice (enum): its values in the sample do not look like a short list`);
  }
  // A new list takes every value of the file, as the wizard's does.
  return { kind: 'newField', field: { name, type: 'enum', enumValues: column.inferredEnumValues }, addEnumValues: true };
}

/** For columns going to a list without adding to it: the values of the sample the list lacks, as lines to show. */
export function valuesOutsideLists(preview: ImportPreview, mapping: readonly ColumnMapping[], fields: readonly Field[]): string[] {
  return mapping.flatMap(({ column, target }) => {
    const list = listOfTarget(target, fields);
    const previewColumn = preview.columns[column];
    if (!list || !previewColumn || ('addEnumValues' in target && target.addEnumValues)) return [];
    const outside = valuesOutsideList(previewColumn.values, list.values);
    if (outside.length === 0) return [];
    const rows = preview.wholeFileSampled ? '' : ` (in the first ${formatCount(preview.sampledRows)} rows)`;
    const described = describeOutsideList(outside, previewColumn.moreValues);
    // A list cannot take more values than it holds: --add-enum-values would not help then.
    const what = previewColumn.moreValues
      ? 'rows with values the list lacks are not imported'
      : 'add --add-enum-values to add them to the list, or rows with them are not imported';
    return [`column "${previewColumn.name}" goes to the list "${list.name}": ${described.charAt(0).toLowerCase()}${described.slice(1)}${rows}; ${what}`];
  });
}

/**
 * The mapping: the preview's suggestions, then --id-column, --status-column, --skip-column
 * and --type. Columns with a missing or repeated header must be skipped (or given a type,
 * which makes them new fields named "Column N") explicitly.
 */
export function buildMapping(preview: ImportPreview, values: Values, fields: readonly Field[] = []): ColumnMapping[] {
  const targets = new Map<number, ColumnTarget>(preview.columns.map((c) => [c.index, c.suggested]));
  const decided = new Set<number>();
  const reassign = (kind: 'profileId' | 'subscription', reference: string, flag: string) => {
    const chosen = findColumn(preview, reference, flag);
    for (const column of preview.columns) {
      if (column.index !== chosen.index && targets.get(column.index)?.kind === kind) targets.set(column.index, newFieldOf(column));
    }
    targets.set(chosen.index, { kind });
    decided.add(chosen.index);
  };
  if (values['id-column'] !== undefined) reassign('profileId', String(values['id-column']), 'id-column');
  if (values['status-column'] !== undefined) reassign('subscription', String(values['status-column']), 'status-column');
  for (const reference of list(values['skip-column'])) {
    const column = findColumn(preview, reference, 'skip-column');
    targets.set(column.index, { kind: 'skip' });
    decided.add(column.index);
  }
  for (const spec of list(values.type)) {
    const match = /^(.+)=([a-z]+)$/.exec(spec);
    if (!match) throw new UsageError(`--type expects COLUMN=TYPE, e.g. --type zip=string (got "${spec}")`);
    const type = oneOf(match[2], 'type', FIELD_TYPES);
    const column = findColumn(preview, match[1]!, 'type');
    const current = targets.get(column.index);
    if (current?.kind === 'field') {
      throw new UsageError(`--type ${spec}: column "${column.name}" goes to an existing field, whose type is already set`);
    }
    if (current?.kind === 'profileId' || current?.kind === 'subscription') {
      throw new UsageError(`--type ${spec}: column "${column.name}" is the ${current.kind === 'profileId' ? 'profile ID' : 'subscription status'}, which has no type to choose`);
    }
    targets.set(column.index, newFieldOf(column, type));
    decided.add(column.index);
  }
  const unnamed = preview.columns.filter((c) => c.nameIssue !== undefined && !decided.has(c.index));
  if (unnamed.length > 0) {
    const described = unnamed.map((c) => `#${c.index + 1} ("${c.name}", ${c.nameIssue === 'empty' ? 'no header' : 'a repeated header'})`).join(', ');
    throw new UsageError(`columns without a usable name: ${described}; skip each with --skip-column "#N", or import it with --type "#N=TYPE"`);
  }
  if (![...targets.values()].some((t) => t.kind === 'profileId')) {
    throw new UsageError(`no column is named like a profile ID (profile_id, id, customer_id, …); name it with --id-column`);
  }
  const addToLists = values['add-enum-values'] === true;
  return preview.columns.map((c) => {
    const target = targets.get(c.index) ?? { kind: 'skip' };
    return { column: c.index, target: addToLists && (target.kind === 'field' || target.kind === 'newField') && listOfTarget(target, fields) ? { ...target, addEnumValues: true } : target };
  });
}
