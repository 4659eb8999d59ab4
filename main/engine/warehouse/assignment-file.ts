/**
 * Reading a warehouse's output (the split query's `id, group, stratum`, or the app's own
 * export of a campaign) with the project's one CSV reader (split/csv-input.ts: encoding,
 * delimiter, header detected; IDs canonical as the import stores them; empty and repeated
 * IDs refused with their rows). The ID column is the one named like an ID (profile_id,
 * id, ...) or else the first; the group column is "group" (or "grp"), the stratum column
 * "stratum" (optional). A file without a header is read as id, group[, stratum].
 * Group words: test, control, or lcg (for control), in any case. Every bad value stops the
 * read with its row, column and value.
 */
import { EngineError } from '../../../shared/contract/errors';
import type { CsvOptions } from '../../../shared/contract/imports';
import type { FileSystem } from '../deps';
import { trimCell } from '../import/convert';
import { sameName } from '../import/mapping';
import { readSplitInput, type RowCollector } from '../split/csv-input';
import type { Assignment } from './fingerprint';

export interface AssignmentFile extends Assignment {
  readonly fileName: string;
  /** Whether the file has a stratum column (else every row's stratum is ''). */
  readonly hasStratum: boolean;
}

const GROUP_NAMES = ['group', 'grp'];
const STRATUM_NAMES = ['stratum', 'stratum_key'];

/** The group a word of the file stands for (1: control), or null. */
export function groupOfWord(word: string): 0 | 1 | null {
  // The words as the query and the export write them, first: a million rows need no trimming.
  if (word === 'test') return 0;
  if (word === 'control') return 1;
  switch (trimCell(word).toLowerCase()) {
    case 'test':
      return 0;
    case 'control':
    case 'lcg':
      return 1;
    default:
      return null;
  }
}

interface Hooks {
  readonly signal: AbortSignal;
  progress(bytesRead: number, total: number): void;
  checkpoint(): Promise<void>;
}

/** Collects each row's group and stratum from the rows the split's reader keeps. */
class GroupCollector implements RowCollector {
  groupIndex = -1;
  stratumIndex = -1;
  groupName = 'group';
  control = new Uint8Array(1 << 16);
  stratumOf = new Int32Array(1 << 16);
  readonly stratumKeys: string[] = [];
  private readonly stratumIndexOf = new Map<string, number>();

  start(names: readonly string[], idIndex: number, options: CsvOptions): void {
    const find = (wanted: readonly string[]) => names.findIndex((n, i) => i !== idIndex && wanted.some((w) => sameName(w, n)));
    if (options.hasHeader) {
      this.groupIndex = find(GROUP_NAMES);
      this.stratumIndex = find(STRATUM_NAMES);
    } else {
      // The split query's columns, in its order: id, group, stratum.
      const others = names.map((_, i) => i).filter((i) => i !== idIndex);
      this.groupIndex = others[0] ?? -1;
      this.stratumIndex = others[1] ?? -1;
    }
    if (this.groupIndex < 0) {
      throw new EngineError(
        'REFUSED',
        `The file has no "group" column (test or control for each ID); its columns are ${names.map((n) => `"${n}"`).join(', ')}.`,
        { columns: [...names] },
      );
    }
    this.groupName = names[this.groupIndex]!;
    if (this.stratumIndex < 0) this.stratumKeys.push('');
  }

  row(record: readonly string[], position: number, row: number): void {
    if (position >= this.control.length) {
      const control = new Uint8Array(this.control.length * 2);
      control.set(this.control);
      this.control = control;
      const strata = new Int32Array(this.stratumOf.length * 2);
      strata.set(this.stratumOf);
      this.stratumOf = strata;
    }
    const word = record[this.groupIndex];
    const group = word === undefined ? null : groupOfWord(word);
    if (group === null) {
      const value = word ?? '';
      throw new EngineError(
        'REFUSED',
        word === undefined
          ? `Row ${row} has no value in column "${this.groupName}": each ID needs its group, test or control.`
          : `Row ${row}, column "${this.groupName}": "${value}" is not a group; use test or control (or lcg).`,
        { row, column: this.groupName, value },
      );
    }
    this.control[position] = group;
    if (this.stratumIndex >= 0) {
      const key = record[this.stratumIndex] ?? '';
      let at = this.stratumIndexOf.get(key);
      if (at === undefined) {
        at = this.stratumKeys.length;
        this.stratumKeys.push(key);
        this.stratumIndexOf.set(key, at);
      }
      this.stratumOf[position] = at;
    }
  }
}

const PURPOSE = { verb: 'verify', result: 'the comparison' };

/** Reads the file whole; see the module comment. */
export async function readAssignmentFile(fs: FileSystem, path: string, options: Partial<CsvOptions> | undefined, hooks: Hooks): Promise<AssignmentFile> {
  const read = async (idColumn: number | undefined) => {
    const collector = new GroupCollector();
    const input = await readSplitInput(fs, { path, idColumn, strata: [], options, today: '1970-01-01', collect: collector, purpose: PURPOSE }, hooks);
    return { input, collector };
  };
  let result: Awaited<ReturnType<typeof read>>;
  try {
    result = await read(undefined);
  } catch (error) {
    // No column named like an ID: the first column holds them (the split query's order).
    if (!(error instanceof EngineError && error.code === 'INVALID_ARGUMENT' && Array.isArray(error.details?.columns))) throw error;
    result = await read(0);
  }
  const { input, collector } = result;
  const count = input.ids.length;
  return {
    fileName: input.fileName,
    ids: input.ids,
    control: collector.control.subarray(0, count),
    stratumOf: collector.stratumOf.subarray(0, count),
    stratumKeys: collector.stratumKeys,
    hasStratum: collector.stratumIndex >= 0,
  };
}
