/** Pages of a run's recipients, with each one's group and A/B variant. */
import type { ResultOf } from '../../../shared/contract/index';
import type { SubscriptionStatus } from '../../../shared/domain/profiles';
import { decodeValue, fieldColumn, profileTable } from '../databases/profile-table';
import { listFields } from '../databases/repository';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { requireRun } from './repository';

export function recipientsPage(db: SqlDb, runId: number, offset: number, limit: number): ResultOf<'activity/recipients'> {
  const run = requireRun(db, runId);
  const databaseId = Number(db.scalar('SELECT database_id FROM campaigns WHERE id = ?', [run.campaignId]));
  const fields = listFields(db, databaseId);
  const table = profileTable(databaseId);
  const total = Number(db.scalar(`SELECT COUNT(*) FROM activity_recipients r JOIN ${table} p ON p.rowid = r.profile_key WHERE r.run_id = ?`, [runId]));
  const rows = db.all<Record<string, SqlValue>>(
    `SELECT p.rowid AS key, p.profile_id, p.subscription, r.grp, r.variant${fields.map((f, i) => `, p.${fieldColumn(f.id)} AS v${i}`).join('')}
       FROM activity_recipients r JOIN ${table} p ON p.rowid = r.profile_key
      WHERE r.run_id = ? ORDER BY r.profile_key LIMIT ? OFFSET ?`,
    [runId, limit, offset],
  );
  return {
    databaseId,
    total,
    offset,
    fieldIds: fields.map((f) => f.id),
    rows: rows.map((r) => ({
      key: Number(r.key),
      profileId: String(r.profile_id),
      subscription: String(r.subscription) as SubscriptionStatus,
      values: fields.map((f, i) => decodeValue(f.type, r[`v${i}`])),
    })),
    groups: rows.map((r) => (r.grp === 'control' ? 'control' : 'test')),
    variants: rows.map((r) => (r.variant === null || r.variant === undefined ? null : String(r.variant))),
  };
}
