/**
 * Every status (and the recycle bin) against every action: allowed or refused, and why,
 * through the engine's methods; the activity actions (their methods belong to activities)
 * through the status machine with the facts the engine reports.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../../../shared/contract/errors';
import { CAMPAIGN_ACTIONS, checkCampaignAction, type CampaignAction } from '../../../../shared/domain/campaign-status';
import { campaignFacts, requireCampaign } from '../../../../main/engine/campaigns/repository';
import { expectEngineError } from '../../../helpers/engine';
import { startCampaignProject, type CampaignProject } from './helpers';

type Situation = 'inactive' | 'audience_building' | 'waiting' | 'active' | 'audience_exclusion' | 'completed' | 'deleted';
const SITUATIONS: readonly Situation[] = ['inactive', 'audience_building', 'waiting', 'active', 'audience_exclusion', 'completed', 'deleted'];

/** true: allowed; a string: refused with a reason containing it. */
type Expected = true | string;

const BUILDING = 'The audience is being built';
const EXCLUDING = 'Profiles are being removed';
const NEVER_AGAIN = 'completed and can never run again';
const BIN = 'in the recycle bin: restore it first';
const NOT_IN_BIN = 'Only a campaign in the recycle bin can be restored';
const ONLY_ACTIVE = 'Activities run only while the campaign is active';
const DELETE_ONLY = 'Only a completed campaign, or an inactive one with nobody allocated';

const transient = (reason: string): Record<CampaignAction, Expected> => ({
  edit: reason,
  changeLcg: reason,
  activate: reason,
  schedule: reason,
  deactivate: reason,
  complete: reason,
  clone: true,
  delete: reason,
  restore: NOT_IN_BIN,
  addProfiles: reason,
  addActivity: reason,
  removeActivity: reason,
  runActivity: reason,
});

const TABLE: Record<Situation, Record<CampaignAction, Expected>> = {
  inactive: {
    edit: true,
    changeLcg: true,
    activate: true,
    schedule: true,
    deactivate: 'The campaign is already inactive',
    complete: true,
    clone: true,
    delete: true,
    restore: NOT_IN_BIN,
    addProfiles: true,
    addActivity: true,
    removeActivity: true,
    runActivity: ONLY_ACTIVE,
  },
  audience_building: transient(BUILDING),
  waiting: {
    edit: true,
    changeLcg: true,
    activate: true,
    schedule: true,
    deactivate: true,
    complete: true,
    clone: true,
    delete: DELETE_ONLY,
    restore: NOT_IN_BIN,
    addProfiles: true,
    addActivity: true,
    removeActivity: 'A campaign waiting to start needs at least one activity',
    runActivity: ONLY_ACTIVE,
  },
  active: {
    edit: true,
    changeLcg: true,
    activate: 'The campaign is already active',
    schedule: 'already active; deactivate it to schedule a later start',
    deactivate: true,
    complete: true,
    clone: true,
    delete: DELETE_ONLY,
    restore: NOT_IN_BIN,
    addProfiles: true,
    addActivity: true,
    removeActivity: 'An active campaign needs at least one activity',
    runActivity: true,
  },
  audience_exclusion: transient(EXCLUDING),
  completed: {
    edit: NEVER_AGAIN,
    changeLcg: NEVER_AGAIN,
    activate: NEVER_AGAIN,
    schedule: NEVER_AGAIN,
    deactivate: NEVER_AGAIN,
    complete: NEVER_AGAIN,
    clone: true,
    delete: true,
    restore: NOT_IN_BIN,
    addProfiles: NEVER_AGAIN,
    addActivity: 'activities cannot be added',
    removeActivity: NEVER_AGAIN,
    runActivity: NEVER_AGAIN,
  },
  deleted: {
    edit: BIN,
    changeLcg: BIN,
    activate: BIN,
    schedule: BIN,
    deactivate: BIN,
    complete: BIN,
    clone: BIN,
    delete: BIN,
    restore: true,
    addProfiles: BIN,
    addActivity: BIN,
    removeActivity: BIN,
    runActivity: BIN,
  },
};

const FUTURE = '2099-01-01T09:00';

let t: CampaignProject;
let segmentId: number;

beforeAll(async () => {
  t = await startCampaignProject();
  t.generate(40, { values: { letter: "CASE WHEN i % 2 = 0 THEN 'x' ELSE 'y' END" } });
  // The segment holds p1-p30; p31-p40 are there to be added by hand.
  segmentId = t.segment('Thirty', Array.from({ length: 30 }, (_, i) => `p${i + 1}`));
});

/** A fresh campaign (with one activity) brought into the situation. */
async function campaignIn(situation: Situation): Promise<number> {
  const id = await t.campaign(segmentId, { percent: 20, limit: null, strata: [] }, `seed-${situation}`);
  const db = t.db();
  switch (situation) {
    case 'inactive':
      break;
    case 'audience_building':
    case 'audience_exclusion':
      db.run('UPDATE campaigns SET status = ? WHERE id = ?', [situation, id]);
      break;
    case 'waiting':
      await t.call('campaign/activate', { campaignId: id, at: FUTURE });
      break;
    case 'active':
      await t.call('campaign/activate', { campaignId: id });
      break;
    case 'completed':
      await t.call('campaign/activate', { campaignId: id });
      await t.call('campaign/complete', { campaignId: id });
      break;
    case 'deleted':
      await t.call('campaign/complete', { campaignId: id });
      await t.call('campaign/delete', { campaignId: id });
      break;
  }
  return id;
}

const ENGINE_ACTIONS: Partial<Record<CampaignAction, (campaignId: number) => Promise<unknown>>> = {
  edit: (campaignId) => t.call('campaign/update', { campaignId, name: 'Renamed' }),
  changeLcg: (campaignId) => t.call('campaign/setLcg', { campaignId, lcg: { percent: 30, limit: null, strata: [] } }),
  activate: (campaignId) => t.call('campaign/activate', { campaignId }),
  schedule: (campaignId) => t.call('campaign/activate', { campaignId, at: FUTURE }),
  deactivate: (campaignId) => t.call('campaign/deactivate', { campaignId }),
  complete: (campaignId) => t.call('campaign/complete', { campaignId }),
  clone: (campaignId) => t.call('campaign/clone', { campaignId }),
  delete: (campaignId) => t.call('campaign/delete', { campaignId }),
  restore: (campaignId) => t.call('campaign/restore', { campaignId }),
  addProfiles: (campaignId) => t.call('campaign/addProfiles', { campaignId, profileIds: ['p35'] }),
};

/** Where an allowed action leaves the campaign (clone leaves the source as it was). */
const STATUS_AFTER: Partial<Record<CampaignAction, string>> = {
  activate: 'active',
  schedule: 'waiting',
  deactivate: 'inactive',
  complete: 'completed',
  restore: 'completed',
};

describe('the campaign status machine, status by action', () => {
  for (const situation of SITUATIONS) {
    for (const action of CAMPAIGN_ACTIONS) {
      const expected = TABLE[situation][action];
      it(`${situation} × ${action}: ${expected === true ? 'allowed' : `refused (${expected})`}`, async () => {
        const id = await campaignIn(situation);
        const run = ENGINE_ACTIONS[action];
        if (run) {
          if (expected === true) {
            await run(id);
            const after = requireCampaign(t.db(), id);
            if (STATUS_AFTER[action]) expect(after.status).toBe(STATUS_AFTER[action]);
            if (action === 'delete') expect(after.deletedAt).not.toBeNull();
            if (action === 'restore') expect(after.deletedAt).toBeNull();
          } else {
            const before = requireCampaign(t.db(), id);
            const error = await expectEngineError(run(id), 'REFUSED');
            expect(error.message).toContain(expected);
            expect(requireCampaign(t.db(), id)).toEqual(before);
          }
        } else {
          const check = checkCampaignAction(action, campaignFacts(t.db(), requireCampaign(t.db(), id)));
          if (expected === true) expect(check).toEqual({ allowed: true });
          else expect(check.allowed ? '' : check.reason).toContain(expected);
        }
      });
    }
  }
});

describe('refusals that depend on more than the status', () => {
  it('activation and scheduling need at least one activity', async () => {
    const created = await t.call('campaign/create', { name: 'Bare', databaseId: t.databaseId, segmentId });
    for (const args of [{ campaignId: created.id }, { campaignId: created.id, at: FUTURE }]) {
      const error = await expectEngineError(t.call('campaign/activate', args), 'REFUSED');
      expect(error.message).toMatch(/Add at least one activity before (activating|scheduling) the campaign/);
    }
  });

  it('an inactive campaign with profiles allocated cannot be deleted; it says how many', async () => {
    const own = t.segment('Own', Array.from({ length: 30 }, (_, i) => `p${i + 1}`));
    const id = await t.campaign(own, { percent: 20, limit: null, strata: [] });
    await t.call('campaign/activate', { campaignId: id });
    await t.call('campaign/deactivate', { campaignId: id });
    const error = await expectEngineError(t.call('campaign/delete', { campaignId: id }), 'REFUSED');
    expect(error.message).toBe('30 profiles are allocated to this campaign: complete it first, then delete it.');
  });

  it('an active or waiting campaign keeps its last activity; with two, one may go', () => {
    for (const status of ['active', 'waiting'] as const) {
      const facts = { status, deleted: false, activityCount: 1, allocated: 10, segmentKind: 'static' as const };
      expect(checkCampaignAction('removeActivity', facts)).toMatchObject({ allowed: false });
      expect(checkCampaignAction('removeActivity', { ...facts, activityCount: 2 })).toMatchObject({ allowed: true });
    }
  });

  it('profiles are added by hand only on a static segment, with the guide\'s reason (status machine)', () => {
    const facts = { status: 'active' as const, deleted: false, activityCount: 1, allocated: 10, segmentKind: 'updatable' as const };
    expect(checkCampaignAction('addProfiles', facts)).toEqual({
      allowed: false,
      reason: expect.stringContaining(
        'Adding profiles by hand is unavailable in a campaign on an updatable segment: the campaign audience is the current composition of the segment at the time of campaign activation and each subsequent segment update',
      ),
    });
    expect(checkCampaignAction('addProfiles', { ...facts, segmentKind: 'dynamic' })).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('audience tagging is triggered with each recalculation'),
    });
    expect(checkCampaignAction('addProfiles', { ...facts, segmentKind: 'static' })).toEqual({ allowed: true });
  });

  it('every refusal is an EngineError with a sentence', () => {
    expect(new EngineError('REFUSED', 'x').code).toBe('REFUSED');
  });
});
