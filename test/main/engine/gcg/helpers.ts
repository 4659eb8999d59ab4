/** Looks inside a project's GCG tables straight from SQL (checks independent of the engine's pages). */
import type { DatabaseProject } from '../databases/helpers';

/** Every GCG member's profile ID, sorted. */
export function gcgMemberIds(p: DatabaseProject, databaseId = p.databaseId): string[] {
  return p
    .db()
    .all<{ id: string }>(`SELECT p.profile_id AS id FROM gcg_members g JOIN profiles_${databaseId} p ON p.rowid = g.profile_key WHERE g.database_id = ?`, [databaseId])
    .map((r) => String(r.id))
    .sort();
}

/** How far the GCG has looked: the highest profile rowid it has considered, and how many. */
export function gcgConsidered(p: DatabaseProject): { upTo: number; count: number } {
  const row = p.db().get<{ upTo: number; count: number }>('SELECT considered_up_to AS upTo, considered AS count FROM gcg_settings WHERE database_id = ?', [p.databaseId]);
  return { upTo: Number(row?.upTo), count: Number(row?.count) };
}
