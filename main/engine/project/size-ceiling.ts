/**
 * The largest project Campaign Planner holds, and the refusal of any change that would make
 * a project larger (so a project is never saved that could not be opened again).
 *
 * sql.js is 32-bit WebAssembly: the database file lives in the JavaScript heap (MEMFS,
 * grown at most to 2 GiB by file-room.ts), SQLite's own memory in a WebAssembly heap of at
 * most 2 GiB, and saving a whole file copies it once more. What was measured
 * (test/bench/ceiling.bench.ts, README "How big a project can be") sets the ceiling below
 * the first of these limits with room for a transaction's journal: deps.maxProjectBytes,
 * DEFAULT_MAX_PROJECT_BYTES unless a host sets another.
 *
 * The check runs before each outermost COMMIT (SqlDb.beforeCommit), so an import, a build
 * or any other change that would pass the ceiling is rolled back whole, with a message
 * naming the route for bigger audiences: splitting on the warehouse (`cplan sql`).
 */
import { EngineError } from '../../../shared/contract/errors';
import { formatBytes } from '../../../shared/format';
import { databaseBytes } from '../sqlite/file-room';
import type { SqlDb } from '../sqlite/database';

/** What to do instead, said the same way wherever the ceiling is met. */
export const WAREHOUSE_ROUTE =
  'Split audiences this big on your warehouse with the same SQL: `cplan sql` (or Export as SQL… on a campaign) writes the query ' +
  '(README, "Splitting on your warehouse").';

/** The refusal of a change that would make the project `sizeBytes`, over `maxBytes`. */
export function projectTooLarge(sizeBytes: number, maxBytes: number): EngineError {
  return new EngineError(
    'FILE_TOO_LARGE',
    `This would make the project ${formatBytes(sizeBytes)}, more than the ${formatBytes(maxBytes)} that Campaign Planner can hold ` +
      `in memory; nothing was changed. ${WAREHOUSE_ROUTE}`,
    { sizeBytes, maxBytes },
  );
}

/** Makes every outermost transaction of `db` refuse to commit a database larger than `maxBytes()`. */
export function guardProjectSize(db: SqlDb, maxBytes: () => number): void {
  db.beforeCommit = () => {
    const size = databaseBytes(db);
    const max = maxBytes();
    if (size > max) throw projectTooLarge(size, max);
  };
}
