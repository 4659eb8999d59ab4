/**
 * A condition as a caller gives it (a tree, or text in the condition language) made ready
 * to run on a database: read, checked against the database, compiled. Used by
 * segment/preview and by segment/create from a condition.
 */
import type { Condition } from '../../../shared/contract/conditions';
import { EngineError } from '../../../shared/contract/errors';
import type { ProfilePage } from '../../../shared/contract/profiles';
import { parseCondition } from '../../../shared/conditions/parse';
import { printCondition } from '../../../shared/conditions/print';
import type { SubscriptionStatus } from '../../../shared/domain/profiles';
import { decodeValue, fieldColumn, profileTable } from '../databases/profile-table';
import { listFields, requireDatabase } from '../databases/repository';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { compileCondition, type CompiledCondition } from './compile';

export interface ReadyCondition extends CompiledCondition {
  /** The condition in canonical text. */
  readonly where: string;
}

/**
 * Reads and compiles a condition for a database. Text that does not read is refused as
 * INVALID_ARGUMENT with `details.syntax` (line, column, excerpt); a leaf the database
 * cannot evaluate, as compileCondition refuses it.
 */
export function prepareCondition(db: SqlDb, databaseId: number, input: { condition?: Condition | undefined; where?: string | undefined }): ReadyCondition {
  requireDatabase(db, databaseId);
  if (input.where !== undefined) {
    const parsed = parseCondition(input.where);
    if (!parsed.ok) {
      const { message, line, column, excerpt } = parsed.error;
      throw new EngineError('INVALID_ARGUMENT', `The condition does not read at line ${line}, column ${column}: ${message}`, { syntax: true, line, column, excerpt });
    }
    return { ...compileCondition(db, databaseId, parsed.condition, { text: input.where, spans: parsed.spans }), where: printCondition(parsed.condition) };
  }
  if (input.condition === undefined) throw new EngineError('INVALID_ARGUMENT', 'Give a condition.');
  return { ...compileCondition(db, databaseId, input.condition), where: printCondition(input.condition) };
}

/**
 * How many profiles match, and the first `limit` of them in rowid order: the condition is
 * evaluated once (a materialised pass gives the count and the first keys), then only those
 * profiles are read.
 */
export function previewCondition(db: SqlDb, databaseId: number, ready: CompiledCondition, limit: number): { total: number; page: ProfilePage } {
  const table = profileTable(databaseId);
  const fields = listFields(db, databaseId);
  const found = db.get<{ total: number; first: string }>(
    `WITH m AS MATERIALIZED (SELECT p.rowid AS k FROM ${table} p WHERE ${ready.sql})
     SELECT (SELECT COUNT(*) FROM m) AS total, (SELECT json_group_array(k) FROM (SELECT k FROM m ORDER BY k LIMIT ?)) AS first`,
    [...ready.params, limit],
  );
  const total = Number(found?.total ?? 0);
  const rows = db
    .all<Record<string, SqlValue>>(
      `SELECT p.rowid AS key, p.profile_id, p.subscription${fields.map((f, i) => `, p.${fieldColumn(f.id)} AS v${i}`).join('')}
         FROM ${table} p WHERE p.rowid IN (SELECT value FROM json_each(?)) ORDER BY p.rowid`,
      [String(found?.first ?? '[]')],
    )
    .map((r) => ({
      key: Number(r.key),
      profileId: String(r.profile_id),
      subscription: String(r.subscription) as SubscriptionStatus,
      values: fields.map((f, i) => decodeValue(f.type, r[`v${i}`])),
    }));
  return { total, page: { databaseId, total, offset: 0, fieldIds: fields.map((f) => f.id), rows } };
}

/** Adds the profiles a condition gives to a (new, empty) segment; returns how many. */
export function insertMatching(db: SqlDb, databaseId: number, segmentId: number, ready: CompiledCondition): number {
  return db.run(`INSERT INTO segment_members (segment_id, profile_key) SELECT ?, p.rowid FROM ${profileTable(databaseId)} p WHERE ${ready.sql} ORDER BY p.rowid`, [segmentId, ...ready.params]);
}
