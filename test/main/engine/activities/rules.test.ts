/** The guide's activity rules as pure functions: which refusal applies first, variants, expansion. */
import { describe, expect, it } from 'vitest';
import type { CampaignFacts } from '../../../../shared/domain/campaign-status';
import { checkExpansion, checkMove, checkVariants, type CampaignSide, type MovingActivity } from '../../../../main/engine/activities/rules';

const facts = (over: Partial<CampaignFacts> = {}): CampaignFacts => ({ status: 'inactive', deleted: false, activityCount: 1, allocated: 0, segmentKind: 'static' as const, ...over });
const campaign = (id: number, over: Partial<CampaignFacts> = {}, databaseId = 1): CampaignSide => ({ id, name: `C${id}`, databaseId, facts: facts(over) });
const activity = (over: Partial<MovingActivity> = {}): MovingActivity => ({ name: 'Act', databaseId: 1, campaignId: null, status: 'inactive', launched: false, ...over });
const names = (id: number) => (id === 1 ? 'Customers' : 'Partners');

const reason = (check: ReturnType<typeof checkMove>) => (check.allowed ? 'allowed' : check.reason);

describe('checkMove', () => {
  it('allows attaching, moving and detaching an inactive activity that never ran', () => {
    expect(checkMove({ activity: activity(), from: null, to: campaign(1), attach: true, databaseName: names })).toEqual({ allowed: true });
    expect(checkMove({ activity: activity({ campaignId: 1 }), from: campaign(1), to: campaign(2), attach: false, databaseName: names })).toEqual({ allowed: true });
    expect(checkMove({ activity: activity({ campaignId: 1 }), from: campaign(1), to: null, attach: false, databaseName: names })).toEqual({ allowed: true });
    // An active campaign takes and gives activities too, as long as it keeps one.
    const from = campaign(1, { status: 'active', activityCount: 2 });
    expect(checkMove({ activity: activity({ campaignId: 1 }), from, to: campaign(2, { status: 'active' }), attach: false, databaseName: names }).allowed).toBe(true);
    expect(reason(checkMove({ activity: activity({ campaignId: 1 }), from: campaign(1, { status: 'active' }), to: null, attach: false, databaseName: names }))).toMatch(
      /needs at least one activity/,
    );
  });

  it('checks the target first, then the database, then "used by another campaign", then the activity', () => {
    const everythingWrong = activity({ campaignId: 3, databaseId: 2, status: 'completed', launched: true });
    const from = campaign(3, {}, 2);
    expect(reason(checkMove({ activity: everythingWrong, from, to: campaign(1, { status: 'completed' }), attach: true, databaseName: names }))).toBe(
      '"Act" cannot go to "C1": the campaign is completed: activities cannot be added to it.',
    );
    expect(reason(checkMove({ activity: everythingWrong, from, to: campaign(1), attach: true, databaseName: names }))).toMatch(/activity of the database "Partners", and "C1" is a campaign of "Customers"/);
    const sameDb = { ...everythingWrong, databaseId: 1 };
    const fromSame = campaign(3);
    expect(reason(checkMove({ activity: sameDb, from: fromSame, to: campaign(1), attach: true, databaseName: names }))).toMatch(/used by another campaign \("C3"\)/);
    expect(reason(checkMove({ activity: sameDb, from: fromSame, to: campaign(1), attach: false, databaseName: names }))).toMatch(/is completed/);
    expect(reason(checkMove({ activity: { ...sameDb, status: 'active' }, from: fromSame, to: campaign(1), attach: false, databaseName: names }))).toMatch(/is active/);
    expect(reason(checkMove({ activity: { ...sameDb, status: 'paused' }, from: fromSame, to: campaign(1), attach: false, databaseName: names }))).toMatch(/launched before/);
  });

  it('refuses a target in the recycle bin or busy building, and a source that cannot let go now', () => {
    expect(reason(checkMove({ activity: activity(), from: null, to: campaign(1, { deleted: true }), attach: true, databaseName: names }))).toMatch(/recycle bin/);
    expect(reason(checkMove({ activity: activity(), from: null, to: campaign(1, { status: 'audience_building' }), attach: true, databaseName: names }))).toMatch(/being built/);
    expect(reason(checkMove({ activity: activity({ campaignId: 1 }), from: campaign(1, { status: 'audience_exclusion' }), to: null, attach: false, databaseName: names }))).toBe(
      '"Act" cannot leave "C1": profiles are being removed from the campaign; wait until it is done.',
    );
  });
});

describe('checkVariants and checkExpansion', () => {
  it('keeps variants for A/B tests only', () => {
    expect(checkVariants('broadcast', undefined)).toEqual({ variants: [] });
    expect(checkVariants('broadcast', [])).toEqual({ variants: [] });
    expect(checkVariants('scenario', [{ name: 'A', percent: 100 }])).toEqual({ refused: 'Only an A/B test has variants.' });
    expect(checkVariants('ab_test', [{ name: ' A ', percent: 25 }, { name: 'B', percent: 75 }])).toEqual({ variants: [{ name: 'A', percent: 25 }, { name: 'B', percent: 75 }] });
  });

  it('needs a segment, and a campaign on a static segment', () => {
    expect(checkExpansion(null, null)).toMatchObject({ allowed: false });
    expect(checkExpansion(5, null)).toEqual({ allowed: true });
    expect(checkExpansion(5, { name: 'C', facts: facts() })).toEqual({ allowed: true });
    expect(checkExpansion(5, { name: 'C', facts: facts({ segmentKind: 'updatable' as const }) })).toMatchObject({ allowed: false, reason: expect.stringMatching(/^"C": Audience expansion is unavailable in a campaign on an updatable segment/) });
    expect(checkExpansion(5, { name: 'C', facts: facts({ segmentKind: 'dynamic' as const }) })).toMatchObject({ allowed: false, reason: expect.stringMatching(/dynamic segment/) });
  });
});
