/**
 * A condition tree written in the condition language, in one canonical form: what
 * parseCondition reads back into the same tree (test/shared/conditions/round-trip.test.ts).
 * Nested groups and the item of NOT are always in parentheses; text always in quotes.
 */
import { isLeaf, type Condition, type ConditionLeaf, type EventWindow, type FieldTest, type Ref, type TimeUnit } from '../contract/conditions';
import { nameText, numberText, quote } from './tokens';

const SIGNS = { lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

const valueText = (v: string | number | boolean): string => (typeof v === 'string' ? quote(v) : typeof v === 'number' ? numberText(v) : v ? 'yes' : 'no');
const boundText = (v: string | number): string => (typeof v === 'number' ? numberText(v) : v);
const spanText = (n: number, unit: TimeUnit): string => `${n} ${n === 1 ? unit.slice(0, -1) : unit}`;
const refText = (ref: Ref): string => (typeof ref === 'number' ? `#${ref}` : quote(ref));

/** Each field test as the language writes it, for messages that list the tests a field takes. */
export const TEST_WORDS: Readonly<Record<FieldTest['op'], string>> = {
  eq: 'is (=)',
  ne: 'is not (!=)',
  contains: 'contains',
  startsWith: 'starts with',
  oneOf: 'in (…)',
  empty: 'is empty',
  notEmpty: 'is not empty',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  between: 'between … and …',
  before: 'before',
  after: 'after',
  inLast: 'in last N days',
  inNext: 'in next N days',
  ageBetween: 'age between',
  birthdayWithin: 'birthday within N days',
};

function testText(test: FieldTest): string {
  switch (test.op) {
    case 'eq':
      return typeof test.value === 'number' ? `= ${numberText(test.value)}` : `is ${valueText(test.value)}`;
    case 'ne':
      return typeof test.value === 'number' ? `!= ${numberText(test.value)}` : `is not ${valueText(test.value)}`;
    case 'contains':
      return `contains ${quote(test.value)}`;
    case 'startsWith':
      return `starts with ${quote(test.value)}`;
    case 'oneOf':
      return `in (${test.values.map(valueText).join(', ')})`;
    case 'empty':
      return 'is empty';
    case 'notEmpty':
      return 'is not empty';
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return `${SIGNS[test.op]} ${numberText(test.value)}`;
    case 'between':
      return `between ${boundText(test.from)} and ${boundText(test.to)}`;
    case 'before':
    case 'after':
      return `${test.op} ${test.value}`;
    case 'inLast':
      return `in last ${spanText(test.n, test.unit)}`;
    case 'inNext':
      return `in next ${spanText(test.n, test.unit)}`;
    case 'ageBetween':
      return `age between ${test.from} and ${test.to}`;
    case 'birthdayWithin':
      return `birthday within ${test.days} ${test.days === 1 ? 'day' : 'days'}`;
  }
}

function windowText(window: EventWindow): string {
  if (window.kind === 'last') return ` in last ${spanText(window.n, window.unit)}`;
  if (window.kind === 'between') return ` between ${window.from} and ${window.to}`;
  return '';
}

/** One leaf as text. */
export function printLeaf(leaf: ConditionLeaf): string {
  switch (leaf.kind) {
    case 'field':
      return `${nameText(leaf.field)} ${testText(leaf.test)}`;
    case 'subscription':
      return `subscription_status in (${leaf.statuses.join(', ')})`;
    case 'event': {
      const count = leaf.atLeast === 1 ? '' : ` count >= ${leaf.atLeast}`;
      const amount = leaf.amount ? ` ${leaf.amount.agg}(amount) >= ${numberText(leaf.amount.atLeast)}` : '';
      return `${leaf.has ? '' : 'no '}event ${nameText(leaf.type)}${count}${amount}${windowText(leaf.window)}`;
    }
    case 'segment':
      return `${leaf.in ? '' : 'not '}in segment ${refText(leaf.segment)}`;
    case 'campaign':
      return `${leaf.in ? '' : 'not '}in campaign ${refText(leaf.campaign)}${leaf.group === 'any' ? '' : ` ${leaf.group}`}`;
  }
}

/** A whole condition as text (recursion is bounded by the tree's depth limit). */
export function printCondition(node: Condition): string {
  if (isLeaf(node)) return printLeaf(node);
  if ('items' in node) {
    return node.items.map((item) => (item.kind === 'and' || item.kind === 'or' ? `(${printCondition(item)})` : printCondition(item))).join(` ${node.kind} `);
  }
  return `not (${printCondition(node.item)})`;
}
