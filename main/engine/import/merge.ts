/**
 * Where an import's rows go, in SQL. Every name in these statements is built from our own
 * integer ids (profiles_N, f_N) or fixed words, never from the user's text; values only
 * ever travel as bound parameters (bulk-writer.ts) or as our own integers (the import id).
 *
 * Two ways in:
 * - into an empty table (a new database, or an empty one): rows are written straight into
 *   the profile table with its unique ID index dropped, and the index is built once at the
 *   end, which is several times faster than keeping it up to date row by row (the parser
 *   has already refused IDs repeated in the file, so the index build cannot fail);
 * - into a table with profiles: rows are staged in a TEMP table with the same fast writer,
 *   then merged with set-based SQL: UPDATE ... FROM for profiles that exist (only those whose
 *   values really change, so the count of updated vs unchanged profiles comes from SQLite),
 *   INSERT ... WHERE NOT EXISTS for new ones.
 */
import { DEFAULT_SUBSCRIPTION } from '../../../shared/domain/profiles';
import type { ImportMode } from '../../../shared/contract/imports';
import type { SqlDb } from '../sqlite/database';
import type { InsertTemplate } from './bulk-writer';

export const STAGE_TABLE = 'temp.import_stage';

/** One column the import writes: `profile_id`, `subscription` or `f_N`, with its SQL type. */
export interface TargetColumn {
  readonly column: string;
  readonly sqlType: 'TEXT' | 'REAL' | 'INTEGER';
}

const importIdLiteral = (importId: number) => {
  if (!Number.isSafeInteger(importId) || importId <= 0) throw new Error(`bad import id ${importId}`);
  return String(importId);
};

/** The INSERT that loads rows straight into an empty profile table. */
export function directInsert(table: string, columns: readonly TargetColumn[], importId: number): InsertTemplate {
  const names = columns.map((c) => c.column);
  // An empty status cell means the default status for a new profile.
  const values = columns.map((c) => (c.column === 'subscription' ? `COALESCE(?, '${DEFAULT_SUBSCRIPTION}')` : '?'));
  return { head: `INSERT INTO ${table} (${[...names, 'added_import'].join(', ')}) VALUES`, row: `(${[...values, importIdLiteral(importId)].join(', ')})` };
}

/** Creates the TEMP table that holds the rows before the merge; returns its INSERT. */
export function createStage(db: SqlDb, columns: readonly TargetColumn[]): InsertTemplate {
  db.exec(`DROP TABLE IF EXISTS ${STAGE_TABLE}`);
  db.exec(`CREATE TABLE ${STAGE_TABLE} (${columns.map((c) => `${c.column} ${c.sqlType}`).join(', ')})`);
  return { head: `INSERT INTO ${STAGE_TABLE} (${columns.map((c) => c.column).join(', ')}) VALUES`, row: `(${columns.map(() => '?').join(', ')})` };
}

export function dropStage(db: SqlDb): void {
  db.exec(`DROP TABLE IF EXISTS ${STAGE_TABLE}`);
}

export interface MergeCounts {
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly leftAlone: number;
}

/**
 * Merges the staged rows into the profile table. Empty cells arrive as NULL: with "keep"
 * they leave the stored value alone (COALESCE), with "clear" they clear it. An empty status
 * never changes a stored status, whatever "clear" says: clearing a status could only mean
 * resetting it to "subscribed", and an empty cell must never re-subscribe someone who left.
 */
export function mergeStaged(
  db: SqlDb,
  options: { table: string; columns: readonly TargetColumn[]; mode: ImportMode; emptyCells: 'keep' | 'clear'; importId: number; staged: number },
): MergeCounts {
  const { table, columns, mode, emptyCells, importId, staged } = options;
  const id = importIdLiteral(importId);
  const values = columns.filter((c) => c.column !== 'profile_id');
  let matched = -1;
  if (mode === 'update') {
    matched = Number(
      db.scalar(`SELECT COUNT(*) FROM ${STAGE_TABLE} AS s WHERE EXISTS (SELECT 1 FROM ${table} AS p WHERE p.profile_id = s.profile_id)`) ?? 0,
    );
  }
  let updated = 0;
  if (mode !== 'add' && values.length > 0) {
    const keeps = (column: string) => emptyCells === 'keep' || column === 'subscription';
    const newValue = (column: string) => (keeps(column) ? `COALESCE(s.${column}, p.${column})` : `s.${column}`);
    const assignments = values.map((c) => `${c.column} = ${newValue(c.column)}`).join(', ');
    const changed = values.map((c) => `${newValue(c.column)} IS NOT p.${c.column}`).join(' OR ');
    updated = db.run(
      `UPDATE ${table} AS p SET ${assignments}, updated_import = ${id}
         FROM ${STAGE_TABLE} AS s
        WHERE p.profile_id = s.profile_id AND (${changed})`,
    );
  }
  let added = 0;
  if (mode !== 'update') {
    const names = columns.map((c) => c.column);
    const selected = columns.map((c) => (c.column === 'subscription' ? `COALESCE(s.subscription, '${DEFAULT_SUBSCRIPTION}')` : `s.${c.column}`));
    added = db.run(
      `INSERT INTO ${table} (${[...names, 'added_import'].join(', ')})
       SELECT ${[...selected, id].join(', ')} FROM ${STAGE_TABLE} AS s
        WHERE NOT EXISTS (SELECT 1 FROM ${table} AS p WHERE p.profile_id = s.profile_id)`,
    );
    matched = staged - added;
  }
  if (mode === 'add') return { added, updated: 0, unchanged: 0, leftAlone: matched };
  return { added, updated, unchanged: matched - updated, leftAlone: mode === 'update' ? staged - matched : 0 };
}
