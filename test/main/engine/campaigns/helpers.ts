/**
 * A project with one profile database for campaign tests: profiles generated in SQL,
 * static segments and activities written straight into their tables (segments and
 * activities have their own tests), and a look at every member's group.
 */
import type { FieldDraft } from '../../../../shared/contract/databases';
import type { ActivityType } from '../../../../shared/contract/activities';
import type { LcgSettings } from '../../../../shared/contract/campaigns';
import { md5Hex } from '../../../../shared/split/md5';
import { fieldColumn, profileTable } from '../../../../main/engine/databases/profile-table';
import { activateCampaign } from '../../../../main/engine/campaigns/lifecycle';
import { requireCampaign } from '../../../../main/engine/campaigns/repository';
import type { HandlerContext } from '../../../../main/engine/registry';
import { startDatabaseProject, type DatabaseProject } from '../databases/helpers';

export interface CampaignProject extends DatabaseProject {
  /**
   * Adds `count` profiles with IDs `${prefix}${i}` (i from `from`), values from SQL
   * expressions of `i` by field name (our own test SQL).
   */
  generate(count: number, options?: { prefix?: string; from?: number; values?: Readonly<Record<string, string>> }): void;
  /** A static segment of the given profile IDs (all profiles by default); returns its id. */
  segment(name: string, profileIds?: readonly string[]): number;
  /** Adds profiles to a segment by ID. */
  addToSegment(segmentId: number, profileIds: readonly string[]): void;
  /** Adds an activity to a campaign; returns its id. */
  activity(campaignId: number, type?: ActivityType): number;
  /** A campaign with one activity, ready to activate. */
  campaign(segmentId: number, lcg: LcgSettings, seed?: string, name?: string): Promise<number>;
  /** profile_id -> group of every member. */
  groups(campaignId: number): Map<string, 'test' | 'control'>;
  /** profile_id -> stratum key of every member. */
  strata(campaignId: number): Map<string, string>;
  /** Registers md5() in the project's sql.js, for the SQL of STATS.md 1.6. */
  registerMd5(): void;
}

export async function startCampaignProject(fields: readonly FieldDraft[] = [{ name: 'letter', type: 'string' }]): Promise<CampaignProject> {
  const t = await startDatabaseProject(fields);
  const table = profileTable(t.databaseId);
  let segments = 0;
  const project: CampaignProject = {
    ...t,
    generate(count, options = {}) {
      const prefix = options.prefix ?? 'p';
      const from = options.from ?? 1;
      const entries = Object.entries(options.values ?? {});
      const columns = entries.map(([name]) => `, ${fieldColumn(t.field(name).id)}`).join('');
      const values = entries.map(([, sql]) => `, ${sql}`).join('');
      t.db().exec(
        `WITH RECURSIVE c(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM c WHERE i < ${from + count - 1})
         INSERT INTO ${table} (profile_id${columns}) SELECT '${prefix}' || i${values} FROM c`,
      );
    },
    segment(name, profileIds) {
      const db = t.db();
      segments += 1;
      db.run("INSERT INTO segments (database_id, name, kind, source, created_at, created_clock) VALUES (?, ?, 'static', '{\"kind\":\"manual\"}', '2026-01-01T00:00:00Z', '2026-01-01T00:00')", [
        t.databaseId,
        `${name} ${segments}`,
      ]);
      const id = Number(db.scalar('SELECT last_insert_rowid()'));
      if (profileIds === undefined) db.run(`INSERT INTO segment_members (segment_id, profile_key) SELECT ?, rowid FROM ${table}`, [id]);
      else project.addToSegment(id, profileIds);
      return id;
    },
    addToSegment(segmentId, profileIds) {
      t.db().run(
        `INSERT OR IGNORE INTO segment_members (segment_id, profile_key) SELECT ?, p.rowid FROM json_each(?) j JOIN ${table} p ON p.profile_id = j.value`,
        [segmentId, JSON.stringify(profileIds)],
      );
    },
    activity(campaignId, type = 'broadcast') {
      const db = t.db();
      db.run("INSERT INTO activities (database_id, campaign_id, name, type, status, created_at) VALUES (?, ?, ?, ?, 'inactive', '2026-01-01T00:00:00Z')", [
        t.databaseId,
        campaignId,
        `${type} of ${campaignId}`,
        type,
      ]);
      return Number(db.scalar('SELECT last_insert_rowid()'));
    },
    async campaign(segmentId, lcg, seed = 's1', name = 'Spring') {
      const created = await t.call('campaign/create', { name, databaseId: t.databaseId, segmentId, lcg, seed });
      project.activity(created.id);
      return created.id;
    },
    groups(campaignId) {
      const rows = t
        .db()
        .all<{ id: string; grp: 'test' | 'control' }>(`SELECT p.profile_id AS id, m.grp FROM campaign_members m JOIN ${table} p ON p.rowid = m.profile_key WHERE m.campaign_id = ?`, [campaignId]);
      return new Map(rows.map((r) => [String(r.id), r.grp]));
    },
    strata(campaignId) {
      const rows = t.db().all<{ id: string; key: string }>(
        `SELECT p.profile_id AS id, s.key FROM campaign_members m JOIN ${table} p ON p.rowid = m.profile_key
           JOIN campaign_strata s ON s.campaign_id = m.campaign_id AND s.stratum = m.stratum WHERE m.campaign_id = ?`,
        [campaignId],
      );
      return new Map(rows.map((r) => [String(r.id), String(r.key)]));
    },
    registerMd5() {
      t.db().raw.create_function('md5', (s: unknown) => md5Hex(String(s)));
    },
  };
  return project;
}

/** The assignment of STATS.md 1.6, in SQL, over an `audience` (profile_id, stratum_key) query. */
export function stats16Sql(audience: string): string {
  return `
WITH p AS (SELECT profile_id, stratum_key, md5(:seed || ':' || profile_id) AS h FROM (${audience})),
strata AS (SELECT stratum_key, COUNT(*) AS n_s FROM p GROUP BY stratum_key),
tot AS (SELECT CAST(SUM(n_s) AS BIGINT) AS n FROM strata),
alloc AS (SELECT s.stratum_key, (:m * s.n_s) / tot.n AS base, (:m * s.n_s) % tot.n AS rem,
                 md5(:seed || ':stratum:' || s.stratum_key) AS th
          FROM strata s CROSS JOIN tot),
ranked AS (SELECT a.*, ROW_NUMBER() OVER (ORDER BY rem DESC, th, stratum_key) AS rr,
                  :m - SUM(base) OVER () AS leftover FROM alloc a),
quota AS (SELECT stratum_key, base + CASE WHEN rr <= leftover THEN 1 ELSE 0 END AS c_s FROM ranked)
SELECT p.profile_id,
       CASE WHEN ROW_NUMBER() OVER (PARTITION BY p.stratum_key ORDER BY p.h, p.profile_id) <= q.c_s
            THEN 'control' ELSE 'test' END AS grp
FROM p JOIN quota q USING (stratum_key)`;
}

/** A context for calling engine functions directly (as activities do), inside a transaction. */
export function directContext(t: CampaignProject): HandlerContext {
  return {
    deps: t.deps,
    state: t.engine.state,
    signal: new AbortController().signal,
    operationId: null,
    progress: () => undefined,
    checkpoint: async () => undefined,
  };
}

/**
 * Starts an activation that stops at its first checkpoint (the audience build is under way)
 * until `release` is called; `paused` resolves once it is stopped there, `done` when it ends.
 * The wall clock is real: the work note's times are compared with the file's.
 */
export function pausedActivation(t: CampaignProject, campaignId: number): { paused: Promise<void>; release: () => void; done: Promise<unknown> } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let reached!: () => void;
  const paused = new Promise<void>((resolve) => (reached = resolve));
  const ctx: HandlerContext = { ...directContext(t), deps: { ...t.deps, now: () => new Date() }, operationId: 'build', checkpoint: async () => (reached(), gate) };
  const db = t.engine.state.requireSession().db;
  const done = db.transactionAsync(() => activateCampaign(ctx, requireCampaign(db, campaignId), { method: 'campaign/activate' }));
  return { paused, release, done };
}
