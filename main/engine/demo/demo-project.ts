import type { SqlJsStatic } from 'sql.js';
import { formatCount } from '../../../shared/format';
import { createProfileIdIndex, dropProfileIdIndex, fieldColumn, profileTable } from '../databases/profile-table';
import { createDatabase, listFields } from '../databases/repository';
import { createProjectDb, readMeta, writeMeta } from '../project/project-file';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { addMinutes } from '../../../shared/domain/clock';
import { DEMO_HISTORY_DAYS, demoEventsWriter } from './demo-events';
import { DEMO_FIELDS, generateProfiles, type DemoProfile } from './generator';

export const DEMO_PROJECT_NAME = 'Demo project';
export const DEMO_DATABASE_NAME = 'Customers';

/** Rows per INSERT statement: one call into sql.js binds this many profiles. */
const ROWS_PER_INSERT = 100;
/** Profiles between two progress reports (and chances to cancel). */
const PROFILES_PER_STEP = 20_000;
/** Page cache while filling (KiB): a million profiles take about 150 MB. */
const BULK_CACHE_KIB = 256 * 1024;

/** A demo profile's values in the order of DEMO_FIELDS. */
function fieldValues(p: DemoProfile): SqlValue[] {
  return [p.email, p.gender, p.birthDate, p.city, p.registeredAt, p.lastPurchase, p.purchases, p.revenue];
}

export interface DemoOptions {
  readonly sql: SqlJsStatic;
  readonly count: number;
  readonly seed: string;
  readonly now: Date;
  readonly appVersion: string;
  /** The clock at the start of the events' year (the year lies ahead, to replay), instead of today. */
  readonly replay?: boolean;
  /** Called between steps; may throw CANCELLED. */
  readonly step: (done: number, total: number) => Promise<void>;
}

/**
 * A new project holding the "Customers" database filled with a generated audience. The
 * audience's "today" is the project clock's date, so the same seed on the same day gives
 * the same profiles. The caller owns the returned database (and closes it on failure).
 */
export async function buildDemoProject(options: DemoOptions): Promise<SqlDb> {
  const db = createProjectDb(options.sql, { name: DEMO_PROJECT_NAME, now: options.now, appVersion: options.appVersion });
  try {
    const today = readMeta(db).clock.slice(0, 10);
    writeMeta(db, {
      description: `A generated audience of ${formatCount(options.count)} customers (seed "${options.seed}", as of ${today}).`,
    });
    const databaseId = createDatabase(db, DEMO_DATABASE_NAME, DEMO_FIELDS, options.now);
    const clock = readMeta(db).clock;
    await fillProfiles(db, databaseId, { ...options, today, clock });
    if (options.replay === true) {
      const start = addMinutes(clock, -DEMO_HISTORY_DAYS * 24 * 60);
      writeMeta(db, {
        clock: start,
        description: `A generated audience of ${formatCount(options.count)} customers (seed "${options.seed}", as of ${today}), with the clock set back to ${start.slice(0, 10)} to replay the year of events ahead.`,
      });
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

async function fillProfiles(db: SqlDb, databaseId: number, options: DemoOptions & { today: string; clock: string }): Promise<void> {
  const fields = listFields(db, databaseId);
  const columns = ['profile_id', 'subscription', ...DEMO_FIELDS.map((draft) => fieldColumn(fields.find((f) => f.name === draft.name)!.id))];
  const rowPlaceholders = `(${columns.map(() => '?').join(', ')})`;
  const insertSql = (rows: number) =>
    `INSERT INTO ${profileTable(databaseId)} (${columns.join(', ')}) VALUES ${Array(rows).fill(rowPlaceholders).join(', ')}`;
  const full = db.raw.prepare(insertSql(ROWS_PER_INSERT));
  // The unique index is built once at the end: faster than keeping it up to date row by
  // row. The events are kept as they are made and written, sorted, at the end.
  dropProfileIdIndex(db, databaseId);
  const events = demoEventsWriter(options.sql, db, databaseId, { seed: options.seed, clock: options.clock });
  // While filling, keep the rollback journal in memory and the new pages in a large cache:
  // the database is in memory anyway, and spilling pages through the default 2 MB cache
  // to an on-"disk" journal costs more than generating the profiles. Both are put back.
  const journal = String(db.scalar('PRAGMA journal_mode'));
  const cache = Number(db.scalar('PRAGMA cache_size'));
  db.exec(`PRAGMA journal_mode = MEMORY; PRAGMA cache_size = ${-BULK_CACHE_KIB}`);
  try {
    await db.transactionAsync(async () => {
      let values: SqlValue[] = [];
      let inBatch = 0;
      let done = 0;
      for (const profile of generateProfiles({ count: options.count, seed: options.seed, today: options.today })) {
        values.push(profile.profileId, profile.subscription, ...fieldValues(profile));
        inBatch += 1;
        done += 1;
        // Profiles go into a fresh table in order: the n-th has rowid n.
        events.add(done, profile);
        if (inBatch === ROWS_PER_INSERT) {
          full.run(values);
          values = [];
          inBatch = 0;
        }
        if (done % PROFILES_PER_STEP === 0) await options.step(done, options.count);
      }
      if (inBatch > 0) db.run(insertSql(inBatch), values);
      await events.finish();
      createProfileIdIndex(db, databaseId);
    });
  } finally {
    full.free();
    // Our own values, never user text: journal_mode is one of SQLite's words, cache_size a number.
    db.exec(`PRAGMA journal_mode = ${/^[a-z]+$/i.test(journal) ? journal : 'DELETE'}; PRAGMA cache_size = ${Math.trunc(cache)}`);
  }
  await options.step(options.count, options.count);
}
