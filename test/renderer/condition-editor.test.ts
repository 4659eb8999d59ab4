import { afterEach, describe, expect, it } from 'vitest';
import { parseCondition } from '../../shared/conditions/parse';
import { printCondition } from '../../shared/conditions/print';
import type { Field } from '../../shared/contract/index';
import {
  addGroup,
  addLeaf,
  buildCondition,
  draftFromCondition,
  newGroup,
  removeNode,
  setGroupOp,
  toggleNegated,
  updateLeaf,
  type DraftGroup,
  type DraftNode,
} from '../../renderer/store/conditions/draft';
import { builtCondition, conditionProblem, refusedNode } from '../../renderer/store/conditions/slice';
import { DEFAULT_SCHEDULE, scheduleFromDraft } from '../../renderer/store/segments/schedule-draft';
import { segmentDialogProblem } from '../../renderer/store/segments/selectors';
import { waitForState, type StoreHarness } from './helpers/in-process';
import { plannedProject } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

const field = (id: number, name: string, type: Field['type'], enumValues: string[] = []): Field => ({ id, databaseId: 1, name, type, enumValues, position: id });
const FIELDS = [field(1, 'age', 'number'), field(2, 'city', 'string'), field(3, 'signup', 'date'), field(4, 'tier', 'enum', ['gold', 'silver']), field(5, 'vip', 'boolean')];

const group = (node: DraftNode): DraftGroup => {
  if (node.type !== 'group') throw new Error('not a group');
  return node;
};
const textOf = (root: DraftNode) => {
  const built = buildCondition(root, FIELDS);
  return built.condition ? printCondition(built.condition) : null;
};

describe('the condition tree as the editor builds it', () => {
  it('adds leaves and groups, switches AND/OR, negates, removes; a one-item group is its item', () => {
    let root: DraftNode = newGroup('and');
    expect(buildCondition(root, FIELDS).problems.get('')).toMatch(/Add a condition/);
    root = addLeaf(root, root.id, FIELDS);
    const first = group(root).items[0]!;
    // A new leaf starts on the first field with its first test, and needs a value.
    expect(buildCondition(root, FIELDS).problems.get(first.id)).toBe('Give a number.');
    root = updateLeaf(root, first.id, { op: 'ge', value: '30' }, FIELDS);
    expect(textOf(root)).toBe('age >= 30');

    root = addGroup(root, root.id, FIELDS);
    const inner = group(root).items[1]!;
    expect(inner).toMatchObject({ type: 'group', op: 'or' });
    const innerLeaf = group(inner).items[0]!;
    root = updateLeaf(root, innerLeaf.id, { field: 'city' }, FIELDS);
    // Another field: its type's tests, values start afresh.
    root = updateLeaf(root, innerLeaf.id, { op: 'startsWith', value: 'Mos' }, FIELDS);
    expect(textOf(root)).toBe('age >= 30 and city starts with "Mos"');
    root = addLeaf(root, inner.id, FIELDS);
    const second = group(group(root).items[1]!).items[1]!;
    root = updateLeaf(root, second.id, { field: 'tier' }, FIELDS);
    root = updateLeaf(root, second.id, { op: 'oneOf', values: ['gold'] }, FIELDS);
    expect(textOf(root)).toBe('age >= 30 and (city starts with "Mos" or tier in ("gold"))');

    root = setGroupOp(root, inner.id, 'and');
    root = toggleNegated(root, inner.id);
    root = toggleNegated(root, first.id);
    expect(textOf(root)).toBe('not (age >= 30) and not (city starts with "Mos" and tier in ("gold"))');
    root = setGroupOp(root, root.id, 'or');
    expect(textOf(root)).toBe('not (age >= 30) or not (city starts with "Mos" and tier in ("gold"))');

    root = removeNode(root, second.id);
    expect(textOf(root)).toBe('not (age >= 30) or not (city starts with "Mos")');
    root = removeNode(root, first.id);
    expect(textOf(root)).toBe('not (city starts with "Mos")');
    // An empty nested group is named; the root cannot be removed, only emptied.
    root = removeNode(root, innerLeaf.id);
    expect(buildCondition(root, FIELDS).problems.get(inner.id)).toMatch(/group is empty/);
    root = removeNode(root, root.id);
    expect(group(root).items).toEqual([]);
  });

  it('each kind of leaf from its controls, and what is missing said per leaf', () => {
    const leafText = (change: Parameters<typeof updateLeaf>[2]) => {
      const start = newGroup('and');
      const withLeaf = addLeaf(start, start.id, FIELDS);
      const id = group(withLeaf).items[0]!.id;
      const built = buildCondition(updateLeaf(withLeaf, id, change, FIELDS), FIELDS);
      return built.condition ? printCondition(built.condition) : built.problems.get(id);
    };
    expect(leafText({ field: 'signup', op: 'between', from: '2026-01-01', to: '2026-03-31' })).toBe('signup between 2026-01-01 and 2026-03-31');
    expect(leafText({ field: 'signup', op: 'inLast', n: '3', unit: 'months' })).toBe('signup in last 3 months');
    expect(leafText({ field: 'signup', op: 'ageBetween', from: '18', to: '30' })).toBe('signup age between 18 and 30');
    expect(leafText({ field: 'signup', op: 'birthdayWithin', n: '7' })).toBe('signup birthday within 7 days');
    expect(leafText({ field: 'signup', op: 'before', value: '2026-13-01' })).toBe('signup before 2026-13-01');
    expect(leafText({ field: 'signup', op: 'before', value: 'soon' })).toMatch(/Give a date/);
    expect(leafText({ field: 'vip', op: 'eq', value: 'no' })).toBe('vip is no');
    expect(leafText({ field: 'age', op: 'between', from: '1', to: 'x' })).toBe('Give both numbers.');
    expect(leafText({ field: 'age', op: 'oneOf', value: '1, 2,3' })).toBe('age in (1, 2, 3)');
    expect(leafText({ field: 'city', op: 'empty' })).toBe('city is empty');
    expect(leafText({ kind: 'subscription', statuses: ['subscribed', 'unconfirmed'] })).toBe('subscription_status in (subscribed, unconfirmed)');
    expect(leafText({ kind: 'subscription', statuses: [] })).toMatch(/at least one subscription status/);
    expect(leafText({ kind: 'event', eventType: 'purchase', atLeast: '2', window: 'last', n: '30', unit: 'days' })).toBe('event purchase count >= 2 in last 30 days');
    expect(leafText({ kind: 'event', has: false, eventType: 'open', window: 'ever' })).toBe('no event open');
    expect(leafText({ kind: 'event', eventType: 'purchase', amountAgg: 'sum', amount: '100', window: 'between', from: '2026-04-01', to: '2026-04-30' })).toBe(
      'event purchase sum(amount) >= 100 between 2026-04-01 and 2026-04-30',
    );
    expect(leafText({ kind: 'event', eventType: '' })).toMatch(/event type/);
    expect(leafText({ kind: 'segment', member: false, ref: 'VIP' })).toBe('not in segment "VIP"');
    expect(leafText({ kind: 'campaign', ref: '#4', group: 'gcg' })).toBe('in campaign #4 gcg');
    expect(leafText({ kind: 'campaign', ref: '' })).toBe('Choose a campaign.');
  });

  it('text read into the tree gives the same canonical text back, and an edited leaf is rebuilt from its controls', () => {
    const texts = [
      'age >= 30 and (city starts with "Mos" or tier in ("gold", "silver"))',
      'not (vip is yes) or signup in next 2 weeks',
      'event purchase count >= 2 max(amount) >= 50 in last 30 days and not in campaign "Spring" lcg',
      'subscription_status in (subscribed) and no event click between 2026-01-01 and 2026-02-01 and in segment #3',
      'not (not (age < 5))',
    ];
    for (const text of texts) {
      const parsed = parseCondition(text);
      if (!parsed.ok) throw new Error(parsed.error.message);
      const canonical = printCondition(parsed.condition);
      expect(textOf(draftFromCondition(parsed.condition))).toBe(canonical);
    }
    const parsed = parseCondition('age >= 30 and city is "Kazan"');
    if (!parsed.ok) throw new Error('no');
    const root = draftFromCondition(parsed.condition);
    const cityLeaf = group(root).items[1]!;
    expect(textOf(updateLeaf(root, cityLeaf.id, { value: 'Moscow' }, FIELDS))).toBe('age >= 30 and city is "Moscow"');
  });

  it('a schedule from the controls is read by the one schedule reader', () => {
    expect(scheduleFromDraft(DEFAULT_SCHEDULE)).toMatchObject({ text: 'weekly mon 10:00' });
    expect(scheduleFromDraft({ ...DEFAULT_SCHEDULE, weekdays: ['thu', 'mon'], time: '09:30' })).toMatchObject({ text: 'weekly mon,thu 09:30' });
    expect(scheduleFromDraft({ ...DEFAULT_SCHEDULE, weekdays: [] })).toEqual({ problem: 'Tick at least one weekday.' });
    expect(scheduleFromDraft({ ...DEFAULT_SCHEDULE, kind: 'hourly', hours: '6' })).toMatchObject({ text: 'every 6 hours' });
    expect(scheduleFromDraft({ ...DEFAULT_SCHEDULE, kind: 'hourly', hours: '500' })).toEqual({ problem: '"500" is not a number of hours from 1 to 168.' });
    expect(scheduleFromDraft({ ...DEFAULT_SCHEDULE, kind: 'monthly', day: '31', time: '08:00' })).toMatchObject({ text: 'monthly 31 08:00' });
    expect(scheduleFromDraft({ ...DEFAULT_SCHEDULE, kind: 'daily', time: '' })).toMatchObject({ problem: expect.stringMatching(/time/) });
  });
});

describe('the condition editor in the store, on a real engine', () => {
  it('counts as the tree changes (latest answer only), reads text with located errors, names the leaf the engine refuses, creates a static segment once', async () => {
    const p = await plannedProject(300);
    harness = p.h;
    const { h } = p;
    const s = () => h.store.getState();
    const engineCount = async (where: string) => (await h.engine.client.call('segment/preview', { databaseId: p.databaseId, where, limit: 0 })).total;

    s().openSegmentDialog({ databaseId: p.databaseId });
    s().setSegmentDraft({ name: 'Big n', type: 'static', from: 'condition' });
    expect(segmentDialogProblem(h.state())).toMatch(/Add a condition/);
    const fields = h.state().databaseDetails[p.databaseId]?.fields ?? [];
    const rootId = h.state().conditionEditor!.root.id;
    s().changeConditionTree((r) => addLeaf(r, rootId, fields));
    const leafId = group(h.state().conditionEditor!.root).items[0]!.id;
    // Three quick edits: only the last one's count is kept.
    s().changeConditionTree((r) => updateLeaf(r, leafId, { op: 'gt', value: '10' }, fields));
    s().changeConditionTree((r) => updateLeaf(r, leafId, { value: '100' }, fields));
    s().changeConditionTree((r) => updateLeaf(r, leafId, { value: '250' }, fields));
    const counted = await waitForState(h.store, (st) => st.conditionEditor?.count.status === 'done');
    expect(counted.conditionEditor?.count).toMatchObject({ where: 'n > 250', total: await engineCount('n > 250') });
    expect(counted.conditionEditor?.text).toBe('n > 250');

    // Text mode: a located error, then a text that reads becomes the tree.
    s().setConditionMode('text');
    s().setConditionText('n > 250 and city is');
    expect(h.state().conditionEditor?.textError).toMatchObject({ line: 1, column: 20 });
    expect(conditionProblem(h.state())).toMatch(/does not read/);
    s().setConditionMode('build');
    expect(h.state().conditionEditor?.modeProblem).toMatch(/Fix the text first/);
    s().setConditionText('n > 250 and city is "Moscow"');
    // Back to the tree while the count is pending: the same condition, still counted.
    s().setConditionMode('build');
    expect(group(h.state().conditionEditor!.root).items).toHaveLength(2);
    const both = await waitForState(h.store, (st) => st.conditionEditor?.count.status === 'done' && st.conditionEditor.count.where === 'n > 250 and city is "Moscow"');
    expect(both.conditionEditor?.count.total).toBe(await engineCount('n > 250 and city is "Moscow"'));

    // A leaf the engine refuses (no such segment) is named next to that leaf.
    s().changeConditionTree((r) => addLeaf(r, r.id, fields));
    const items = group(h.state().conditionEditor!.root).items;
    const segLeaf = items[2]!.id;
    s().changeConditionTree((r) => updateLeaf(r, segLeaf, { kind: 'segment', ref: 'Nowhere' }, fields));
    const refused = await waitForState(h.store, (st) => st.conditionEditor?.count.status === 'error');
    expect(refusedNode(refused.conditionEditor!, builtCondition(refused)!)).toBe(segLeaf);
    expect(refused.conditionEditor?.count.error).toMatch(/Nowhere/);
    s().changeConditionTree((r) => removeNode(r, segLeaf));
    await waitForState(h.store, (st) => st.conditionEditor?.count.status === 'done');

    const change = await s().createSegmentFromDialog();
    expect(change?.segment).toMatchObject({ name: 'Big n', source: { kind: 'condition', where: 'n > 250 and city is "Moscow"' } });
    expect(change?.segment.size).toBe(await engineCount('n > 250 and city is "Moscow"'));
    expect(h.state().conditionEditor).toBeNull();
  });
});
