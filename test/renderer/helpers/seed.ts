/**
 * Profiles written straight into an in-process engine's open project, for tests of
 * browsing, fields and deletion that must not depend on the CSV import. Values go in as
 * the engine stores them (dates as ISO text, yes/no as 0/1). Only test code does this.
 */
import type { FieldValue } from '../../../shared/domain/profiles';
import type { InProcessEngine } from './in-process';

export interface SeedProfile {
  readonly profileId: string;
  readonly subscription?: 'subscribed' | 'unsubscribed' | 'unconfirmed' | 'bounced';
  /** By field id. */
  readonly values?: Readonly<Record<number, FieldValue>>;
}

export function seedProfiles(engine: InProcessEngine, databaseId: number, profiles: readonly SeedProfile[]): void {
  const db = engine.engine.state.requireSession().db;
  db.transaction(() => {
    for (const p of profiles) {
      const entries = Object.entries(p.values ?? {});
      const columns = ['profile_id', 'subscription', ...entries.map(([id]) => `f_${Number(id)}`)];
      const values = [p.profileId, p.subscription ?? 'subscribed', ...entries.map(([, v]) => (typeof v === 'boolean' ? (v ? 1 : 0) : v))];
      db.run(`INSERT INTO profiles_${databaseId} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, values);
    }
  });
}

/** `count` generated profiles in one SQL statement: "P0000001"... with a number field `n` = i and a text field `city`. */
export function seedGenerated(engine: InProcessEngine, databaseId: number, count: number, fields: { n: number; city: number }): void {
  const db = engine.engine.state.requireSession().db;
  db.run(
    `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
     INSERT INTO profiles_${databaseId} (profile_id, subscription, f_${fields.n}, f_${fields.city})
     SELECT printf('P%07d', i),
            CASE i % 10 WHEN 0 THEN 'unsubscribed' WHEN 7 THEN 'bounced' ELSE 'subscribed' END,
            (i * 7919) % 100003,
            CASE i % 3 WHEN 0 THEN 'Moscow' WHEN 1 THEN 'Kazan' ELSE NULL END
       FROM seq`,
    [count],
  );
}

/** An import as the history records it (until the import pipeline is used by the test itself). */
export function seedImportRecord(engine: InProcessEngine, databaseId: number, fileName: string): void {
  const db = engine.engine.state.requireSession().db;
  db.run(
    `INSERT INTO imports (database_id, file_name, imported_at, clock, mode, rows_read, added, updated, unchanged, skipped)
     VALUES (?, ?, '2026-11-29T10:15:00.000Z', '2026-11-29T10:15', 'add', 3, 3, 0, 0, 0)`,
    [databaseId, fileName],
  );
}
