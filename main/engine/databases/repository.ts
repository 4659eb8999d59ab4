import { z } from 'zod';
import type { DatabaseDetail, DatabaseSummary, DeletionImpact, Field, FieldDraft, ImportSummary } from '../../../shared/contract/databases';
import { EngineError } from '../../../shared/contract/errors';
import { MAX_FIELDS_PER_DATABASE, SUBSCRIPTION_STATUSES, type FieldType, type SubscriptionStatus } from '../../../shared/domain/profiles';
import type { SqlDb } from '../sqlite/database';
import { storedJson } from '../sqlite/stored-values';
import { createEventsTable, dropEventsTable } from '../events/table';
import { addFieldColumn, countProfiles, createProfileTable, dropFieldColumn, fieldColumn, profileTable } from './profile-table';

type FieldRow = { id: number; database_id: number; name: string; type: FieldType; enum_values: string | null; position: number };

const EnumValuesJson = z.array(z.string());

function toField(row: FieldRow): Field {
  const enumValues =
    row.type === 'enum' && row.enum_values !== null ? storedJson(EnumValuesJson, row.enum_values, `the values of the list field "${String(row.name)}"`) : [];
  return {
    id: Number(row.id),
    databaseId: Number(row.database_id),
    name: String(row.name),
    type: row.type,
    enumValues,
    position: Number(row.position),
  };
}

/** Names compare without case, in any script ("Город" = "город"). */
const sameName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

const RESERVED_NAMES = ['profile_id', 'profile id', 'subscription_status', 'subscription status'];

export function requireDatabase(db: SqlDb, databaseId: number): { id: number; name: string; createdAt: string } {
  const row = db.get<{ id: number; name: string; created_at: string }>('SELECT id, name, created_at FROM databases WHERE id = ?', [databaseId]);
  if (!row) throw new EngineError('NOT_FOUND', `There is no profile database with id ${databaseId}.`, { databaseId });
  return { id: Number(row.id), name: String(row.name), createdAt: String(row.created_at) };
}

export function listFields(db: SqlDb, databaseId: number): Field[] {
  return db
    .all<FieldRow>('SELECT id, database_id, name, type, enum_values, position FROM fields WHERE database_id = ? ORDER BY position, id', [databaseId])
    .map(toField);
}

export function requireField(db: SqlDb, fieldId: number): Field {
  const row = db.get<FieldRow>('SELECT id, database_id, name, type, enum_values, position FROM fields WHERE id = ?', [fieldId]);
  if (!row) throw new EngineError('NOT_FOUND', `There is no field with id ${fieldId}.`, { fieldId });
  return toField(row);
}

export function listDatabases(db: SqlDb): DatabaseSummary[] {
  return db
    .all<{ id: number; name: string; created_at: string; field_count: number }>(
      `SELECT d.id, d.name, d.created_at, (SELECT COUNT(*) FROM fields f WHERE f.database_id = d.id) AS field_count
         FROM databases d ORDER BY d.name COLLATE NOCASE, d.id`,
    )
    .map((d) => ({
      id: Number(d.id),
      name: String(d.name),
      createdAt: String(d.created_at),
      fieldCount: Number(d.field_count),
      profileCount: countProfiles(db, Number(d.id)),
    }));
}

export function summaryOf(db: SqlDb, databaseId: number): DatabaseSummary {
  const base = requireDatabase(db, databaseId);
  return {
    id: base.id,
    name: base.name,
    createdAt: base.createdAt,
    fieldCount: Number(db.scalar('SELECT COUNT(*) FROM fields WHERE database_id = ?', [databaseId]) ?? 0),
    profileCount: countProfiles(db, databaseId),
  };
}

export function listImports(db: SqlDb, databaseId: number): ImportSummary[] {
  return db
    .all<Record<string, string | number>>(
      `SELECT id, file_name, imported_at, clock, mode, rows_read, added, updated, unchanged, skipped
         FROM imports WHERE database_id = ? ORDER BY id DESC`,
      [databaseId],
    )
    .map((r) => ({
      id: Number(r.id),
      fileName: String(r.file_name),
      importedAt: String(r.imported_at),
      clock: String(r.clock),
      mode: String(r.mode) as ImportSummary['mode'],
      rowsRead: Number(r.rows_read),
      added: Number(r.added),
      updated: Number(r.updated),
      unchanged: Number(r.unchanged),
      skipped: Number(r.skipped),
    }));
}

/**
 * Each database's subscription counts as last counted, with the data's version then
 * (SqlDb.dataChanges). Counting passes over every profile (0.4 s for a million), and the app
 * asks for a database's details whenever a page or dialog shows it: while nothing changed,
 * the last count is the count.
 */
const subscriptionCache = new WeakMap<SqlDb, Map<number, { readonly changes: number; readonly counts: Readonly<Record<SubscriptionStatus, number>> }>>();

function subscriptionCounts(db: SqlDb, databaseId: number): Record<SubscriptionStatus, number> {
  const changes = db.dataChanges();
  let cached = subscriptionCache.get(db);
  if (!cached) subscriptionCache.set(db, (cached = new Map()));
  const known = cached.get(databaseId);
  if (known && known.changes === changes) return { ...known.counts };
  const counts = Object.fromEntries(SUBSCRIPTION_STATUSES.map((s) => [s, 0])) as Record<SubscriptionStatus, number>;
  for (const row of db.all<{ subscription: SubscriptionStatus; n: number }>(
    `SELECT subscription, COUNT(*) AS n FROM ${profileTable(databaseId)} GROUP BY subscription`,
  )) {
    counts[row.subscription] = Number(row.n);
  }
  cached.set(databaseId, { changes, counts: { ...counts } });
  return counts;
}

export function databaseDetail(db: SqlDb, databaseId: number): DatabaseDetail {
  const summary = summaryOf(db, databaseId);
  return { ...summary, fields: listFields(db, databaseId), subscriptionCounts: subscriptionCounts(db, databaseId), imports: listImports(db, databaseId) };
}

function ensureDatabaseNameFree(db: SqlDb, name: string, exceptId?: number): void {
  const taken = db
    .all<{ id: number; name: string }>('SELECT id, name FROM databases')
    .find((d) => Number(d.id) !== exceptId && sameName(String(d.name), name));
  if (taken) throw new EngineError('ALREADY_EXISTS', `A database named "${taken.name}" already exists.`, { name });
}

function ensureFieldNameFree(db: SqlDb, databaseId: number, name: string, exceptId?: number): void {
  if (RESERVED_NAMES.some((r) => sameName(r, name))) {
    throw new EngineError('INVALID_ARGUMENT', `"${name}" is the name of a system field; choose another.`, { name });
  }
  const taken = listFields(db, databaseId).find((f) => f.id !== exceptId && sameName(f.name, name));
  if (taken) throw new EngineError('ALREADY_EXISTS', `The database already has a field named "${taken.name}".`, { name });
}

export function createDatabase(db: SqlDb, name: string, fields: readonly FieldDraft[], now: Date): number {
  ensureDatabaseNameFree(db, name);
  return db.transaction(() => {
    db.run('INSERT INTO databases (name, created_at) VALUES (?, ?)', [name, now.toISOString()]);
    const id = Number(db.scalar('SELECT last_insert_rowid()'));
    createProfileTable(db, id);
    createEventsTable(db, id);
    for (const field of fields) addField(db, id, field, now);
    return id;
  });
}

export function renameDatabase(db: SqlDb, databaseId: number, name: string): void {
  requireDatabase(db, databaseId);
  ensureDatabaseNameFree(db, name, databaseId);
  db.run('UPDATE databases SET name = ? WHERE id = ?', [name, databaseId]);
}

export function deletionImpact(db: SqlDb, databaseId: number): DeletionImpact {
  const base = requireDatabase(db, databaseId);
  const count = (sql: string) => Number(db.scalar(sql, [databaseId]) ?? 0);
  return {
    databaseId,
    name: base.name,
    profiles: countProfiles(db, databaseId),
    fields: count('SELECT COUNT(*) FROM fields WHERE database_id = ?'),
    imports: count('SELECT COUNT(*) FROM imports WHERE database_id = ?'),
    campaigns: count('SELECT COUNT(*) FROM campaigns WHERE database_id = ?'),
  };
}

export function deleteDatabase(db: SqlDb, databaseId: number): DeletionImpact {
  const impact = deletionImpact(db, databaseId);
  if (impact.campaigns > 0) {
    throw new EngineError(
      'REFUSED',
      `"${impact.name}" is used by ${impact.campaigns} campaign${impact.campaigns === 1 ? '' : 's'}; delete ${impact.campaigns === 1 ? 'it' : 'them'} first.`,
      { ...impact },
    );
  }
  db.transaction(() => {
    db.exec(`DROP TABLE ${profileTable(databaseId)}`);
    dropEventsTable(db, databaseId);
    db.run('DELETE FROM fields WHERE database_id = ?', [databaseId]);
    db.run('DELETE FROM imports WHERE database_id = ?', [databaseId]);
    // gcg_members has no foreign key (gcg_settings goes with the database by its cascade).
    db.run('DELETE FROM gcg_members WHERE database_id = ?', [databaseId]);
    db.run('DELETE FROM gcg_pending WHERE database_id = ?', [databaseId]);
    db.run('DELETE FROM databases WHERE id = ?', [databaseId]);
  });
  return impact;
}

export function addField(db: SqlDb, databaseId: number, draft: FieldDraft, now: Date): Field {
  requireDatabase(db, databaseId);
  ensureFieldNameFree(db, databaseId, draft.name);
  const count = Number(db.scalar('SELECT COUNT(*) FROM fields WHERE database_id = ?', [databaseId]) ?? 0);
  if (count >= MAX_FIELDS_PER_DATABASE) {
    throw new EngineError('REFUSED', `A database can have at most ${MAX_FIELDS_PER_DATABASE} fields.`, { databaseId });
  }
  return db.transaction(() => {
    const position = Number(db.scalar('SELECT COALESCE(MAX(position), 0) + 1 FROM fields WHERE database_id = ?', [databaseId]));
    db.run('INSERT INTO fields (database_id, name, type, enum_values, position, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      databaseId,
      draft.name,
      draft.type,
      draft.type === 'enum' ? JSON.stringify(draft.enumValues ?? []) : null,
      position,
      now.toISOString(),
    ]);
    const id = Number(db.scalar('SELECT last_insert_rowid()'));
    addFieldColumn(db, databaseId, id, draft.type);
    return requireField(db, id);
  });
}

export function updateField(db: SqlDb, fieldId: number, change: { name?: string | undefined; enumValues?: string[] | undefined }): Field {
  const field = requireField(db, fieldId);
  if (change.name !== undefined) ensureFieldNameFree(db, field.databaseId, change.name, fieldId);
  if (change.enumValues !== undefined) {
    if (field.type !== 'enum') {
      throw new EngineError('INVALID_ARGUMENT', `"${field.name}" is not an enum field, so it has no values to change.`, { fieldId });
    }
    if (change.enumValues.length === 0) throw new EngineError('INVALID_ARGUMENT', 'An enum field needs at least one value.');
    const kept = new Set(change.enumValues);
    const removed = field.enumValues.filter((v) => !kept.has(v));
    if (removed.length > 0) {
      const column = fieldColumn(fieldId);
      const inUse = db.all<{ v: string; n: number }>(
        `SELECT ${column} AS v, COUNT(*) AS n FROM ${profileTable(field.databaseId)}
          WHERE ${column} IN (SELECT value FROM json_each(?)) GROUP BY ${column}`,
        [JSON.stringify(removed)],
      );
      if (inUse.length > 0) {
        const list = inUse.map((u) => `"${u.v}" (${Number(u.n)} profile${Number(u.n) === 1 ? '' : 's'})`).join(', ');
        throw new EngineError('REFUSED', `These values are in use and cannot be removed: ${list}.`, { fieldId });
      }
    }
  }
  db.transaction(() => {
    if (change.name !== undefined) db.run('UPDATE fields SET name = ? WHERE id = ?', [change.name, fieldId]);
    if (change.enumValues !== undefined) db.run('UPDATE fields SET enum_values = ? WHERE id = ?', [JSON.stringify(change.enumValues), fieldId]);
  });
  return requireField(db, fieldId);
}

/** Profiles holding a value in the field. */
export function fieldUsage(db: SqlDb, fieldId: number): number {
  const field = requireField(db, fieldId);
  return Number(db.scalar(`SELECT COUNT(${fieldColumn(fieldId)}) FROM ${profileTable(field.databaseId)}`) ?? 0);
}

export function removeField(db: SqlDb, fieldId: number): { fieldId: number; valuesRemoved: number } {
  const field = requireField(db, fieldId);
  const valuesRemoved = fieldUsage(db, fieldId);
  db.transaction(() => {
    dropFieldColumn(db, field.databaseId, fieldId);
    db.run('DELETE FROM fields WHERE id = ?', [fieldId]);
  });
  return { fieldId, valuesRemoved };
}
