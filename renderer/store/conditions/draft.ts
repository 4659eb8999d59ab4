/**
 * The condition editor's tree as the user builds it: groups that may still be empty or hold
 * one item, and leaves whose values are still being typed (kept as text). `buildCondition`
 * turns it into the contract's tree (shared/contract/conditions.ts) or says, per node, what
 * is missing; `draftFromCondition` reads a contract tree back (from the text mode), keeping
 * each leaf as it was read so an untouched leaf gives exactly the same condition back.
 */
import {
  Condition,
  ConditionDate,
  FIELD_TESTS,
  isLeaf,
  type CampaignLeaf,
  type ConditionLeaf,
  type EventWindow,
  type FieldOp,
  type FieldTest,
  type TimeUnit,
} from '../../../shared/contract/conditions';
import type { Field } from '../../../shared/contract/index';
import { printLeaf } from '../../../shared/conditions/print';
import type { FieldType, SubscriptionStatus } from '../../../shared/domain/profiles';

export type LeafKind = ConditionLeaf['kind'];
export type CampaignGroup = CampaignLeaf['group'];

/** Every value of a leaf as the controls hold it; only those of its kind and test count. */
export interface LeafDraft {
  readonly kind: LeafKind;
  /** Field leaves: the field's name, its test and the test's values as typed. */
  readonly field: string;
  readonly op: FieldOp;
  /** eq, ne, contains, startsWith, lt…ge, before, after; oneOf: values separated by commas. */
  readonly value: string;
  /** Enum fields' oneOf: the values ticked. */
  readonly values: readonly string[];
  /** between and ageBetween (fields), between (events). */
  readonly from: string;
  readonly to: string;
  /** inLast / inNext and birthdayWithin (fields); "in the last N" (events). */
  readonly n: string;
  readonly unit: TimeUnit;
  readonly statuses: readonly SubscriptionStatus[];
  /** Event leaves. */
  readonly has: boolean;
  readonly eventType: string;
  readonly atLeast: string;
  readonly amountAgg: 'none' | 'sum' | 'max';
  readonly amount: string;
  readonly window: EventWindow['kind'];
  /** Segment and campaign leaves: in or not in, which one (its name, or "#id"), which group. */
  readonly member: boolean;
  readonly ref: string;
  readonly group: CampaignGroup;
  /** The leaf as read from text, until the user changes it: built back exactly. */
  readonly parsed: ConditionLeaf | null;
}

export type DraftNode =
  | { readonly id: string; readonly type: 'group'; readonly op: 'and' | 'or'; readonly negated: boolean; readonly items: readonly DraftNode[] }
  | { readonly id: string; readonly type: 'leaf'; readonly negated: boolean; readonly leaf: LeafDraft };
export type DraftGroup = Extract<DraftNode, { type: 'group' }>;

let lastId = 0;
const nextId = () => `c${(lastId += 1)}`;

export const EMPTY_LEAF: LeafDraft = {
  kind: 'field',
  field: '',
  op: 'eq',
  value: '',
  values: [],
  from: '',
  to: '',
  n: '7',
  unit: 'days',
  statuses: ['subscribed'],
  has: true,
  eventType: '',
  atLeast: '1',
  amountAgg: 'none',
  amount: '',
  window: 'last',
  member: true,
  ref: '',
  group: 'any',
  parsed: null,
};

/** The tests a field of this type takes, in the order the menu offers them. */
export function testsFor(type: FieldType): readonly FieldOp[] {
  return FIELD_TESTS[type];
}

/** A new leaf: on the first field, with its type's first test. */
export function newLeaf(fields: readonly Field[]): DraftNode {
  const first = fields[0];
  return { id: nextId(), type: 'leaf', negated: false, leaf: { ...EMPTY_LEAF, field: first?.name ?? '', op: first ? (testsFor(first.type)[0] ?? 'eq') : 'eq' } };
}

export function newGroup(op: 'and' | 'or', items: readonly DraftNode[] = []): DraftGroup {
  return { id: nextId(), type: 'group', op, negated: false, items };
}

/** The tree with the node of this id replaced by what `change` makes of it (removed when null). The depth is bounded by MAX_CONDITION_DEPTH. */
function mapNode(root: DraftNode, id: string, change: (node: DraftNode) => DraftNode | null): DraftNode {
  if (root.id === id) return change(root) ?? root;
  if (root.type !== 'group') return root;
  let changed = false;
  const items: DraftNode[] = [];
  for (const item of root.items) {
    if (item.id === id) {
      const next = change(item);
      changed = true;
      if (next) items.push(next);
      continue;
    }
    const next = mapNode(item, id, change);
    if (next !== item) changed = true;
    items.push(next);
  }
  return changed ? { ...root, items } : root;
}

export const addLeaf = (root: DraftNode, groupId: string, fields: readonly Field[]): DraftNode =>
  mapNode(root, groupId, (g) => (g.type === 'group' ? { ...g, items: [...g.items, newLeaf(fields)] } : g));

/** A nested group with the other operator (AND inside OR and the other way), holding one new leaf. */
export const addGroup = (root: DraftNode, groupId: string, fields: readonly Field[]): DraftNode =>
  mapNode(root, groupId, (g) => (g.type === 'group' ? { ...g, items: [...g.items, newGroup(g.op === 'and' ? 'or' : 'and', [newLeaf(fields)])] } : g));

export const setGroupOp = (root: DraftNode, groupId: string, op: 'and' | 'or'): DraftNode => mapNode(root, groupId, (g) => (g.type === 'group' ? { ...g, op } : g));

export const toggleNegated = (root: DraftNode, id: string): DraftNode => mapNode(root, id, (n) => ({ ...n, negated: !n.negated }));

/** Removes a node; the root stays (emptied instead). */
export const removeNode = (root: DraftNode, id: string): DraftNode =>
  root.id === id ? (root.type === 'group' ? { ...root, negated: false, items: [] } : newGroup('and')) : mapNode(root, id, () => null);

/** Changes a leaf's values; changing its kind, field or test starts the values afresh where they no longer fit. */
export function updateLeaf(root: DraftNode, id: string, change: Partial<LeafDraft>, fields: readonly Field[]): DraftNode {
  return mapNode(root, id, (node) => {
    if (node.type !== 'leaf') return node;
    let base = node.leaf;
    if (change.field !== undefined && change.field !== base.field) {
      const type = fieldTypeOf(fields, change.field);
      base = { ...base, value: type === 'boolean' ? 'yes' : '', values: [], from: '', to: '' };
    }
    if (change.kind !== undefined && change.kind !== base.kind && change.kind === 'field' && base.field === '' && fields[0]) base = { ...base, field: fields[0].name };
    let leaf: LeafDraft = { ...base, ...change, parsed: null };
    // A test the (new) field's type does not take gives way to that type's first one.
    const type = leaf.kind === 'field' ? fieldTypeOf(fields, leaf.field) : null;
    if (type && !testsFor(type).includes(leaf.op)) leaf = { ...leaf, op: testsFor(type)[0] ?? 'eq' };
    return { ...node, leaf };
  });
}

export function fieldTypeOf(fields: readonly Field[], name: string): FieldType | null {
  const lower = name.toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === lower)?.type ?? null;
}

/** What the draft gives: the condition, or what is missing per node; and which node each built leaf came from. */
export interface BuiltCondition {
  readonly condition: Condition | null;
  /** Node id → what to fix there ('' key: the whole condition). */
  readonly problems: ReadonlyMap<string, string>;
  /** A built leaf's canonical text → its node (the engine names a refused leaf by this text). */
  readonly leafNodes: ReadonlyMap<string, string>;
}

export function buildCondition(root: DraftNode, fields: readonly Field[]): BuiltCondition {
  const problems = new Map<string, string>();
  const leafNodes = new Map<string, string>();
  const build = (node: DraftNode): Condition | null => {
    let built: Condition | null;
    if (node.type === 'leaf') {
      const result = buildLeaf(node.leaf, fields);
      if (typeof result === 'string') {
        problems.set(node.id, result);
        return null;
      }
      leafNodes.set(printLeaf(result), node.id);
      built = result;
    } else {
      const items = node.items.map(build);
      if (node.items.length === 0) {
        if (node !== root) problems.set(node.id, 'This group is empty: add a condition to it, or remove it.');
        return null;
      }
      if (items.some((i) => i === null)) return null;
      const ok = items as Condition[];
      built = ok.length === 1 ? ok[0]! : { kind: node.op, items: ok };
    }
    return node.negated ? { kind: 'not', item: built } : built;
  };
  const condition = build(root);
  if (root.type === 'group' && root.items.length === 0) problems.set('', 'Add a condition: a field, the subscription status, events or membership.');
  if (condition === null) return { condition, problems, leafNodes };
  const checked = Condition.safeParse(condition);
  if (!checked.success) {
    problems.set('', checked.error.issues[0]?.message ?? 'The condition is not valid.');
    return { condition: null, problems, leafNodes };
  }
  return { condition, problems, leafNodes };
}

const isDate = (text: string) => ConditionDate.safeParse(text).success;

function numberOf(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
}

function wholeOf(text: string, min: number, max: number): number | null {
  const n = numberOf(text);
  return n !== null && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/** One leaf of the contract, or what is missing in words. */
export function buildLeaf(d: LeafDraft, fields: readonly Field[]): ConditionLeaf | string {
  if (d.parsed) return d.parsed;
  switch (d.kind) {
    case 'field': {
      if (d.field === '') return 'Choose a field.';
      const type = fieldTypeOf(fields, d.field);
      if (!type) return `The database has no field "${d.field}": choose another.`;
      const test = buildTest(d, type);
      return typeof test === 'string' ? test : { kind: 'field', field: d.field, test };
    }
    case 'subscription':
      return d.statuses.length === 0 ? 'Tick at least one subscription status.' : { kind: 'subscription', statuses: [...d.statuses] };
    case 'event': {
      if (d.eventType.trim() === '') return 'Choose or type an event type.';
      const atLeast = wholeOf(d.atLeast, 1, 1_000_000);
      if (atLeast === null) return 'Give how many events at least: a whole number from 1.';
      const window = buildWindow(d);
      if (typeof window === 'string') return window;
      const leaf: ConditionLeaf = { kind: 'event', has: d.has, type: d.eventType.trim(), atLeast, window };
      if (d.amountAgg === 'none') return leaf;
      const amount = numberOf(d.amount);
      if (amount === null) return 'Give the amount as a number, such as 100.';
      return { ...leaf, amount: { agg: d.amountAgg, atLeast: amount } };
    }
    case 'segment':
    case 'campaign': {
      if (d.ref.trim() === '') return d.kind === 'segment' ? 'Choose a segment.' : 'Choose a campaign.';
      const ref = /^#\d+$/.test(d.ref) ? Number(d.ref.slice(1)) : d.ref;
      return d.kind === 'segment' ? { kind: 'segment', in: d.member, segment: ref } : { kind: 'campaign', in: d.member, campaign: ref, group: d.group };
    }
  }
}

function buildWindow(d: LeafDraft): EventWindow | string {
  if (d.window === 'ever') return { kind: 'ever' };
  if (d.window === 'last') {
    const n = wholeOf(d.n, 1, 100_000);
    return n === null ? 'Give the number of days, weeks or months: a whole number from 1.' : { kind: 'last', n, unit: d.unit };
  }
  if (!isDate(d.from) || !isDate(d.to)) return 'Give both dates, such as 2026-04-01 and 2026-04-30.';
  return { kind: 'between', from: d.from, to: d.to };
}

function buildTest(d: LeafDraft, type: FieldType): FieldTest | string {
  const number = type === 'number';
  const dated = type === 'date' || type === 'datetime';
  switch (d.op) {
    case 'eq':
    case 'ne': {
      if (type === 'boolean') return { op: d.op, value: d.value !== 'no' };
      if (number) {
        const value = numberOf(d.value);
        return value === null ? 'Give a number.' : { op: d.op, value };
      }
      if (dated && !isDate(d.value)) return 'Give a date, such as 2026-04-10.';
      return d.value === '' ? 'Give a value.' : { op: d.op, value: d.value };
    }
    case 'contains':
    case 'startsWith':
      return d.value === '' ? 'Give the text to look for.' : { op: d.op, value: d.value };
    case 'oneOf': {
      const texts = type === 'enum' ? [...d.values] : d.value.split(',').map((v) => v.trim()).filter((v) => v !== '');
      if (texts.length === 0) return type === 'enum' ? 'Tick at least one value.' : 'Give at least one value; separate values with commas.';
      if (!number) return { op: 'oneOf', values: texts };
      const values = texts.map(numberOf);
      return values.some((v) => v === null) ? 'Give numbers separated by commas.' : { op: 'oneOf', values: values as number[] };
    }
    case 'empty':
    case 'notEmpty':
      return { op: d.op };
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      const value = numberOf(d.value);
      return value === null ? 'Give a number.' : { op: d.op, value };
    }
    case 'between': {
      if (number) {
        const [from, to] = [numberOf(d.from), numberOf(d.to)];
        return from === null || to === null ? 'Give both numbers.' : { op: 'between', from, to };
      }
      return isDate(d.from) && isDate(d.to) ? { op: 'between', from: d.from, to: d.to } : 'Give both dates, such as 2026-04-01 and 2026-04-30.';
    }
    case 'before':
    case 'after':
      return isDate(d.value) ? { op: d.op, value: d.value } : 'Give a date, such as 2026-04-10.';
    case 'inLast':
    case 'inNext': {
      const n = wholeOf(d.n, 1, 100_000);
      return n === null ? 'Give the number of days, weeks or months: a whole number from 1.' : { op: d.op, n, unit: d.unit };
    }
    case 'ageBetween': {
      const [from, to] = [wholeOf(d.from, 0, 200), wholeOf(d.to, 0, 200)];
      return from === null || to === null ? 'Give both ages in whole years, from 0 to 200.' : { op: 'ageBetween', from, to };
    }
    case 'birthdayWithin': {
      const days = wholeOf(d.n, 0, 366);
      return days === null ? 'Give a number of days from 0 to 366.' : { op: 'birthdayWithin', days };
    }
  }
}

/** A contract tree as a draft (the root is always a group), each leaf kept as read. */
export function draftFromCondition(condition: Condition): DraftGroup {
  const node = readNode(condition);
  return node.type === 'group' && !node.negated ? node : newGroup('and', [node]);
}

function readNode(condition: Condition): DraftNode {
  if (condition.kind === 'not') {
    const inner = readNode(condition.item);
    // NOT of NOT: the inner one goes in a group of its own, which builds back into its item.
    return inner.negated ? { ...newGroup('and', [inner]), negated: true } : { ...inner, negated: true };
  }
  if (condition.kind === 'and' || condition.kind === 'or') return newGroup(condition.kind, condition.items.map(readNode));
  if (!isLeaf(condition)) throw new Error('unreachable');
  return { id: nextId(), type: 'leaf', negated: false, leaf: leafDraftOf(condition) };
}

const str = (v: string | number | boolean): string => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));

function leafDraftOf(leaf: ConditionLeaf): LeafDraft {
  const base: LeafDraft = { ...EMPTY_LEAF, kind: leaf.kind, parsed: leaf };
  switch (leaf.kind) {
    case 'field': {
      const t = leaf.test;
      const d: LeafDraft = { ...base, field: leaf.field, op: t.op };
      if ('value' in t) return { ...d, value: str(t.value) };
      if ('values' in t) return { ...d, value: t.values.map(str).join(', '), values: t.values.map(str) };
      if ('from' in t) return { ...d, from: str(t.from), to: str(t.to) };
      if ('n' in t) return { ...d, n: String(t.n), unit: t.unit };
      if ('days' in t) return { ...d, n: String(t.days) };
      return d;
    }
    case 'subscription':
      return { ...base, statuses: leaf.statuses };
    case 'event': {
      const w = leaf.window;
      return {
        ...base,
        has: leaf.has,
        eventType: leaf.type,
        atLeast: String(leaf.atLeast),
        amountAgg: leaf.amount?.agg ?? 'none',
        amount: leaf.amount ? String(leaf.amount.atLeast) : '',
        window: w.kind,
        ...(w.kind === 'last' ? { n: String(w.n), unit: w.unit } : w.kind === 'between' ? { from: w.from, to: w.to } : {}),
      };
    }
    case 'segment':
      return { ...base, member: leaf.in, ref: typeof leaf.segment === 'number' ? `#${leaf.segment}` : leaf.segment };
    case 'campaign':
      return { ...base, member: leaf.in, ref: typeof leaf.campaign === 'number' ? `#${leaf.campaign}` : leaf.campaign, group: leaf.group };
  }
}
