/** A project for activity tests: a database of numbered profiles, segments and campaigns made through the real engine. */
import type { Activity } from '../../../../shared/contract/activities';
import type { ArgsOf } from '../../../../shared/contract/index';
import type { Campaign } from '../../../../shared/contract/campaigns';
import { startDatabaseProject, type DatabaseProject } from '../databases/helpers';

export interface ActivityProject extends DatabaseProject {
  /** Profile IDs "p001" ... for the numbers given (1-based). */
  ids(from: number, to: number): string[];
  /** A static segment of the profiles numbered from..to (or of the IDs given). */
  segment(name: string, ids: readonly string[], databaseId?: number): Promise<number>;
  campaign(name: string, segmentId: number, args?: Partial<ArgsOf<'campaign/create'>>): Promise<Campaign>;
  activity(name: string, args: Partial<ArgsOf<'activity/create'>>): Promise<Activity>;
  /** The campaign's members by profile ID: their group. */
  members(campaignId: number): Promise<Map<string, 'test' | 'control'>>;
}

export const pid = (n: number) => `p${String(n).padStart(3, '0')}`;

/** A project with "Customers" holding p001..p{profiles}, each with a gender (every third female). */
export async function startActivityProject(profiles = 200): Promise<ActivityProject> {
  const t = await startDatabaseProject([{ name: 'gender', type: 'string' }]);
  t.insert(Array.from({ length: profiles }, (_, i) => ({ id: pid(i + 1), values: { gender: i % 3 === 0 ? 'female' : 'male' } })));
  const project: ActivityProject = {
    ...t,
    ids: (from, to) => Array.from({ length: to - from + 1 }, (_, i) => pid(from + i)),
    async segment(name, ids, databaseId = t.databaseId) {
      const created = await t.call('segment/create', { databaseId, name, from: { kind: 'empty' } });
      if (ids.length > 0) await t.call('segment/addProfiles', { segmentId: created.segment.id, profileIds: [...ids] });
      return created.segment.id;
    },
    campaign(name, segmentId, args = {}) {
      return t.call('campaign/create', { name, databaseId: t.databaseId, segmentId, seed: `seed-${name}`, lcg: { percent: 10, limit: null, strata: [] }, ...args });
    },
    activity(name, args) {
      return t.call('activity/create', { databaseId: t.databaseId, name, type: 'broadcast', ...args });
    },
    async members(campaignId) {
      const out = new Map<string, 'test' | 'control'>();
      for (let offset = 0; ; offset += 1000) {
        const page = await t.call('campaign/members', { campaignId, offset, limit: 1000 });
        page.rows.forEach((row, i) => out.set(row.profileId, page.groups[i]!));
        if (page.rows.length < 1000) return out;
      }
    },
  };
  return project;
}

/** Every recipient of a run: profile ID -> [group, variant]. */
export async function recipientsOf(t: ActivityProject, runId: number): Promise<Map<string, [string, string | null]>> {
  const out = new Map<string, [string, string | null]>();
  for (let offset = 0; ; offset += 1000) {
    const page = await t.call('activity/recipients', { runId, offset, limit: 1000 });
    page.rows.forEach((row, i) => out.set(row.profileId, [page.groups[i]!, page.variants[i] ?? null]));
    if (page.rows.length < 1000) return out;
  }
}
