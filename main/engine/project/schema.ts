import { CAMPAIGN_STATUSES } from '../../../shared/domain/campaign-status';
import { FIELD_TYPES } from '../../../shared/domain/profiles';
import type { SqlDb } from '../sqlite/database';
import { createEventsTable } from '../events/table';
import { CLUSTERED_EVENTS_SINCE_VERSION, clusterEvents, createEventsTableV7 } from './events-layouts';
import { APPLICATION_ID } from './file-format';
import { GCG_MEMBERS_SINCE_VERSION, migrateGcgToMembers } from './gcg-migration';

/**
 * One schema change. Migrations run in order inside one transaction when a file of an
 * older version is opened; `user_version` records the last one applied. Never edit a
 * released migration: add a new one.
 */
export interface Migration {
  readonly version: number;
  readonly description: string;
  /**
   * The migration rebuilds a table others refer to: it runs with foreign keys off (SQLite's
   * procedure for table changes ALTER TABLE cannot make), else dropping the old table would
   * delete what refers to it (ON DELETE CASCADE).
   */
  readonly foreignKeysOff?: boolean;
  up(db: SqlDb): void;
}

/** The format version from which every profile database has its events table (schema-check.ts expects it). */
export const EVENTS_SINCE_VERSION = 7;

/**
 * Builds the events tables of database N as format `version` has them (none before
 * EVENTS_SINCE_VERSION): the schema check expects what this builds.
 */
export function createEventsTableOfVersion(db: SqlDb, databaseId: number, version: number): void {
  if (version < EVENTS_SINCE_VERSION) return;
  if (version < CLUSTERED_EVENTS_SINCE_VERSION) createEventsTableV7(db, databaseId);
  else createEventsTable(db, databaseId);
}

const statusList = CAMPAIGN_STATUSES.map((s) => `'${s}'`).join(', ');

/** The format version from which segments are static, updatable or dynamic, with recalculations kept. */
export const SEGMENT_TYPES_SINCE_VERSION = 8;

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
  {
    version: 3,
    description: 'Segments, global control groups, campaigns with their splits, activities and events',
    up(db) {
      db.exec(`
        -- A campaign of version 1-2 could not exist (nothing created one), so the table is
        -- rebuilt with every column a campaign needs.
        DROP TABLE campaigns;

        CREATE TABLE segments (
          id            INTEGER PRIMARY KEY,
          database_id   INTEGER NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
          name          TEXT NOT NULL COLLATE NOCASE,
          kind          TEXT NOT NULL CHECK (kind IN ('static')),
          source        TEXT NOT NULL,  -- JSON: how it was made
          created_at    TEXT NOT NULL,
          created_clock TEXT NOT NULL,
          UNIQUE (database_id, name)
        );
        -- profile_key is the rowid of the profile in profiles_<database>.
        CREATE TABLE segment_members (
          segment_id  INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
          profile_key INTEGER NOT NULL,
          PRIMARY KEY (segment_id, profile_key)
        ) WITHOUT ROWID;

        CREATE TABLE gcg_settings (
          database_id  INTEGER PRIMARY KEY REFERENCES databases(id) ON DELETE CASCADE,
          percent_bp   INTEGER NOT NULL CHECK (percent_bp BETWEEN 0 AND 10000),
          seed         TEXT NOT NULL,
          formed_clock TEXT
        );
        -- Every profile the GCG has considered, member or not: the others are new (sticky growth).
        CREATE TABLE gcg_assignments (
          database_id INTEGER NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
          profile_key INTEGER NOT NULL,
          member      INTEGER NOT NULL CHECK (member IN (0, 1)),
          PRIMARY KEY (database_id, profile_key)
        ) WITHOUT ROWID;

        CREATE TABLE campaign_attributes (
          id       INTEGER PRIMARY KEY,
          name     TEXT NOT NULL UNIQUE COLLATE NOCASE,
          required INTEGER NOT NULL CHECK (required IN (0, 1)),
          choices  TEXT NOT NULL DEFAULT '[]'
        );

        CREATE TABLE campaigns (
          id              INTEGER PRIMARY KEY,
          name            TEXT NOT NULL,
          database_id     INTEGER NOT NULL REFERENCES databases(id),
          segment_id      INTEGER NOT NULL REFERENCES segments(id),
          status          TEXT NOT NULL CHECK (status IN (${statusList})),
          attributes      TEXT NOT NULL DEFAULT '{}',
          seed            TEXT NOT NULL,
          lcg             TEXT NOT NULL,  -- JSON LcgSettings
          gcg_exempt      INTEGER NOT NULL DEFAULT 0,
          activate_at     TEXT,
          created_at      TEXT NOT NULL,
          created_clock   TEXT NOT NULL,
          activated_clock TEXT,
          completed_clock TEXT,
          cloned_from     INTEGER,
          deleted_at      TEXT
        );

        -- The strata of a campaign's split: members point at them by number.
        CREATE TABLE campaign_strata (
          campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          stratum     INTEGER NOT NULL,
          key         TEXT NOT NULL,
          label       TEXT NOT NULL,
          PRIMARY KEY (campaign_id, stratum),
          UNIQUE (campaign_id, key)
        );
        CREATE TABLE campaign_members (
          campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          profile_key INTEGER NOT NULL,
          grp         TEXT NOT NULL CHECK (grp IN ('test', 'control')),
          stratum     INTEGER NOT NULL,
          version_id  INTEGER NOT NULL,
          forced      INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (campaign_id, profile_key)
        ) WITHOUT ROWID;

        CREATE TABLE split_versions (
          id            INTEGER PRIMARY KEY,
          campaign_id   INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          clock         TEXT NOT NULL,
          built_at      TEXT NOT NULL,
          reason        TEXT NOT NULL,
          seed          TEXT NOT NULL,
          lcg           TEXT NOT NULL,
          audience      INTEGER NOT NULL,
          control_total INTEGER NOT NULL,
          joined        INTEGER NOT NULL,
          left_count    INTEGER NOT NULL,
          strata        TEXT NOT NULL,  -- JSON StratumRow[]
          warning       TEXT,
          shortfall     INTEGER NOT NULL,
          surplus       INTEGER NOT NULL
        );

        CREATE TABLE campaign_events (
          id          INTEGER PRIMARY KEY,
          campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          clock       TEXT NOT NULL,
          kind        TEXT NOT NULL,
          profile_key INTEGER,
          details     TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX campaign_events_by_campaign ON campaign_events (campaign_id, id);

        CREATE TABLE scheduled_activations (
          campaign_id INTEGER PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
          at          TEXT NOT NULL
        );

        CREATE TABLE activities (
          id                 INTEGER PRIMARY KEY,
          database_id        INTEGER NOT NULL REFERENCES databases(id),
          campaign_id        INTEGER REFERENCES campaigns(id),
          name               TEXT NOT NULL,
          type               TEXT NOT NULL,
          segment_id         INTEGER REFERENCES segments(id),
          ignore_lcg         INTEGER NOT NULL DEFAULT 0,
          audience_expansion INTEGER NOT NULL DEFAULT 0,
          variants           TEXT NOT NULL DEFAULT '[]',
          status             TEXT NOT NULL CHECK (status IN ('inactive', 'active', 'paused', 'completed')),
          launched           INTEGER NOT NULL DEFAULT 0,
          created_at         TEXT NOT NULL
        );
        CREATE TABLE activity_runs (
          id          INTEGER PRIMARY KEY,
          activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
          campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          clock       TEXT NOT NULL,
          test        INTEGER NOT NULL,
          control     INTEGER NOT NULL,
          expanded    INTEGER NOT NULL,
          variants    TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE activity_recipients (
          run_id      INTEGER NOT NULL REFERENCES activity_runs(id) ON DELETE CASCADE,
          profile_key INTEGER NOT NULL,
          grp         TEXT NOT NULL CHECK (grp IN ('test', 'control')),
          variant     TEXT,
          PRIMARY KEY (run_id, profile_key)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 4,
    description: 'Group sizes of each campaign per stratum, kept with its members; members without a foreign key check; forced-into-Test profiles waiting for an activation',
    up(db) {
      // Counting a million members takes a second in WebAssembly; lists and pages read these.
      // Members lose their REFERENCES clause: checking it costs a lookup per written row (half
      // a second for a million), and campaigns are never removed from the file (the recycle
      // bin keeps them), so the cascade it declared never ran.
      db.exec(`
        CREATE TABLE campaign_members_v4 (
          campaign_id INTEGER NOT NULL,
          profile_key INTEGER NOT NULL,
          grp         TEXT NOT NULL CHECK (grp IN ('test', 'control')),
          stratum     INTEGER NOT NULL,
          version_id  INTEGER NOT NULL,
          forced      INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (campaign_id, profile_key)
        ) WITHOUT ROWID;
        INSERT INTO campaign_members_v4 SELECT campaign_id, profile_key, grp, stratum, version_id, forced FROM campaign_members;
        DROP TABLE campaign_members;
        ALTER TABLE campaign_members_v4 RENAME TO campaign_members;

        CREATE TABLE campaign_counts (
          campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          stratum     INTEGER NOT NULL,
          members     INTEGER NOT NULL CHECK (members >= 0),
          control     INTEGER NOT NULL CHECK (control BETWEEN 0 AND members),
          PRIMARY KEY (campaign_id, stratum)
        ) WITHOUT ROWID;
        -- Profiles added by hand, forced into Test, to a campaign not yet built: its activation puts them in Test.
        CREATE TABLE campaign_forced_test (
          campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          profile_key INTEGER NOT NULL,
          PRIMARY KEY (campaign_id, profile_key)
        ) WITHOUT ROWID;
        INSERT INTO campaign_counts (campaign_id, stratum, members, control)
          SELECT campaign_id, stratum, COUNT(*), SUM(grp = 'control') FROM campaign_members GROUP BY campaign_id, stratum;
      `);
    },
  },
  {
    version: 5,
    description: 'Transactional activities that ignore subscription; who each activity run left out and why, and the campaigns its audience expansion reached',
    up(db) {
      // Runs of earlier versions keep NULL: nobody counted what they left out.
      db.exec(`
        ALTER TABLE activities ADD COLUMN ignore_subscription INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE activity_runs ADD COLUMN left_out TEXT;        -- JSON LeftOut: profiles left out, by reason
        ALTER TABLE activity_runs ADD COLUMN gained_campaigns TEXT; -- JSON GainedCampaign[]: other campaigns the expansion grew
      `);
    },
  },
  {
    version: 6,
    description: 'Saved simulations of the LCG simulator, kept with their campaign',
    up(db) {
      // A campaign is never removed from the file: deleting one puts it in the recycle bin
      // (deleted_at), where its simulations stay with it and come back when it is restored.
      // The cascade only matters if a campaign row ever goes. campaign_id is NULL for a
      // simulation of a segment. body is JSON SavedSimulationBody, validated when read.
      db.exec(`
        CREATE TABLE simulations (
          id          INTEGER PRIMARY KEY,
          campaign_id INTEGER REFERENCES campaigns(id) ON DELETE CASCADE,
          name        TEXT NOT NULL,
          clock       TEXT NOT NULL,  -- the project clock when saved
          created_at  TEXT NOT NULL,  -- wall clock, UTC
          body        TEXT NOT NULL
        );
        CREATE INDEX simulations_campaign ON simulations (campaign_id);
      `);
    },
  },
  {
    version: EVENTS_SINCE_VERSION,
    description: 'Profile events: a table of time-stamped events per profile database, and the record of event imports',
    up(db) {
      // Every database of an older file gets its (empty) events table, in the layout of format 7.
      for (const row of db.all('SELECT id FROM databases ORDER BY id')) createEventsTableV7(db, Number(row.id));
      // Events of an import carry its id (events_N.import_id).
      db.exec(`
        CREATE TABLE event_imports (
          id               INTEGER PRIMARY KEY,
          database_id      INTEGER NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
          file_name        TEXT NOT NULL,
          imported_at      TEXT NOT NULL,  -- wall clock, UTC
          clock            TEXT NOT NULL,  -- the project clock at that moment
          rows_read        INTEGER NOT NULL,
          imported         INTEGER NOT NULL,
          unknown_profiles INTEGER NOT NULL,
          skipped          INTEGER NOT NULL
        );
      `);
    },
  },
  {
    version: SEGMENT_TYPES_SINCE_VERSION,
    description: 'Updatable and dynamic segments: their condition and schedule, every recalculation and who joined or left at each',
    foreignKeysOff: true,
    up(db) {
      // SQLite cannot change a CHECK: the table is built anew with the same ids, so the
      // campaigns, activities and members that refer to them stay valid.
      if (Number(db.scalar('PRAGMA foreign_keys')) !== 0) throw new Error('migration 8 needs foreign keys off');
      db.exec(`
        CREATE TABLE segments_v8 (
          id              INTEGER PRIMARY KEY,
          database_id     INTEGER NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
          name            TEXT NOT NULL COLLATE NOCASE,
          kind            TEXT NOT NULL CHECK (kind IN ('static', 'updatable', 'dynamic')),
          source          TEXT NOT NULL,  -- JSON: how it was made
          created_at      TEXT NOT NULL,
          created_clock   TEXT NOT NULL,
          condition       TEXT,  -- updatable and dynamic: the condition in canonical text
          schedule        TEXT,  -- updatable: the schedule in canonical text
          schedule_anchor TEXT,  -- updatable: the project clock its schedule counts from
          evaluated_clock TEXT,  -- dynamic: the project clock its members were last evaluated at
          UNIQUE (database_id, name)
        );
        INSERT INTO segments_v8 (id, database_id, name, kind, source, created_at, created_clock)
          SELECT id, database_id, name, kind, source, created_at, created_clock FROM segments;
        DROP TABLE segments;
        ALTER TABLE segments_v8 RENAME TO segments;

        CREATE TABLE segment_recalculations (
          segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
          number     INTEGER NOT NULL CHECK (number >= 1),
          clock      TEXT NOT NULL,  -- the project clock it was evaluated at
          at         TEXT NOT NULL,  -- wall clock, UTC
          reason     TEXT NOT NULL CHECK (reason IN ('created', 'manual', 'schedule')),
          size       INTEGER NOT NULL,
          joined     INTEGER NOT NULL,
          left_count INTEGER NOT NULL,
          PRIMARY KEY (segment_id, number)
        ) WITHOUT ROWID;
        -- Who joined (1) or left (0) an updatable segment at each recalculation: the members
        -- as of recalculation N are those whose latest change up to N is a join. No foreign
        -- key (a lookup per written row); deleting a segment deletes its changes.
        CREATE TABLE segment_changes (
          segment_id  INTEGER NOT NULL,
          profile_key INTEGER NOT NULL,
          number      INTEGER NOT NULL,
          joined      INTEGER NOT NULL CHECK (joined IN (0, 1)),
          PRIMARY KEY (segment_id, profile_key, number)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: CLUSTERED_EVENTS_SINCE_VERSION,
    description: 'Profile events in two clustered tables: by type and time (conditions), and by profile and time (a profile\'s events)',
    up(db) {
      for (const row of db.all('SELECT id FROM databases ORDER BY id')) clusterEvents(db, Number(row.id));
    },
  },
  {
    version: 10,
    description: 'Activities that run on the project clock (their timing, the runs on events, scenarios that hold profiles) and each campaign\'s group sizes over time',
    up(db) {
      db.exec(`
        -- How a launched activity runs (JSON, shared/contract/clock.ts ActivityTiming); NULL: by hand only.
        ALTER TABLE activities ADD COLUMN timing TEXT;
        -- The clock time it was launched from; NULL: not launched.
        ALTER TABLE activities ADD COLUMN launch_at TEXT;
        -- The clock up to which its schedule or its trigger events were handled.
        ALTER TABLE activities ADD COLUMN done_until TEXT;
        ALTER TABLE activity_runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'manual';
        -- Messages sent when not one per recipient (a triggered mailing: one per event); NULL: one each.
        ALTER TABLE activity_runs ADD COLUMN messages INTEGER;
        -- A run on events: the times of the events it answered.
        ALTER TABLE activity_runs ADD COLUMN window_from TEXT;
        ALTER TABLE activity_runs ADD COLUMN window_to TEXT;
        ALTER TABLE activity_recipients ADD COLUMN messages INTEGER;
        -- The profiles a scenario took in: held from entered until \`until\`, or until they left the campaign.
        CREATE TABLE scenario_holds (
          activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
          profile_key INTEGER NOT NULL,
          entered     TEXT NOT NULL,
          until       TEXT NOT NULL,
          ended       TEXT,
          reason      TEXT CHECK (reason IN ('finished', 'campaign_exit', 'stopped')),
          PRIMARY KEY (activity_id, profile_key, entered)
        ) WITHOUT ROWID;
        -- A campaign's group sizes each time they changed, on the project clock (its timeline).
        CREATE TABLE campaign_sizes (
          campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          seq         INTEGER NOT NULL,
          clock       TEXT NOT NULL,
          test        INTEGER NOT NULL,
          control     INTEGER NOT NULL,
          PRIMARY KEY (campaign_id, seq)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 11,
    description:
      "Per-profile campaign events stored as a code, their text made as the log is read; an updatable segment's changes kept in the order of its recalculations (a year of the project clock writes millions of both)",
    up(db) {
      db.exec(`
        -- A per-profile event's facts as bits (campaigns/profile-events.ts); NULL: the text is in details.
        ALTER TABLE campaign_events ADD COLUMN code INTEGER;
        -- A recalculation's changes are written after the ones before (appended, not spread over
        -- a table ordered by profile); the members as of recalculation N are read from the
        -- members now and the changes after N (segments/recalculations.ts).
        CREATE TABLE segment_changes_v11 (
          segment_id  INTEGER NOT NULL,
          profile_key INTEGER NOT NULL,
          number      INTEGER NOT NULL,
          joined      INTEGER NOT NULL CHECK (joined IN (0, 1)),
          PRIMARY KEY (segment_id, number, profile_key)
        ) WITHOUT ROWID;
        INSERT INTO segment_changes_v11 (segment_id, profile_key, number, joined)
          SELECT segment_id, profile_key, number, joined FROM segment_changes ORDER BY segment_id, number, profile_key;
        DROP TABLE segment_changes;
        ALTER TABLE segment_changes_v11 RENAME TO segment_changes;
      `);
    },
  },
  {
    version: 12,
    description: "Campaign analytics: the analyses kept with each campaign, and each campaign's outcome file",
    up(db) {
      // A campaign is never removed from the file (the recycle bin keeps it), so its analyses
      // and outcomes stay with it. Bodies are JSON, validated when read (a file comes from anyone).
      db.exec(`
        CREATE TABLE campaign_analyses (
          id          INTEGER PRIMARY KEY,
          campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          clock       TEXT NOT NULL,  -- the project clock it looked at
          created_at  TEXT NOT NULL,  -- wall clock, UTC
          metric      TEXT NOT NULL,  -- the metric's label
          summary     TEXT NOT NULL,
          body        TEXT NOT NULL   -- JSON AnalysisResult (shared/contract/analytics.ts)
        );
        CREATE INDEX campaign_analyses_by_campaign ON campaign_analyses (campaign_id, id);
        -- The outcome file of a campaign: one per campaign, a new import replaces it.
        CREATE TABLE outcome_files (
          campaign_id      INTEGER PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
          file_name        TEXT NOT NULL,
          imported_at      TEXT NOT NULL,
          rows_read        INTEGER NOT NULL,
          unknown_profiles INTEGER NOT NULL,
          unknown_examples TEXT NOT NULL,  -- JSON string[]
          columns          TEXT NOT NULL   -- JSON OutcomeColumn[]: column_index is the position
        );
        -- A value of an outcome column for a profile; an empty cell has no row.
        CREATE TABLE outcome_values (
          campaign_id  INTEGER NOT NULL,
          column_index INTEGER NOT NULL,
          profile_key  INTEGER NOT NULL,
          value        REAL NOT NULL,
          PRIMARY KEY (campaign_id, column_index, profile_key)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: GCG_MEMBERS_SINCE_VERSION,
    description: "A global control group's members only, and the highest profile it has considered (not a row per profile considered)",
    up: migrateGcgToMembers,
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
  // PRAGMA foreign_keys is a no-op inside a transaction: set it before, put it back after.
  const keysOff = pending.some((m) => m.foreignKeysOff === true);
  const keysWere = Number(db.scalar('PRAGMA foreign_keys') ?? 0);
  if (keysOff) db.exec('PRAGMA foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const migration of pending) {
        migration.up(db);
        // PRAGMA takes no parameters; the version is our own integer.
        db.exec(`PRAGMA user_version = ${Math.trunc(migration.version)}`);
      }
    });
  } finally {
    if (keysOff) db.exec(`PRAGMA foreign_keys = ${keysWere === 1 ? 'ON' : 'OFF'}`);
  }
  return pending.map((m) => m.version);
}

/** Lays out a brand-new project file. */
export function initialiseSchema(db: SqlDb): void {
  // page_size only takes effect before the first page is written.
  db.exec(`PRAGMA page_size = 8192; PRAGMA application_id = ${APPLICATION_ID};`);
  migrate(db);
}

