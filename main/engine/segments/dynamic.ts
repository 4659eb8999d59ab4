/**
 * A segment's stored condition evaluated on the project clock into its stored members, and
 * dynamic segments evaluated at each use (refreshDynamic). Kept apart from evaluation.ts so
 * that the campaign engine can evaluate a dynamic segment before it builds an audience.
 */
import { compileCondition, readStoredCondition } from '../conditions/compile';
import { profileTable } from '../databases/profile-table';
import { readMeta } from '../project/project-file';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { replaceMembers, type MembersChange } from './recalculations';

export interface StoredRule {
  readonly id: number;
  readonly name: string;
  readonly kind: string;
  readonly databaseId: number;
  readonly condition: unknown;
}

export function storedRule(db: SqlDb, segmentId: number): StoredRule | null {
  const row = db.get<{ id: number; name: string; kind: string; database_id: number; condition: SqlValue }>('SELECT id, name, kind, database_id, condition FROM segments WHERE id = ?', [
    segmentId,
  ]);
  return row ? { id: Number(row.id), name: String(row.name), kind: String(row.kind), databaseId: Number(row.database_id), condition: row.condition } : null;
}

/**
 * Evaluates a segment's stored condition on the project clock and makes its members those
 * profiles (`record`: as that recalculation's changes). A condition in the file that does
 * not read, or that the database cannot evaluate, is refused naming the segment.
 */
export function evaluateRule(db: SqlDb, rule: StoredRule, record: number | null): MembersChange {
  const read = readStoredCondition(rule.condition, rule.name);
  const compiled = compileCondition(db, rule.databaseId, read.condition, { text: read.text, spans: read.spans }, rule.id);
  return replaceMembers(db, rule.id, { sql: `SELECT p.rowid FROM ${profileTable(rule.databaseId)} p WHERE ${compiled.sql}`, params: compiled.params }, record);
}

/**
 * A dynamic segment evaluated now, on the project clock: its stored members become what its
 * condition gives, and evaluated_clock says when. Other segments: nothing (null). Every use
 * of a segment's members calls it first.
 */
export function refreshDynamic(db: SqlDb, segmentId: number): MembersChange | null {
  const rule = storedRule(db, segmentId);
  if (!rule || rule.kind !== 'dynamic') return null;
  return db.transaction(() => {
    const change = evaluateRule(db, rule, null);
    db.run('UPDATE segments SET evaluated_clock = ? WHERE id = ?', [readMeta(db).clock, segmentId]);
    return change;
  });
}

