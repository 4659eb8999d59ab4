import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Condition, type ConditionLeaf } from '../../../shared/contract/conditions';
import { SUBSCRIPTION_STATUSES } from '../../../shared/domain/profiles';
import { parseCondition, syntaxErrorText } from '../../../shared/conditions/parse';
import { printCondition } from '../../../shared/conditions/print';

function tree(text: string): Condition {
  const parsed = parseCondition(text);
  if (!parsed.ok) throw new Error(syntaxErrorText(parsed.error));
  return parsed.condition;
}

function errorOf(text: string) {
  const parsed = parseCondition(text);
  if (parsed.ok) throw new Error(`"${text}" parsed`);
  return parsed.error;
}

describe('the condition language', () => {
  it('reads the README examples into trees', () => {
    expect(tree('city in ("Moscow", "Kazan") and purchases >= 2 and not (email is empty)')).toEqual({
      kind: 'and',
      items: [
        { kind: 'field', field: 'city', test: { op: 'oneOf', values: ['Moscow', 'Kazan'] } },
        { kind: 'field', field: 'purchases', test: { op: 'ge', value: 2 } },
        { kind: 'not', item: { kind: 'field', field: 'email', test: { op: 'empty' } } },
      ],
    });
    expect(tree('event purchase count >= 2 in last 30 days')).toEqual({ kind: 'event', has: true, type: 'purchase', atLeast: 2, window: { kind: 'last', n: 30, unit: 'days' } });
    expect(tree('event purchase sum(amount) >= 1000 between 2026-01-01 and 2026-03-31')).toEqual({
      kind: 'event', has: true, type: 'purchase', atLeast: 1, amount: { agg: 'sum', atLeast: 1000 }, window: { kind: 'between', from: '2026-01-01', to: '2026-03-31' },
    });
    expect(tree('no event "open email" max(amount) >= 5 ever')).toEqual({ kind: 'event', has: false, type: 'open email', atLeast: 1, amount: { agg: 'max', atLeast: 5 }, window: { kind: 'ever' } });
    expect(tree('birth_date age between 20 and 25')).toEqual({ kind: 'field', field: 'birth_date', test: { op: 'ageBetween', from: 20, to: 25 } });
    expect(tree('registered_at in last 3 months')).toEqual({ kind: 'field', field: 'registered_at', test: { op: 'inLast', n: 3, unit: 'months' } });
    expect(tree('in segment "VIP"')).toEqual({ kind: 'segment', in: true, segment: 'VIP' });
    expect(tree('not in campaign "Spring sale" lcg')).toEqual({ kind: 'campaign', in: false, campaign: 'Spring sale', group: 'lcg' });
    expect(tree('in campaign #4')).toEqual({ kind: 'campaign', in: true, campaign: 4, group: 'any' });
    expect(tree('"first name" starts with "An" or vip is yes')).toEqual({
      kind: 'or',
      items: [
        { kind: 'field', field: 'first name', test: { op: 'startsWith', value: 'An' } },
        { kind: 'field', field: 'vip', test: { op: 'eq', value: true } },
      ],
    });
    expect(tree('subscription_status is not bounced')).toEqual({ kind: 'subscription', statuses: ['subscribed', 'unsubscribed', 'unconfirmed'] });
    expect(tree('город IS "Казань" AND birth BIRTHDAY WITHIN 7 DAYS')).toEqual({
      kind: 'and',
      items: [
        { kind: 'field', field: 'город', test: { op: 'eq', value: 'Казань' } },
        { kind: 'field', field: 'birth', test: { op: 'birthdayWithin', days: 7 } },
      ],
    });
  });

  it('binds "and" tighter than "or", and keeps parenthesised groups', () => {
    expect(printCondition(tree('a = 1 or b = 2 and c = 3'))).toBe('a = 1 or (b = 2 and c = 3)');
    expect(tree('(a = 1 and b = 2) and c = 3')).toEqual({ kind: 'and', items: [{ kind: 'and', items: [expect.anything(), expect.anything()] }, expect.anything()] });
    expect(tree('((a = 1))')).toEqual({ kind: 'field', field: 'a', test: { op: 'eq', value: 1 } });
  });

  it('points at the place a condition stops reading, and says what was expected', () => {
    const e = errorOf('city is "Moscow" and\n  purchases >> 2');
    expect(e).toMatchObject({ line: 2, column: 14 });
    expect(e.message).toMatch(/Expected a number, found ">"/);
    expect(e.excerpt).toBe('  purchases >> 2\n             ^');
    expect(errorOf('city is "Moscow').message).toMatch(/not closed/);
    expect(errorOf('city is "Moscow').column).toBe(9);
    expect(errorOf('event purchase in last 30 fortnights')).toMatchObject({ column: 27, message: expect.stringMatching(/"days", "weeks" or "months"/) });
    expect(errorOf('born before 2026-02-30')).toMatchObject({ column: 13, message: expect.stringMatching(/no date 2026-02-30/) });
    expect(errorOf('a = 1 b = 2')).toMatchObject({ column: 7, message: expect.stringMatching(/"and", "or" or the end/) });
    expect(errorOf('and = 1').column).toBe(1);
    expect(errorOf('(a = 1').message).toMatch(/Expected "\)", found the end/);
    expect(errorOf('a ~ 1')).toMatchObject({ column: 3, message: 'Unexpected character "~".' });
    expect(errorOf('subscription_status is gone').message).toMatch(/subscription status/);
  });

  it('refuses conditions nested or sized past the limits, without overflowing the stack', () => {
    expect(errorOf('('.repeat(9000) + 'a = 1' + ')'.repeat(9000)).message).toMatch(/nests too deeply/);
    expect(errorOf('not '.repeat(4000) + 'a = 1').message).toMatch(/nests too deeply/);
    expect(errorOf(Array.from({ length: 201 }, (_, i) => `f${i} = 1`).join(' and ')).message).toMatch(/201 tests; at most 200/);
  });
});

// ---- parse(print(t)) = t for every valid tree ----------------------------------------------

const text = fc.string({ maxLength: 12, unit: 'binary' });
const name = fc.oneof(fc.constantFrom('city', 'purchases', 'and', 'Event', 'город', 'first name', 'subscription_status', 'a"b\\c'), fc.string({ minLength: 1, maxLength: 10 }));
const num = fc.double({ noNaN: true, noDefaultInfinity: true });
const date = fc.oneof(
  fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 19)),
);
const unit = fc.constantFrom('days' as const, 'weeks' as const, 'months' as const);
const n = fc.integer({ min: 1, max: 100_000 });
const ref = fc.oneof(name, fc.integer({ min: 1, max: 1e9 }));
const fieldTest = fc.oneof(
  fc.record({ op: fc.constantFrom('eq' as const, 'ne' as const), value: fc.oneof(text, num, fc.boolean()) }),
  fc.record({ op: fc.constantFrom('contains' as const, 'startsWith' as const), value: text }),
  fc.record({ op: fc.constant('oneOf' as const), values: fc.array(fc.oneof(text, num), { minLength: 1, maxLength: 4 }) }),
  fc.record({ op: fc.constantFrom('empty' as const, 'notEmpty' as const) }),
  fc.record({ op: fc.constantFrom('lt' as const, 'le' as const, 'gt' as const, 'ge' as const), value: num }),
  fc.record({ op: fc.constant('between' as const), from: fc.oneof(num, date), to: fc.oneof(num, date) }),
  fc.record({ op: fc.constantFrom('before' as const, 'after' as const), value: date }),
  fc.record({ op: fc.constantFrom('inLast' as const, 'inNext' as const), n, unit }),
  fc.record({ op: fc.constant('ageBetween' as const), from: fc.integer({ min: 0, max: 200 }), to: fc.integer({ min: 0, max: 200 }) }),
  fc.record({ op: fc.constant('birthdayWithin' as const), days: fc.integer({ min: 0, max: 366 }) }),
);
const window = fc.oneof(
  fc.constant({ kind: 'ever' as const }),
  fc.record({ kind: fc.constant('last' as const), n, unit }),
  fc.record({ kind: fc.constant('between' as const), from: date, to: date }),
);
const leaf: fc.Arbitrary<ConditionLeaf> = fc.oneof(
  fc.record({ kind: fc.constant('field' as const), field: name, test: fieldTest }),
  fc.record({ kind: fc.constant('subscription' as const), statuses: fc.uniqueArray(fc.constantFrom(...SUBSCRIPTION_STATUSES), { minLength: 1 }) }),
  fc.record(
    { kind: fc.constant('event' as const), has: fc.boolean(), type: name, atLeast: fc.integer({ min: 1, max: 1_000_000 }), amount: fc.record({ agg: fc.constantFrom('sum' as const, 'max' as const), atLeast: num }), window },
    { requiredKeys: ['kind', 'has', 'type', 'atLeast', 'window'] },
  ),
  fc.record({ kind: fc.constant('segment' as const), in: fc.boolean(), segment: ref }),
  fc.record({ kind: fc.constant('campaign' as const), in: fc.boolean(), campaign: ref, group: fc.constantFrom('any' as const, 'test' as const, 'lcg' as const, 'gcg' as const) }),
);
const { node } = fc.letrec<{ node: Condition }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), items: fc.array(tie('node'), { minLength: 2, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('not' as const), item: tie('node') }),
  ),
}));
const validTree = node.filter((t) => Condition.safeParse(t).success);

describe('printing a condition', () => {
  it('reads back as the same tree: parse(print(t)) = t', () => {
    fc.assert(
      fc.property(validTree, (t) => {
        const parsed = parseCondition(printCondition(t));
        if (!parsed.ok) throw new Error(`${printCondition(t)}\n${syntaxErrorText(parsed.error)}`);
        expect(parsed.condition).toEqual(t);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes the canonical text', () => {
    expect(printCondition(tree('city one of ("Moscow") AND NOT email IS EMPTY or x ≥ 2'))).toBe('(city in ("Moscow") and not (email is empty)) or x >= 2');
    expect(printCondition(tree('event purchase count >= 1 in last 1 week'))).toBe('event purchase in last 1 week');
    expect(printCondition(tree('"and" is "x\\"y"'))).toBe('"and" is "x\\"y"');
  });
});
