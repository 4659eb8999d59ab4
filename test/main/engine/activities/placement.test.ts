/**
 * Where activities live, on the real engine: created inside a campaign or in the external
 * list, attached, moved and detached, each refusal of the guide with its reason; edited
 * and deleted; every change an event of the campaigns concerned.
 */
import { describe, expect, it } from 'vitest';
import { expectEngineError } from '../../../helpers/engine';
import { insertProfiles } from '../databases/helpers';
import { startActivityProject, type ActivityProject } from './helpers';

async function twoCampaigns(): Promise<{ t: ActivityProject; a: number; b: number; segment: number }> {
  const t = await startActivityProject(40);
  const segment = await t.segment('All', t.ids(1, 40));
  const a = (await t.campaign('Alpha', segment)).id;
  const b = (await t.campaign('Beta', segment)).id;
  return { t, a, b, segment };
}

const refusal = async (promise: Promise<unknown>) => (await expectEngineError(promise, 'REFUSED')).message;

describe('creating activities', () => {
  it('creates one inside a campaign (an event there) or in the external list, of each type', async () => {
    const { t, a } = await twoCampaigns();
    const inside = await t.activity('Welcome', { campaignId: a, type: 'triggered_mailing' });
    expect(inside).toMatchObject({ campaignId: a, databaseId: t.databaseId, status: 'inactive', launched: false, runs: [], segmentId: null, ignoreLcg: false, audienceExpansion: false, variants: [] });
    const external = await t.activity('Banner', { type: 'placement' });
    expect(external.campaignId).toBeNull();
    expect((await t.call('activity/list', { databaseId: t.databaseId, external: true })).map((x) => x.name)).toEqual(['Banner']);
    expect((await t.call('activity/list', { campaignId: a })).map((x) => x.name)).toEqual(['Welcome']);
    const events = await t.call('campaign/events', { campaignId: a, kinds: ['activity_added'] });
    expect(events.events.map((e) => e.text)).toEqual(['Triggered mailing "Welcome" added']);
    for (const type of ['broadcast', 'regular_mailing', 'scenario'] as const) expect((await t.activity(type, { campaignId: a, type })).type).toBe(type);
  });

  it('gives an A/B test its variants (A/B 50/50 by default) and refuses shares that do not add up', async () => {
    const { t, a } = await twoCampaigns();
    expect((await t.activity('Default', { campaignId: a, type: 'ab_test' })).variants).toEqual([{ name: 'A', percent: 50 }, { name: 'B', percent: 50 }]);
    const three = await t.activity('Three', { campaignId: a, type: 'ab_test', variants: [{ name: 'A', percent: 33.34 }, { name: 'B', percent: 33.33 }, { name: 'C', percent: 33.33 }] });
    expect(three.variants.map((v) => v.percent)).toEqual([33.34, 33.33, 33.33]);
    const bad = async (variants: { name: string; percent: number }[]) =>
      (await expectEngineError(t.activity('Bad', { campaignId: a, type: 'ab_test', variants }), 'INVALID_ARGUMENT')).message;
    expect(await bad([{ name: 'A', percent: 60 }, { name: 'B', percent: 30 }])).toBe("The variants' shares add up to 90 %, not 100 %.");
    expect(await bad([{ name: 'A', percent: 100 }])).toBe('An A/B test needs at least two variants.');
    expect(await bad([{ name: 'A', percent: 50 }, { name: 'a', percent: 50 }])).toMatch(/Two variants are named/);
    expect(await bad([{ name: 'A', percent: 100 }, { name: 'B', percent: 0 }])).toMatch(/share of 0 %/);
    expect(await bad([{ name: 'A', percent: 50.005 }, { name: 'B', percent: 49.995 }])).toMatch(/at most two decimals/);
    await expectEngineError(t.activity('Mail', { campaignId: a, type: 'broadcast', variants: [{ name: 'A', percent: 100 }] }), 'INVALID_ARGUMENT');
  });

  it('refuses a campaign of another database, a segment of another database, a completed campaign', async () => {
    const { t, a } = await twoCampaigns();
    const other = await t.call('database/create', { name: 'Partners', fields: [] });
    insertProfiles(t.db(), other.id, [{ id: 'x1' }]);
    const otherSegment = await t.segment('Partners all', ['x1'], other.id);
    expect(await refusal(t.call('activity/create', { databaseId: other.id, campaignId: a, name: 'X', type: 'broadcast' }))).toBe(
      '"Alpha" is a campaign of the database "Customers": its activities must be of that database, not of "Partners".',
    );
    expect(await refusal(t.activity('Y', { campaignId: a, segmentId: otherSegment }))).toBe(
      'The segment "Partners all" is of the database "Partners"; an activity\'s segment must be of its own database ("Customers").',
    );
    await t.activity('Z', { campaignId: a });
    await t.call('campaign/activate', { campaignId: a });
    await t.call('campaign/complete', { campaignId: a });
    expect(await refusal(t.activity('Late', { campaignId: a }))).toBe('The campaign is completed: activities cannot be added to it.');
  });

  it('audience expansion needs the activity\'s own segment', async () => {
    const { t, a } = await twoCampaigns();
    expect(await refusal(t.activity('E', { campaignId: a, audienceExpansion: true }))).toMatch(/choose a segment for the activity first/);
  });
});

describe('moving activities: every refusal of the guide, with its reason', () => {
  it('attaches an external activity, moves it to another campaign and out again, with events on both sides', async () => {
    const { t, a, b } = await twoCampaigns();
    const activity = await t.activity('Roaming', {});
    const attached = await t.call('activity/move', { activityId: activity.id, campaignId: a, attach: true });
    expect(attached.campaignId).toBe(a);
    const moved = await t.call('activity/move', { activityId: activity.id, campaignId: b });
    expect(moved.campaignId).toBe(b);
    const out = await t.call('activity/move', { activityId: activity.id, campaignId: null });
    expect(out.campaignId).toBeNull();
    const texts = async (id: number) => (await t.call('campaign/events', { campaignId: id, kinds: ['activity_added', 'activity_removed'] })).events.map((e) => e.text).reverse();
    expect(await texts(a)).toEqual(['Broadcast "Roaming" attached from the external list', 'Broadcast "Roaming" moved to the campaign "Beta"']);
    expect(await texts(b)).toEqual(['Broadcast "Roaming" moved here from the campaign "Alpha"', 'Broadcast "Roaming" moved to the external list']);
    // Moving where it already is changes nothing, not even the project's unsaved state.
    const session = t.engine.state.requireSession();
    const changes = session.changeCount;
    expect((await t.call('activity/move', { activityId: activity.id, campaignId: null })).campaignId).toBeNull();
    expect(session.changeCount).toBe(changes);
  });

  it('refuses another database', async () => {
    const { t, a } = await twoCampaigns();
    const other = await t.call('database/create', { name: 'Partners', fields: [] });
    const foreign = await t.call('activity/create', { databaseId: other.id, name: 'Foreign', type: 'broadcast' });
    expect(await refusal(t.call('activity/move', { activityId: foreign.id, campaignId: a, attach: true }))).toBe(
      '"Foreign" is an activity of the database "Partners", and "Alpha" is a campaign of "Customers": an activity can only be part of a campaign of its own database.',
    );
  });

  it('refuses an active and a completed activity', async () => {
    const { t, a, b } = await twoCampaigns();
    const weekly = await t.activity('Weekly', { campaignId: a, type: 'regular_mailing' });
    const once = await t.activity('Once', { campaignId: a, type: 'broadcast' });
    await t.call('campaign/activate', { campaignId: a });
    await t.call('activity/run', { activityId: weekly.id });
    await t.call('activity/run', { activityId: once.id });
    expect(await refusal(t.call('activity/move', { activityId: weekly.id, campaignId: b }))).toBe('"Weekly" is active: only an inactive activity can be moved.');
    expect(await refusal(t.call('activity/move', { activityId: once.id, campaignId: null }))).toBe('"Once" is completed: a completed activity cannot be moved.');
  });

  it('refuses attaching an activity that another campaign uses (a move is how it changes campaign)', async () => {
    const { t, a, b } = await twoCampaigns();
    const used = await t.activity('Used', { campaignId: a });
    expect(await refusal(t.call('activity/move', { activityId: used.id, campaignId: b, attach: true }))).toBe(
      '"Used" is used by another campaign ("Alpha"): only activities in the external list can be attached. Move it from "Alpha" instead.',
    );
    expect((await t.call('activity/move', { activityId: used.id, campaignId: b })).campaignId).toBe(b);
  });

  it('refuses an activity launched before', async () => {
    const { t, a, b } = await twoCampaigns();
    const weekly = await t.activity('Weekly', { campaignId: a, type: 'regular_mailing' });
    await t.call('campaign/activate', { campaignId: a });
    await t.call('activity/run', { activityId: weekly.id });
    // Stopped since (a file from elsewhere, or a rebuild that left it inactive): it still ran once.
    t.db().run("UPDATE activities SET status = 'inactive' WHERE id = ?", [weekly.id]);
    expect(await refusal(t.call('activity/move', { activityId: weekly.id, campaignId: b }))).toBe(
      '"Weekly" has been launched before: it stays with the campaign it ran in, whose history holds its runs.',
    );
    expect(await refusal(t.call('activity/move', { activityId: weekly.id, campaignId: null }))).toMatch(/launched before/);
  });

  it('refuses moving into a completed campaign, or one in the recycle bin', async () => {
    const { t, a, b } = await twoCampaigns();
    const loose = await t.activity('Loose', {});
    await t.activity('Keep', { campaignId: b });
    await t.call('campaign/activate', { campaignId: b });
    await t.call('campaign/complete', { campaignId: b });
    expect(await refusal(t.call('activity/move', { activityId: loose.id, campaignId: b, attach: true }))).toBe(
      '"Loose" cannot go to "Beta": the campaign is completed: activities cannot be added to it.',
    );
    await t.call('campaign/delete', { campaignId: b });
    expect(await refusal(t.call('activity/move', { activityId: loose.id, campaignId: b }))).toBe('"Loose" cannot go to "Beta": the campaign is in the recycle bin: restore it first.');
    expect((await t.call('activity/move', { activityId: loose.id, campaignId: a, attach: true })).campaignId).toBe(a);
  });

  it('refuses moving an expanding activity into a campaign whose segment is not static', async () => {
    const { t, a } = await twoCampaigns();
    const seg = await t.segment('Few', t.ids(1, 5));
    const expanding = await t.activity('Grow', { campaignId: a, segmentId: seg, audienceExpansion: true });
    const updatable = await t.segment('Updatable', t.ids(1, 10));
    const gamma = await t.campaign('Gamma', updatable);
    t.db().run("UPDATE segments SET kind = 'updatable' WHERE id = ?", [updatable]);
    expect(await refusal(t.call('activity/move', { activityId: expanding.id, campaignId: gamma.id }))).toMatch(
      /^"Gamma": Audience expansion is unavailable in a campaign on an updatable segment: the campaign audience is the current composition of the segment/,
    );
  });
});

describe('editing and deleting', () => {
  it('changes name, segment, LCG switch and variants; not the variants once it ran; only the name once completed', async () => {
    const { t, a } = await twoCampaigns();
    const seg = await t.segment('Few', t.ids(1, 5));
    const ab = await t.activity('Test', { campaignId: a, type: 'ab_test' });
    const edited = await t.call('activity/update', { activityId: ab.id, name: 'Subject test', segmentId: seg, ignoreLcg: true, variants: [{ name: 'Short', percent: 70 }, { name: 'Long', percent: 30 }] });
    expect(edited).toMatchObject({ name: 'Subject test', segmentId: seg, ignoreLcg: true, variants: [{ name: 'Short', percent: 70 }, { name: 'Long', percent: 30 }] });
    expect((await t.call('activity/update', { activityId: ab.id, segmentId: null })).segmentId).toBeNull();
    await t.call('campaign/activate', { campaignId: a });
    await t.call('activity/run', { activityId: ab.id });
    expect(await refusal(t.call('activity/update', { activityId: ab.id, variants: [{ name: 'A', percent: 50 }, { name: 'B', percent: 50 }] }))).toMatch(/its variants cannot change/);
    const once = await t.activity('Once', { campaignId: a });
    await t.call('activity/run', { activityId: once.id });
    expect(await refusal(t.call('activity/update', { activityId: once.id, ignoreLcg: true }))).toBe('"Once" is completed: only its name can change.');
    expect((await t.call('activity/update', { activityId: once.id, name: 'Sent once' })).name).toBe('Sent once');
  });

  it('deletes an activity that never ran (an event in its campaign), and refuses one that ran', async () => {
    const { t, a } = await twoCampaigns();
    const draft = await t.activity('Draft', { campaignId: a });
    const sent = await t.activity('Sent', { campaignId: a });
    expect(await t.call('activity/delete', { activityId: draft.id })).toEqual({ activityId: draft.id });
    await expectEngineError(t.call('activity/delete', { activityId: draft.id }), 'NOT_FOUND');
    expect((await t.call('campaign/events', { campaignId: a, kinds: ['activity_removed'] })).events[0]!.text).toBe('Broadcast "Draft" deleted');
    await t.call('campaign/activate', { campaignId: a });
    await t.call('activity/run', { activityId: sent.id });
    expect(await refusal(t.call('activity/delete', { activityId: sent.id }))).toMatch(/has run: its runs are part of its campaign's history/);
    const external = await t.activity('Loose', {});
    await t.call('activity/delete', { activityId: external.id });
  });
});
