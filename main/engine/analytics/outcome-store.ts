/**
 * A campaign's outcome file in the project (format 12): its row in outcome_files (the
 * columns as JSON, a column's position being its column_index) and its values in
 * outcome_values, one row per profile and column with a value. A project file comes from
 * anyone: what is read back is checked (zod), and a row that is not what this app writes
 * makes the project "damaged" with a message saying where, never an internal error.
 */
import type { SqlJsStatic } from 'sql.js';
import { z } from 'zod';
import { MAX_OUTCOME_COLUMNS, OutcomeColumn, type OutcomeFile } from '../../../shared/contract/analytics';
import { Instant } from '../../../shared/contract/common';
import { sameName } from '../../../shared/names';
import { createBulkWriter } from '../import/bulk-writer';
import type { SqlDb } from '../sqlite/database';
import { reserveFileRoom } from '../sqlite/file-room';
import { storedJson, storedValue } from '../sqlite/stored-values';

const Columns = z.array(OutcomeColumn).max(MAX_OUTCOME_COLUMNS);
const Examples = z.array(z.string());
const Count = z.number().int().min(0);

/** The campaign's outcome file, or null when none was imported. */
export function readOutcomeFile(db: SqlDb, campaignId: number): OutcomeFile | null {
  const row = db.get('SELECT * FROM outcome_files WHERE campaign_id = ?', [campaignId]);
  if (!row) return null;
  const where = (what: string) => `${what} of the outcome file of campaign ${campaignId}`;
  return {
    campaignId,
    fileName: storedValue(z.string(), row.file_name, where('the name')),
    importedAt: storedValue(Instant, row.imported_at, where('the import time')),
    rows: storedValue(Count, row.rows_read, where('the rows read')),
    unknownProfiles: storedValue(Count, row.unknown_profiles, where('the unknown profiles')),
    unknownExamples: storedJson(Examples, row.unknown_examples, where('the unknown IDs')),
    columns: storedJson(Columns, row.columns, where('the columns')),
  };
}

/** The column of an outcome file named `name` (as the app compares names, shared/names.ts): its column_index in outcome_values, and whether it is binary. */
export function findOutcomeColumn(file: OutcomeFile, name: string): { binary: boolean; index: number } | null {
  const index = file.columns.findIndex((c) => sameName(c.name, name.trim()));
  return index < 0 ? null : { binary: file.columns[index]!.binary, index };
}

/** Values of one column, sorted by profile key: the order of the table's B-tree, so SQLite appends. */
export interface ColumnValues {
  readonly keys: Float64Array;
  readonly values: Float64Array;
}

/** Rows written by one statement batch, between two awaits of `step`. */
const WRITE_BATCH_ROWS = 32_768;
/** About what a row of outcome_values takes in the file: for growing the file once (file-room.ts). */
const BYTES_PER_VALUE = 24;

/**
 * Replaces the campaign's outcome file: the old row and values go, the new ones come, in
 * the caller's transaction (so a failure or a cancel in `step` keeps the old file whole).
 */
export async function replaceOutcomeFile(
  sql: SqlJsStatic,
  db: SqlDb,
  file: OutcomeFile,
  values: readonly ColumnValues[],
  step: (written: number, total: number) => Promise<void>,
): Promise<void> {
  const { campaignId } = file;
  // Without a WHERE, SQLite empties a table without visiting its rows (its truncate
  // optimisation): a second import of a million rows no longer spends a second deleting
  // the first, when no other campaign has outcomes (two range seeks tell).
  const others = db.scalar('SELECT EXISTS (SELECT 1 FROM outcome_values WHERE campaign_id < ?1) OR EXISTS (SELECT 1 FROM outcome_values WHERE campaign_id > ?1)', [campaignId]);
  if (Number(others) === 1) db.run('DELETE FROM outcome_values WHERE campaign_id = ?', [campaignId]);
  else db.run('DELETE FROM outcome_values');
  db.run('DELETE FROM outcome_files WHERE campaign_id = ?', [campaignId]);
  db.run(
    `INSERT INTO outcome_files (campaign_id, file_name, imported_at, rows_read, unknown_profiles, unknown_examples, columns)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [campaignId, file.fileName, file.importedAt, file.rows, file.unknownProfiles, JSON.stringify(file.unknownExamples), JSON.stringify(file.columns)],
  );
  const total = values.reduce((sum, c) => sum + c.keys.length, 0);
  reserveFileRoom(db, total * BYTES_PER_VALUE);
  const writer = createBulkWriter(sql, db, {
    insert: { head: 'INSERT INTO outcome_values (campaign_id, column_index, profile_key, value) VALUES', row: '(?, ?, ?, ?)' },
    sources: [0, 1, 2, 3].map((slot) => ({ from: 'number', slot, integer: slot < 3 }) as const),
    textSlots: 0,
    numberSlots: 4,
  });
  const batch = { rows: 0, text: new Uint8Array(0), textStart: new Int32Array(0), textLength: new Int32Array(0), numbers: new Float64Array(WRITE_BATCH_ROWS * 4) };
  let written = 0;
  try {
    for (const [index, column] of values.entries()) {
      for (let from = 0; from < column.keys.length; from += WRITE_BATCH_ROWS) {
        const rows = Math.min(WRITE_BATCH_ROWS, column.keys.length - from);
        const { numbers } = batch;
        for (let r = 0; r < rows; r += 1) {
          numbers[r * 4] = campaignId;
          numbers[r * 4 + 1] = index;
          numbers[r * 4 + 2] = column.keys[from + r]!;
          numbers[r * 4 + 3] = column.values[from + r]!;
        }
        batch.rows = rows;
        writer.write(batch);
        written += rows;
        await step(written, total);
      }
    }
  } finally {
    writer.close();
  }
}
