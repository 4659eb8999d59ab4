import type { FieldType } from '../../../shared/domain/profiles';
import { DEFAULT_SUBSCRIPTION, SUBSCRIPTION_STATUSES } from '../../../shared/domain/profiles';
import type { FieldValue } from '../../../shared/domain/profiles';
import type { SqlDb, SqlValue } from '../sqlite/database';

/**
 * Where profiles live: database N has the table profiles_N with one typed column per
 * field (f_<field id>), so segment conditions compile to plain, indexable SQL. Table and
 * column names are built only from our own integer ids, never from user text.
 */
export function profileTable(databaseId: number): string {
  if (!Number.isSafeInteger(databaseId) || databaseId <= 0) throw new Error(`bad database id ${databaseId}`);
  return `profiles_${databaseId}`;
}

export function fieldColumn(fieldId: number): string {
  if (!Number.isSafeInteger(fieldId) || fieldId <= 0) throw new Error(`bad field id ${fieldId}`);
  return `f_${fieldId}`;
}

/** Storage of each field type: ISO text for dates (sorts and compares as dates), 0/1 for yes/no. */
export const SQL_TYPES: Readonly<Record<FieldType, 'TEXT' | 'REAL' | 'INTEGER'>> = {
  string: 'TEXT',
  enum: 'TEXT',
  date: 'TEXT',
  datetime: 'TEXT',
  number: 'REAL',
  boolean: 'INTEGER',
};

const statusList = SUBSCRIPTION_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * The profile table. `profile_id` is the ID exactly as imported (text: "00123" stays
 * "00123"); its unique index is created separately, so a bulk load into an empty table can
 * build it once at the end. `added_import`/`updated_import` record which import brought
 * the profile in and which last changed it.
 */
export function createProfileTable(db: SqlDb, databaseId: number, withIndex = true): void {
  const table = profileTable(databaseId);
  db.exec(`
    CREATE TABLE ${table} (
      profile_id     TEXT NOT NULL,
      subscription   TEXT NOT NULL DEFAULT '${DEFAULT_SUBSCRIPTION}' CHECK (subscription IN (${statusList})),
      added_import   INTEGER,
      updated_import INTEGER
    )
  `);
  if (withIndex) createProfileIdIndex(db, databaseId);
}

export function createProfileIdIndex(db: SqlDb, databaseId: number): void {
  const table = profileTable(databaseId);
  db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS ${table}_profile_id ON ${table} (profile_id)`);
}

export function dropProfileIdIndex(db: SqlDb, databaseId: number): void {
  db.exec(`DROP INDEX IF EXISTS ${profileTable(databaseId)}_profile_id`);
}

export function addFieldColumn(db: SqlDb, databaseId: number, fieldId: number, type: FieldType): void {
  db.exec(`ALTER TABLE ${profileTable(databaseId)} ADD COLUMN ${fieldColumn(fieldId)} ${SQL_TYPES[type]}`);
}

export function dropFieldColumn(db: SqlDb, databaseId: number, fieldId: number): void {
  db.exec(`ALTER TABLE ${profileTable(databaseId)} DROP COLUMN ${fieldColumn(fieldId)}`);
}

/** A stored value as the contract carries it. */
export function decodeValue(type: FieldType, raw: SqlValue | undefined): FieldValue {
  if (raw === null || raw === undefined) return null;
  if (type === 'boolean') return Number(raw) !== 0;
  if (type === 'number') return typeof raw === 'number' ? raw : Number(raw);
  return typeof raw === 'string' ? raw : String(raw);
}

/** A contract value as SQLite stores it. */
export function encodeValue(type: FieldType, value: FieldValue): SqlValue {
  if (value === null) return null;
  if (type === 'boolean') return value === true ? 1 : 0;
  return value as SqlValue;
}

export function countProfiles(db: SqlDb, databaseId: number): number {
  return Number(db.scalar(`SELECT COUNT(*) FROM ${profileTable(databaseId)}`) ?? 0);
}
