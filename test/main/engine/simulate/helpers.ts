/**
 * A project for simulator tests: 2,000 profiles with a number (revenue, some without a
 * value), a yes/no (bought), an enum (city), a short text (tier), a long text (email) and a
 * date, one segment of everyone, a GCG of 10 % and a campaign stratified by city.
 */
import type { StratumRule } from '../../../../shared/contract/campaigns';
import { fieldColumn, profileTable } from '../../../../main/engine/databases/profile-table';
import { startCampaignProject, type CampaignProject } from '../campaigns/helpers';

export interface SimProject extends CampaignProject {
  readonly segmentId: number;
  readonly campaignId: number;
  readonly byCity: StratumRule[];
  /** SQL of the column of a field (our own test SQL). */
  col(name: string): string;
  readonly table: string;
}

export const SIM_PROFILES = 2000;

export async function startSimProject(options: { gcg?: string; profiles?: number } = {}): Promise<SimProject> {
  const t = await startCampaignProject([
    { name: 'revenue', type: 'number' },
    { name: 'bought', type: 'boolean' },
    { name: 'city', type: 'enum', enumValues: ['Berlin', 'Paris', 'Rome'] },
    { name: 'tier', type: 'string' },
    { name: 'email', type: 'string' },
    { name: 'born', type: 'date' },
    { name: 'spend_before', type: 'number' },
  ]);
  const n = options.profiles ?? SIM_PROFILES;
  t.generate(n, {
    values: {
      // Every 7th profile without revenue; otherwise a skewed amount with a few big spenders.
      revenue: 'CASE WHEN i % 7 = 0 THEN NULL WHEN i % 50 = 0 THEN 1000 + i ELSE (i * 37) % 101 END',
      bought: 'CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 13) % 5 = 0 END',
      city: "CASE i % 4 WHEN 0 THEN 'Berlin' WHEN 1 THEN 'Paris' WHEN 2 THEN 'Rome' ELSE NULL END",
      tier: "CASE i % 3 WHEN 0 THEN 'gold' WHEN 1 THEN 'silver' ELSE 'bronze' END",
      email: "'user' || i || '@example.com'",
      born: "'1990-01-' || printf('%02d', 1 + i % 28)",
      spend_before: '((i * 37) % 101) * 0.8 + (i % 13)',
    },
  });
  const segmentId = t.segment('Everyone');
  if (options.gcg !== undefined) await t.call('gcg/set', { databaseId: t.databaseId, percent: options.gcg, seed: 'g1' });
  const byCity: StratumRule[] = [{ fieldId: t.field('city').id, kind: 'values' }];
  const campaignId = await t.campaign(segmentId, { percent: '10', limit: null, strata: byCity }, 's1');
  return { ...t, segmentId, campaignId, byCity, table: profileTable(t.databaseId), col: (name) => `p.${fieldColumn(t.field(name).id)}` };
}
