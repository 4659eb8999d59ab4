/**
 * Conditions on the profiles of a database, as data: one tree of AND / OR / NOT groups
 * whose leaves test a field, the subscription status, the profile's events, or membership
 * of a segment or a campaign's groups. The condition language (shared/conditions/parse.ts,
 * print.ts) is this tree written as text; the engine compiles it to parameterised SQL
 * (main/engine/conditions/compile.ts). Fields are named as the user named them (compared
 * without case); segments and campaigns by name or by id.
 */
import { z } from 'zod';
import { SUBSCRIPTION_STATUSES } from '../domain/profiles';
import { Id } from './databases';
import { MAX_CONDITION_DEPTH, MAX_CONDITION_LEAVES, MAX_CONDITION_TEXT, MAX_CONDITION_VALUES } from './limits';

const Text = z.string().max(1000);
const Name = z.string().min(1).max(200);
/** "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]": checked against the field's type when compiled. */
export const ConditionDate = z.string().regex(/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?$/, 'Expected a date like 2026-04-10 or a date-time like 2026-04-10T10:00.');
const Count = z.number().int().min(0).max(1_000_000);
const Finite = z.number().finite();
export const TimeUnit = z.enum(['days', 'weeks', 'months']);
export type TimeUnit = z.infer<typeof TimeUnit>;
const Span = z.strictObject({ n: z.number().int().min(1).max(100_000), unit: TimeUnit });

/** What a field leaf asks of its field's value. Which tests fit which field type: FIELD_TESTS. */
export const FieldTest = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('eq'), value: z.union([Text, Finite, z.boolean()]) }),
  z.strictObject({ op: z.literal('ne'), value: z.union([Text, Finite, z.boolean()]) }),
  z.strictObject({ op: z.literal('contains'), value: Text }),
  z.strictObject({ op: z.literal('startsWith'), value: Text }),
  z.strictObject({ op: z.literal('oneOf'), values: z.array(z.union([Text, Finite])).min(1).max(MAX_CONDITION_VALUES) }),
  z.strictObject({ op: z.literal('empty') }),
  z.strictObject({ op: z.literal('notEmpty') }),
  z.strictObject({ op: z.enum(['lt', 'le', 'gt', 'ge']), value: Finite }),
  z.strictObject({ op: z.literal('between'), from: z.union([Finite, ConditionDate]), to: z.union([Finite, ConditionDate]) }),
  z.strictObject({ op: z.enum(['before', 'after']), value: ConditionDate }),
  z.strictObject({ op: z.enum(['inLast', 'inNext']), ...Span.shape }),
  z.strictObject({ op: z.literal('ageBetween'), from: z.number().int().min(0).max(200), to: z.number().int().min(0).max(200) }),
  z.strictObject({ op: z.literal('birthdayWithin'), days: z.number().int().min(0).max(366) }),
]);
export type FieldTest = z.infer<typeof FieldTest>;
export type FieldOp = FieldTest['op'];

/** The tests each field type takes (the compiler refuses the others, naming the leaf). */
export const FIELD_TESTS = {
  string: ['eq', 'ne', 'contains', 'startsWith', 'oneOf', 'empty', 'notEmpty'],
  enum: ['eq', 'ne', 'oneOf', 'empty', 'notEmpty'],
  number: ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'between', 'oneOf', 'empty', 'notEmpty'],
  date: ['eq', 'before', 'after', 'between', 'inLast', 'inNext', 'ageBetween', 'birthdayWithin', 'empty', 'notEmpty'],
  datetime: ['before', 'after', 'between', 'inLast', 'inNext', 'ageBetween', 'birthdayWithin', 'empty', 'notEmpty'],
  boolean: ['eq', 'ne', 'empty', 'notEmpty'],
} as const satisfies Record<string, readonly FieldOp[]>;

/** When events count: ever, in the last N units before the clock, or between two dates (inclusive). */
export const EventWindow = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ever') }),
  z.strictObject({ kind: z.literal('last'), ...Span.shape }),
  z.strictObject({ kind: z.literal('between'), from: ConditionDate, to: ConditionDate }),
]);
export type EventWindow = z.infer<typeof EventWindow>;

/** A segment or a campaign, by name (without case) or by id. */
export const Ref = z.union([Name, Id]);
export type Ref = z.infer<typeof Ref>;

export const FieldLeaf = z.strictObject({ kind: z.literal('field'), field: Name, test: FieldTest });
export const SubscriptionLeaf = z.strictObject({ kind: z.literal('subscription'), statuses: z.array(z.enum(SUBSCRIPTION_STATUSES)).min(1).max(SUBSCRIPTION_STATUSES.length) });
export const EventLeaf = z.strictObject({
  kind: z.literal('event'),
  /** false: the profile has no such events (NOT of the same leaf with true). */
  has: z.boolean(),
  type: Name,
  /** At least this many events in the window (1 means any event). */
  atLeast: Count.min(1),
  /** And their amounts' sum or largest amount at least this. */
  amount: z.strictObject({ agg: z.enum(['sum', 'max']), atLeast: Finite }).optional(),
  window: EventWindow,
});
export const SegmentLeaf = z.strictObject({ kind: z.literal('segment'), in: z.boolean(), segment: Ref });
/** A campaign's audience (any: Test or LCG), its Test, its LCG, or the GCG members held out of it. */
export const CampaignGroup = z.enum(['any', 'test', 'lcg', 'gcg']);
export const CampaignLeaf = z.strictObject({ kind: z.literal('campaign'), in: z.boolean(), campaign: Ref, group: CampaignGroup });

export type FieldLeaf = z.infer<typeof FieldLeaf>;
export type SubscriptionLeaf = z.infer<typeof SubscriptionLeaf>;
export type EventLeaf = z.infer<typeof EventLeaf>;
export type SegmentLeaf = z.infer<typeof SegmentLeaf>;
export type CampaignLeaf = z.infer<typeof CampaignLeaf>;
export type ConditionLeaf = FieldLeaf | SubscriptionLeaf | EventLeaf | SegmentLeaf | CampaignLeaf;

export type Condition =
  | ConditionLeaf
  | { readonly kind: 'and' | 'or'; readonly items: readonly Condition[] }
  | { readonly kind: 'not'; readonly item: Condition };

export function isLeaf(node: Condition): node is ConditionLeaf {
  return node.kind !== 'and' && node.kind !== 'or' && node.kind !== 'not';
}

const Leaf = z.discriminatedUnion('kind', [FieldLeaf, SubscriptionLeaf, EventLeaf, SegmentLeaf, CampaignLeaf]);

/** Depth (a leaf is 1) and leaf count of a tree, walked without recursion. */
export function conditionSize(root: Condition): { depth: number; leaves: number } {
  let depth = 0;
  let leaves = 0;
  const pending: [Condition, number][] = [[root, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, level] = next;
    depth = Math.max(depth, level);
    if (node.kind === 'and' || node.kind === 'or') for (const item of node.items) pending.push([item, level + 1]);
    else if (node.kind === 'not') pending.push([node.item, level + 1]);
    else leaves += 1;
  }
  return { depth, leaves };
}

const Node: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    Leaf,
    // Groups hold two items or more: a one-item group means its item (and prints as it).
    z.strictObject({ kind: z.enum(['and', 'or']), items: z.array(Node).min(2, 'A group holds at least two conditions.').max(MAX_CONDITION_LEAVES) }),
    z.strictObject({ kind: z.literal('not'), item: Node }),
  ]),
);

/** A whole condition: a tree within the limits of depth and size. */
export const Condition: z.ZodType<Condition> = Node.superRefine((tree, ctx) => {
  const { depth, leaves } = conditionSize(tree);
  if (depth > MAX_CONDITION_DEPTH) ctx.addIssue({ code: 'custom', message: `The condition nests ${depth} levels deep; at most ${MAX_CONDITION_DEPTH}.` });
  if (leaves > MAX_CONDITION_LEAVES) ctx.addIssue({ code: 'custom', message: `The condition has ${leaves} tests; at most ${MAX_CONDITION_LEAVES}.` });
});

const WhereText = z.string().trim().min(1, 'The condition is empty.').max(MAX_CONDITION_TEXT, `A condition is at most ${MAX_CONDITION_TEXT} characters.`);

/** A condition given as a tree (`condition`) or as text in the condition language (`where`): exactly one. */
export const conditionChoice = { condition: Condition.optional(), where: WhereText.optional() };
export const exactlyOneCondition = [
  (a: { condition?: unknown; where?: unknown }) => (a.condition === undefined) !== (a.where === undefined),
  { message: 'Give the condition either as a tree (condition) or as text (where), not both or neither.' },
] as const;
