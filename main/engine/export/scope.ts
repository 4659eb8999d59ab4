/**
 * Which profiles an export writes when it is not the whole database: a segment, the
 * global control group, a campaign's audience (or one of its groups, or the GCG members of
 * its segment) or the recipients of an activity run. The scope is read once, before writing, into typed arrays: its profile
 * keys ascending (the order of the profile table), with the status filter and the row
 * limit already applied, and each profile's group where the scope has groups. The writer
 * then walks the table and the keys side by side (a merge join in JavaScript), so a scope
 * of a million profiles costs a few SQL statements, not one per row.
 */
import { EngineError } from '../../../shared/contract/errors';
import type { ExportScope } from '../../../shared/contract/exports';
import type { SubscriptionStatus } from '../../../shared/domain/profiles';
import { requireDatabase } from '../databases/repository';
import { isBuilt } from '../campaigns/repository';
import { gcgMembersSql, readGcgSettings } from '../gcg/membership';
import { requireSegment } from '../segments/repository';
import { refreshDynamic } from '../segments/dynamic';
import { membersAsOfSql } from '../segments/recalculations';
import type { SqlDb, SqlValue } from '../sqlite/database';

/** Group codes in ScopeRows.groups (the digit each source's group SQL yields). */
export const GROUP_TEST = 0;
export const GROUP_CONTROL = 1;
export const GROUP_GCG = 2;
export const GROUP_NAMES = ['test', 'control', 'gcg'] as const;

export interface ScopeRows {
  /** Profile keys (rowids), ascending. */
  readonly keys: Float64Array;
  /** GROUP_TEST, GROUP_CONTROL or GROUP_GCG per key; null when the scope has no groups. */
  readonly groups: Uint8Array | null;
}

/** Where a scope's profile keys are: `m.profile_key` of `from m` where `where`; `group`: SQL of each one's group code, if grouped. */
interface ScopeSource {
  readonly from: string;
  readonly where: string;
  readonly params: readonly SqlValue[];
  readonly group: string | null;
}

/** The group code of a member row `m` of campaign_members or activity_recipients. */
const MEMBER_GROUP = `CASE m.grp WHEN 'control' THEN ${GROUP_CONTROL} ELSE ${GROUP_TEST} END`;

const KEYS_PER_READ = 100_000;

function otherDatabase(what: string, databaseName: string, details: Record<string, unknown>): EngineError {
  return new EngineError('INVALID_ARGUMENT', `${what} is not of the database "${databaseName}".`, details);
}

/** Checks that the scope exists and belongs to the database; says where its keys are. */
function scopeSource(db: SqlDb, databaseId: number, scope: Exclude<ExportScope, { kind: 'database' }>): ScopeSource {
  const database = requireDatabase(db, databaseId);
  switch (scope.kind) {
    case 'segment': {
      const segment = requireSegment(db, scope.segmentId);
      if (segment.databaseId !== databaseId) throw otherDatabase(`The segment "${segment.name}"`, database.name, { segmentId: scope.segmentId });
      if (scope.recalculation !== undefined) {
        return { from: `(${membersAsOfSql(db, segment, scope.recalculation)})`, where: '1', params: [], group: null };
      }
      // A dynamic segment is evaluated at each use.
      refreshDynamic(db, scope.segmentId);
      return { from: 'segment_members', where: 'm.segment_id = ?', params: [scope.segmentId], group: null };
    }
    case 'gcg': {
      const settings = readGcgSettings(db, databaseId);
      if (!settings || settings.percentBp === 0) {
        throw new EngineError('REFUSED', `"${database.name}" has no global control group: set its share first.`, { databaseId });
      }
      return { from: 'gcg_members', where: 'm.database_id = ?', params: [databaseId], group: null };
    }
    case 'campaign': {
      const campaign = db.get<{ name: string; database_id: number; segment_id: number }>('SELECT name, database_id, segment_id FROM campaigns WHERE id = ?', [
        scope.campaignId,
      ]);
      if (!campaign) throw new EngineError('NOT_FOUND', `There is no campaign with id ${scope.campaignId}.`, { campaignId: scope.campaignId });
      if (Number(campaign.database_id) !== databaseId) {
        throw otherDatabase(`The campaign "${String(campaign.name)}"`, database.name, { campaignId: scope.campaignId });
      }
      if (!isBuilt(db, scope.campaignId)) {
        throw new EngineError(
          'REFUSED',
          `Export is available after audience building is finished: "${String(campaign.name)}" has not been activated yet, so it has no groups.`,
          { campaignId: scope.campaignId },
        );
      }
      if (scope.group === 'gcg') {
        // The GCG members of the campaign's audience: its segment's profiles that the GCG holds.
        const settings = readGcgSettings(db, databaseId);
        if (!settings || settings.percentBp === 0) {
          throw new EngineError('REFUSED', `"${database.name}" has no global control group: set its share first.`, { databaseId });
        }
        return {
          from: 'segment_members',
          where: `m.segment_id = ? AND m.profile_key IN (${gcgMembersSql(databaseId)})`,
          params: [Number(campaign.segment_id)],
          group: String(GROUP_GCG),
        };
      }
      if (scope.group === 'all') return { from: 'campaign_members', where: 'm.campaign_id = ?', params: [scope.campaignId], group: MEMBER_GROUP };
      return { from: 'campaign_members', where: 'm.campaign_id = ? AND m.grp = ?', params: [scope.campaignId, scope.group], group: MEMBER_GROUP };
    }
    case 'run': {
      const run = db.get<{ name: string; database_id: number }>(
        `SELECT c.name AS name, c.database_id AS database_id FROM activity_runs r JOIN campaigns c ON c.id = r.campaign_id WHERE r.id = ?`,
        [scope.runId],
      );
      if (!run) throw new EngineError('NOT_FOUND', `There is no activity run with id ${scope.runId}.`, { runId: scope.runId });
      if (Number(run.database_id) !== databaseId) {
        throw otherDatabase(`The run ${scope.runId} (campaign "${String(run.name)}")`, database.name, { runId: scope.runId });
      }
      return { from: 'activity_recipients', where: 'm.run_id = ?', params: [scope.runId], group: MEMBER_GROUP };
    }
  }
}

/** Whether the scope's rows carry a group column. */
export function scopeHasGroups(scope: ExportScope | undefined): boolean {
  return scope?.kind === 'campaign' || scope?.kind === 'run';
}

/**
 * The scope's profiles that exist in `table` and have one of `statuses` (all when null),
 * the first `limit` of them in key order. Read in chunks by key (each chunk one statement
 * returning the keys as text), so a million keys take a few statements.
 */
export function readScope(
  db: SqlDb,
  databaseId: number,
  table: string,
  scope: Exclude<ExportScope, { kind: 'database' }>,
  statuses: readonly SubscriptionStatus[] | null,
  limit: number | undefined,
): ScopeRows {
  const source = scopeSource(db, databaseId, scope);
  const statusFilter = statuses ? ` AND p.subscription IN (${statuses.map(() => '?').join(', ')})` : '';
  // The chunk comes out of an ordered subquery, so the aggregates see it in key order;
  // asking for that order inside group_concat would sort every chunk again (4x slower).
  // The order is checked below all the same.
  const sql = `SELECT group_concat(k, ',') AS keys, ${source.group !== null ? `group_concat(g, '')` : 'NULL'} AS groups, COUNT(*) AS n, MAX(k) AS last
                 FROM (SELECT m.profile_key AS k${source.group !== null ? `, ${source.group} AS g` : ''}
                         FROM ${source.from} m JOIN ${table} p ON p.rowid = m.profile_key
                        WHERE ${source.where} AND m.profile_key > ?${statusFilter}
                        ORDER BY m.profile_key LIMIT ?)`;
  const wanted = limit ?? Number.MAX_SAFE_INTEGER;
  const keyChunks: Float64Array[] = [];
  const groupChunks: Uint8Array[] = [];
  let total = 0;
  let after = Number.MIN_SAFE_INTEGER;
  while (total < wanted) {
    const take = Math.min(KEYS_PER_READ, wanted - total);
    const row = db.get<{ keys: string | null; groups: string | null; n: number; last: number | null }>(sql, [...source.params, after, ...(statuses ?? []), take]);
    const n = Number(row?.n ?? 0);
    if (!row || n === 0 || row.keys === null) break;
    const keys = new Float64Array(n);
    String(row.keys)
      .split(',')
      .forEach((value, i) => (keys[i] = Number(value)));
    const groups = new Uint8Array(n);
    if (source.group !== null) {
      // One digit per key: its group code.
      const text = String(row.groups ?? '');
      for (let i = 0; i < n; i += 1) groups[i] = text.charCodeAt(i) - 0x30;
    }
    if (!ascending(keys)) sortTogether(keys, groups);
    keyChunks.push(keys);
    groupChunks.push(groups);
    total += n;
    after = Number(row.last);
    if (n < take) break;
  }
  const keys = new Float64Array(total);
  const groups = source.group !== null ? new Uint8Array(total) : null;
  let at = 0;
  keyChunks.forEach((chunk, i) => {
    keys.set(chunk, at);
    groups?.set(groupChunks[i]!, at);
    at += chunk.length;
  });
  return { keys, groups };
}

function ascending(keys: Float64Array): boolean {
  for (let i = 1; i < keys.length; i += 1) if (keys[i - 1]! >= keys[i]!) return false;
  return true;
}

/** Sorts keys ascending and their groups with them (only if SQLite ever hands a chunk over unordered). */
function sortTogether(keys: Float64Array, groups: Uint8Array): void {
  const order = Array.from(keys.keys()).sort((a, b) => keys[a]! - keys[b]!);
  const sortedKeys = Float64Array.from(order, (i) => keys[i]!);
  const sortedGroups = Uint8Array.from(order, (i) => groups[i]!);
  keys.set(sortedKeys);
  groups.set(sortedGroups);
}
