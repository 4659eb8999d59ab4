/**
 * A project ready for planning in a store test: a database of generated profiles (number
 * `n`, text `city`: Moscow, Kazan or none, and an enum `gender`), and a segment of all of
 * them. Store actions do the rest, as the window would.
 */
import type { Field, Segment } from '../../../shared/contract/index';
import type { ActivityDraft } from '../../../renderer/store/activities/slice';
import { startStore, waitForState, type StoreHarness } from './in-process';
import { seedGenerated } from './seed';

export interface Planned {
  readonly h: StoreHarness;
  readonly databaseId: number;
  readonly n: Field;
  readonly city: Field;
  readonly gender: Field;
  readonly segment: Segment;
}

export async function plannedProject(count: number, options: { pick?: (kind: string) => string | null } = {}): Promise<Planned> {
  const h = await startStore(options.pick ? { pick: (r) => options.pick?.(r.kind) ?? null } : {});
  const s = () => h.store.getState();
  await s().newProject();
  const db = await s().createDatabase('Audience');
  if (!db) throw new Error('database not created');
  await s().addField(db.id, { name: 'n', type: 'number' });
  await s().addField(db.id, { name: 'city', type: 'string' });
  await s().addField(db.id, { name: 'gender', type: 'enum', enumValues: ['female', 'male'] });
  const fields = h.state().databaseDetails[db.id]?.fields ?? [];
  const [n, city, gender] = fields;
  if (!n || !city || !gender) throw new Error('fields missing');
  seedGenerated(h.engine, db.id, count, { n: n.id, city: city.id });
  // Gender from the number: every other profile, a few without one.
  h.engine.engine.state
    .requireSession()
    .db.run(`UPDATE profiles_${db.id} SET f_${gender.id} = CASE WHEN rowid % 10 = 9 THEN NULL WHEN rowid % 2 = 0 THEN 'female' ELSE 'male' END`);
  await s().loadDatabase(db.id);
  const change = await s().createSegment({ databaseId: db.id, name: 'Everyone', from: { kind: 'all' } });
  if (!change) throw new Error(`segment not created: ${JSON.stringify(h.state().notices)}`);
  return { h, databaseId: db.id, n, city, gender, segment: change.segment };
}

/** `count` profiles and a campaign "Spring" with an LCG of 20 % by gender and one broadcast, activated (through the engine, not the store). */
export async function activatedProject(count: number, seed: string, options: { pick?: (kind: string) => string | null } = {}): Promise<Planned & { campaignId: number }> {
  const p = await plannedProject(count, options);
  const { client } = p.h.engine;
  const campaign = await client.call('campaign/create', {
    name: 'Spring',
    databaseId: p.databaseId,
    segmentId: p.segment.id,
    seed,
    lcg: { percent: '20', limit: null, strata: [{ kind: 'values', fieldId: p.gender.id }] },
  });
  await client.call('activity/create', { databaseId: p.databaseId, campaignId: campaign.id, type: 'broadcast', name: 'Hello' });
  await client.call('campaign/activate', { campaignId: campaign.id });
  return { ...p, campaignId: campaign.id };
}

/** Answers the next question the store asks (confirm dialog) with `choice`, typing what a strong one wants. */
export async function answerNext(h: StoreHarness, choice: string): Promise<string> {
  const s = await waitForState(h.store, (st) => st.confirm !== null);
  const title = s.confirm?.title ?? '';
  s.answerConfirm(choice);
  return title;
}

export const noticeTexts = (h: StoreHarness): string[] => h.state().notices.map((n) => `${n.title}: ${n.message}${n.hint ? ` (${n.hint})` : ''}`);

/** A broadcast that respects the LCG and subscription, changed as given. */
export const activityDraft = (name: string, change: Partial<ActivityDraft> = {}): ActivityDraft => ({
  name,
  type: 'broadcast',
  segmentId: null,
  ignoreLcg: false,
  ignoreSubscription: false,
  audienceExpansion: false,
  variants: [],
  ...change,
});
