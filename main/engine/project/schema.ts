import { CAMPAIGN_STATUSES } from '../../../shared/domain/campaign-status';
import { FIELD_TYPES } from '../../../shared/domain/profiles';
import type { SqlDb } from '../sqlite/database';
import { APPLICATION_ID } from './file-format';

/**
 * One schema change. Migrations run in order inside one transaction when a file of an
 * older version is opened; `user_version` records the last one applied. Never edit a
 * released migration: add a new one.
 */
export interface Migration {
  readonly version: number;
  readonly description: string;
  up(db: SqlDb): void;
}

const statusList = CAMPAIGN_STATUSES.map((s) => `'${s}'`).join(', ');

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'Project metadata, profile databases and campaigns',
    up(db) {
      db.exec(`
        CREATE TABLE meta (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) WITHOUT ROWID;

        -- Profiles of database N live in their own typed table, profiles_N.
        CREATE TABLE databases (
          id         INTEGER PRIMARY KEY,
          name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
          created_at TEXT NOT NULL
        );

        CREATE TABLE campaigns (
          id          INTEGER PRIMARY KEY,
          name        TEXT NOT NULL,
          database_id INTEGER NOT NULL REFERENCES databases(id),
          status      TEXT NOT NULL CHECK (status IN (${statusList})),
          created_at  TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 2,
    description: 'Typed fields of profile databases and the import history',
    up(db) {
      db.exec(`
        -- Field N of a database is the column f_N of its profiles_<database> table.
        CREATE TABLE fields (
          id          INTEGER PRIMARY KEY,
          database_id INTEGER NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
          name        TEXT NOT NULL COLLATE NOCASE,
          type        TEXT NOT NULL CHECK (type IN (${FIELD_TYPES.map((t) => `'${t}'`).join(', ')})),
          enum_values TEXT,  -- JSON array of the allowed values, enum fields only
          position    INTEGER NOT NULL,
          created_at  TEXT NOT NULL,
          UNIQUE (database_id, name)
        );

        CREATE TABLE imports (
          id          INTEGER PRIMARY KEY,
          database_id INTEGER NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
          file_name   TEXT NOT NULL,
          imported_at TEXT NOT NULL,  -- wall clock, UTC
          clock       TEXT NOT NULL,  -- the project clock at that moment
          mode        TEXT NOT NULL CHECK (mode IN ('add', 'update', 'upsert')),
          rows_read   INTEGER NOT NULL,
          added       INTEGER NOT NULL,
          updated     INTEGER NOT NULL,
          unchanged   INTEGER NOT NULL,
          skipped     INTEGER NOT NULL
        );
      `);
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** Connection settings that are not stored in the file and must be set on every open. */
export function configureConnection(db: SqlDb): void {
  // A project file may come from anyone: never let its schema call functions with side effects.
  db.exec('PRAGMA trusted_schema = OFF; PRAGMA foreign_keys = ON;');
}

export function schemaVersionOf(db: SqlDb): number {
  return Number(db.scalar('PRAGMA user_version') ?? 0);
}

/** Brings a database up to the latest schema; returns the versions applied. */
export function migrate(db: SqlDb, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const from = schemaVersionOf(db);
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return [];
  db.transaction(() => {
    for (const migration of pending) {
      migration.up(db);
      // PRAGMA takes no parameters; the version is our own integer.
      db.exec(`PRAGMA user_version = ${Math.trunc(migration.version)}`);
    }
  });
  return pending.map((m) => m.version);
}

/** Lays out a brand-new project file. */
export function initialiseSchema(db: SqlDb): void {
  // page_size only takes effect before the first page is written.
  db.exec(`PRAGMA page_size = 8192; PRAGMA application_id = ${APPLICATION_ID};`);
  migrate(db);
}

/** Tables every project has; a file that lacks one is damaged. */
export const REQUIRED_TABLES = ['meta', 'databases', 'campaigns'] as const;

