/**
 * The condition language (README "Conditions") read into a condition tree. A text that does
 * not read gives the position (line, column, a caret under the place) and what was expected
 * there. Leaves keep where they were written (`spans`), so a leaf the database cannot
 * evaluate is named with its place in the text too.
 *
 *   condition := or
 *   or        := and ("or" and)*
 *   and       := unary ("and" unary)*
 *   unary     := "not" unary | "not" membership | "(" condition ")" | leaf
 */
import { Condition, conditionSize, type CampaignLeaf, type ConditionLeaf, type EventLeaf, type EventWindow, type FieldTest, type Ref, type TimeUnit } from '../contract/conditions';
import { MAX_CONDITION_DEPTH, MAX_CONDITION_LEAVES, MAX_CONDITION_TEXT } from '../contract/limits';
import { parseDateTime } from '../domain/dates';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../domain/profiles';
import { RESERVED, tokenize, TokenError, type Token } from './tokens';

export interface SourceSpan {
  readonly start: number;
  readonly end: number;
}

export interface ConditionSyntaxError {
  readonly message: string;
  /** 1-based line and column of the place, and its 0-based offset in the text. */
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** The line and a caret under the place, for a terminal. */
  readonly excerpt: string;
}

export type ParsedCondition =
  | { readonly ok: true; readonly condition: Condition; readonly spans: ReadonlyMap<ConditionLeaf, SourceSpan> }
  | { readonly ok: false; readonly error: ConditionSyntaxError };

/** Line, column and a caret excerpt of an offset in a text. */
export function locate(text: string, offset: number): Omit<ConditionSyntaxError, 'message'> {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', lineStart);
  const lineText = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
  const column = offset - lineStart + 1;
  return { line, column, offset, excerpt: `${lineText}\n${' '.repeat(column - 1)}^` };
}

class SyntaxFault extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const UNITS: Readonly<Record<string, TimeUnit>> = { day: 'days', days: 'days', week: 'weeks', weeks: 'weeks', month: 'months', months: 'months' };
const COMPARISONS: Readonly<Record<string, 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'>> = { '=': 'eq', '!=': 'ne', '≠': 'ne', '<': 'lt', '<=': 'le', '≤': 'le', '>': 'gt', '>=': 'ge', '≥': 'ge' };
const AT_LEAST = new Set(['>=', '≥']);

class Reader {
  private i = 0;
  private nest = 0;
  readonly spans = new Map<ConditionLeaf, SourceSpan>();

  constructor(private readonly tokens: readonly Token[]) {}

  private get peek(): Token {
    return this.tokens[this.i]!;
  }

  private ahead(k: number): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek;
    if (t.kind !== 'eof') this.i += 1;
    return t;
  }

  private fail(expected: string, token: Token = this.peek): never {
    const found = token.kind === 'eof' ? 'the end of the condition' : token.kind === 'string' ? `"${token.text}"` : `"${token.text}"`;
    throw new SyntaxFault(`Expected ${expected}, found ${found}.`, token.start);
  }

  private isWord(word: string, token: Token = this.peek): boolean {
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  private acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.i += 1;
    return true;
  }

  private expectWord(word: string, expected = `"${word}"`): void {
    if (!this.acceptWord(word)) this.fail(expected);
  }

  private expectPunct(p: string): void {
    if (this.peek.kind !== 'punct' || this.peek.text !== p) this.fail(`"${p}"`);
    this.i += 1;
  }

  whole(): Condition {
    const tree = this.or();
    if (this.peek.kind !== 'eof') this.fail('"and", "or" or the end of the condition');
    return tree;
  }

  private or(): Condition {
    const items = [this.and()];
    while (this.acceptWord('or')) items.push(this.and());
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private and(): Condition {
    const items = [this.unary()];
    while (this.acceptWord('and')) items.push(this.unary());
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private unary(): Condition {
    // Guards the reader's own stack: a text of 20,000 "(" or "not" ends in an error, not a crash.
    const start = this.peek;
    if (++this.nest > MAX_CONDITION_DEPTH * 2) throw new SyntaxFault(`The condition nests too deeply (at most ${MAX_CONDITION_DEPTH} levels).`, start.start);
    try {
      if (this.isWord('not') && this.isWord('in', this.ahead(1))) {
        this.next();
        return this.membership(start, false);
      }
      if (this.acceptWord('not')) return { kind: 'not', item: this.unary() };
      if (this.peek.kind === 'punct' && this.peek.text === '(') {
        this.next();
        const inner = this.or();
        this.expectPunct(')');
        return inner;
      }
      return this.leaf();
    } finally {
      this.nest -= 1;
    }
  }

  private record<L extends ConditionLeaf>(start: Token, leaf: L): L {
    this.spans.set(leaf, { start: start.start, end: this.tokens[this.i - 1]!.end });
    return leaf;
  }

  private leaf(): ConditionLeaf {
    const start = this.peek;
    if (this.isWord('in')) return this.membership(start, true);
    if (this.isWord('event') || (this.isWord('no') && this.isWord('event', this.ahead(1)))) return this.event(start);
    if (this.isWord('subscription_status')) {
      this.next();
      return this.record(start, { kind: 'subscription', statuses: this.statuses() });
    }
    if (start.kind === 'string' || (start.kind === 'word' && !RESERVED.has(start.text.toLowerCase()))) {
      this.next();
      return this.record(start, { kind: 'field', field: this.checkedName(start, 'field name'), test: this.fieldTest() });
    }
    return this.fail('a field name, "event", "in segment", "in campaign", "not" or "("');
  }

  private checkedName(token: Token, what: string): string {
    if (token.text.length === 0 || token.text.length > 200) throw new SyntaxFault(`A ${what} has 1 to 200 characters.`, token.start);
    return token.text;
  }

  private name(what: string): string {
    const t = this.peek;
    if (t.kind !== 'string' && !(t.kind === 'word' && !RESERVED.has(t.text.toLowerCase()))) this.fail(`${what} (a word or "text in quotes")`);
    this.next();
    return this.checkedName(t, what);
  }

  private ref(what: string): Ref {
    if (this.peek.kind === 'ref') return Number(this.next().text);
    return this.name(`the ${what}'s name or #id`);
  }

  private membership(start: Token, inside: boolean): ConditionLeaf {
    this.expectWord('in');
    if (this.acceptWord('segment')) return this.record(start, { kind: 'segment', in: inside, segment: this.ref('segment') });
    if (!this.acceptWord('campaign')) this.fail('"segment" or "campaign"');
    const campaign = this.ref('campaign');
    let group: CampaignLeaf['group'] = 'any';
    for (const g of ['test', 'lcg', 'gcg'] as const) if (this.acceptWord(g)) group = g;
    return this.record(start, { kind: 'campaign', in: inside, campaign, group });
  }

  private statuses(): SubscriptionStatus[] {
    const status = (): SubscriptionStatus => {
      const t = this.peek;
      const found = SUBSCRIPTION_STATUSES.find((s) => (t.kind === 'word' || t.kind === 'string') && t.text.toLowerCase() === s);
      if (!found) this.fail(`a subscription status (${SUBSCRIPTION_STATUSES.join(', ')})`);
      this.next();
      return found;
    };
    if (this.acceptWord('is')) {
      const negated = this.acceptWord('not');
      const one = status();
      return negated ? SUBSCRIPTION_STATUSES.filter((s) => s !== one) : [one];
    }
    if (!this.acceptWord('in')) this.fail('"is" or "in"');
    this.expectPunct('(');
    const list = [status()];
    while (this.peek.kind === 'punct' && this.peek.text === ',') {
      this.next();
      list.push(status());
    }
    this.expectPunct(')');
    return [...new Set(list)];
  }

  private number(what = 'a number'): number {
    const t = this.peek;
    if (t.kind !== 'number') this.fail(what);
    this.next();
    const n = Number(t.text);
    if (!Number.isFinite(n)) throw new SyntaxFault('This number is too large.', t.start);
    return n;
  }

  private integer(what: string, max: number, min = 1): number {
    const t = this.peek;
    const n = this.number(what);
    if (!Number.isInteger(n) || n < min || n > max) throw new SyntaxFault(`Expected ${what} from ${min} to ${max}.`, t.start);
    return n;
  }

  private date(): string {
    const t = this.peek;
    if (t.kind !== 'date') this.fail('a date like 2026-04-10');
    this.next();
    if (parseDateTime(t.text, null) === null) throw new SyntaxFault(`There is no date ${t.text}: check the day of the month and the time.`, t.start);
    return t.text;
  }

  /** A value: "text", a number, a date, yes/no (true/false). */
  private value(): string | number | boolean {
    const t = this.peek;
    if (t.kind === 'string') {
      if (t.text.length > 1000) throw new SyntaxFault('A value has at most 1000 characters.', t.start);
      this.next();
      return t.text;
    }
    if (t.kind === 'number') return this.number();
    if (t.kind === 'date') return this.date();
    if (this.acceptWord('yes') || this.acceptWord('true')) return true;
    if (this.acceptWord('no') || this.acceptWord('false')) return false;
    return this.fail('a value: "text in quotes", a number, a date or yes/no');
  }

  private span(): { n: number; unit: TimeUnit } {
    const n = this.integer('a whole number of days, weeks or months', 100_000);
    const t = this.peek;
    const unit = t.kind === 'word' ? UNITS[t.text.toLowerCase()] : undefined;
    if (!unit) this.fail('"days", "weeks" or "months"');
    this.next();
    return { n, unit };
  }

  private list(): (string | number)[] {
    this.expectPunct('(');
    const values: (string | number)[] = [];
    do {
      const t = this.peek;
      const v = this.value();
      if (typeof v === 'boolean') throw new SyntaxFault('A list holds text in quotes or numbers.', t.start);
      values.push(v);
    } while (this.peek.kind === 'punct' && this.peek.text === ',' && this.next());
    this.expectPunct(')');
    return values;
  }

  private fieldTest(): FieldTest {
    const t = this.peek;
    if (t.kind === 'punct' && COMPARISONS[t.text]) {
      this.next();
      const op = COMPARISONS[t.text]!;
      if (op === 'eq' || op === 'ne') return { op, value: this.value() };
      return { op, value: this.number() };
    }
    if (this.acceptWord('is')) {
      const negated = this.acceptWord('not');
      if (this.acceptWord('empty')) return { op: negated ? 'notEmpty' : 'empty' };
      return { op: negated ? 'ne' : 'eq', value: this.value() };
    }
    if (this.acceptWord('contains')) return { op: 'contains', value: this.text() };
    if (this.acceptWord('starts')) {
      this.expectWord('with');
      return { op: 'startsWith', value: this.text() };
    }
    if (this.acceptWord('one')) {
      this.expectWord('of');
      return { op: 'oneOf', values: this.list() };
    }
    if (this.acceptWord('in')) {
      if (this.acceptWord('last')) return { op: 'inLast', ...this.span() };
      if (this.acceptWord('next')) return { op: 'inNext', ...this.span() };
      return { op: 'oneOf', values: this.list() };
    }
    if (this.acceptWord('between')) {
      const from = this.bound();
      this.expectWord('and');
      return { op: 'between', from, to: this.bound() };
    }
    if (this.acceptWord('before')) return { op: 'before', value: this.date() };
    if (this.acceptWord('after')) return { op: 'after', value: this.date() };
    if (this.acceptWord('age')) {
      this.expectWord('between');
      const from = this.integer('an age in years', 200, 0);
      this.expectWord('and');
      return { op: 'ageBetween', from, to: this.integer('an age in years', 200, 0) };
    }
    if (this.acceptWord('birthday')) {
      this.expectWord('within');
      const days = this.integer('a number of days', 366, 0);
      if (!this.acceptWord('days') && !this.acceptWord('day')) this.fail('"days"');
      return { op: 'birthdayWithin', days };
    }
    return this.fail('a test: is, is not, =, !=, <, <=, >, >=, contains, starts with, in (...), between, before, after, in last, in next, age between, birthday within');
  }

  private text(): string {
    const t = this.peek;
    const v = this.value();
    if (typeof v !== 'string' || t.kind !== 'string') throw new SyntaxFault('Expected "text in quotes".', t.start);
    return v;
  }

  private bound(): number | string {
    return this.peek.kind === 'date' ? this.date() : this.number('a number or a date');
  }

  private event(start: Token): EventLeaf {
    const has = !this.acceptWord('no');
    this.expectWord('event');
    const type = this.name('an event type');
    let atLeast = 1;
    let amount: EventLeaf['amount'];
    if (this.acceptWord('count')) {
      this.atLeastSign();
      atLeast = this.integer('a count', 1_000_000);
    }
    const agg = this.isWord('sum') ? 'sum' : this.isWord('max') ? 'max' : null;
    if (agg) {
      this.next();
      this.expectPunct('(');
      this.expectWord('amount');
      this.expectPunct(')');
      this.atLeastSign();
      amount = { agg, atLeast: this.number() };
    }
    let window: EventWindow = { kind: 'ever' };
    if (this.acceptWord('in')) {
      this.expectWord('last', '"last" (event ... in last 30 days)');
      window = { kind: 'last', ...this.span() };
    } else if (this.acceptWord('between')) {
      const from = this.date();
      this.expectWord('and');
      window = { kind: 'between', from, to: this.date() };
    } else this.acceptWord('ever');
    return this.record(start, amount ? { kind: 'event', has, type, atLeast, amount, window } : { kind: 'event', has, type, atLeast, window });
  }

  private atLeastSign(): void {
    if (this.peek.kind !== 'punct' || !AT_LEAST.has(this.peek.text)) this.fail('">="');
    this.next();
  }
}

/** Reads a condition's text into a tree, or says where and why it does not read. */
export function parseCondition(text: string): ParsedCondition {
  const failAt = (message: string, offset: number): ParsedCondition => ({ ok: false, error: { message, ...locate(text, offset) } });
  if (text.length > MAX_CONDITION_TEXT) return failAt(`A condition is at most ${MAX_CONDITION_TEXT} characters.`, MAX_CONDITION_TEXT);
  try {
    const reader = new Reader(tokenize(text));
    const condition = reader.whole();
    const { depth, leaves } = conditionSize(condition);
    if (depth > MAX_CONDITION_DEPTH) return failAt(`The condition nests ${depth} levels deep; at most ${MAX_CONDITION_DEPTH}.`, 0);
    if (leaves > MAX_CONDITION_LEAVES) return failAt(`The condition has ${leaves} tests; at most ${MAX_CONDITION_LEAVES}.`, 0);
    const checked = Condition.safeParse(condition);
    if (!checked.success) return failAt(checked.error.issues[0]?.message ?? 'The condition is not valid.', 0);
    return { ok: true, condition, spans: reader.spans };
  } catch (error) {
    if (error instanceof SyntaxFault || error instanceof TokenError) return failAt(error.message, error.offset);
    throw error;
  }
}

/** A syntax error as the CLI prints it: the message, the place, the caret excerpt. */
export function syntaxErrorText(error: ConditionSyntaxError): string {
  return `${error.message} (line ${error.line}, column ${error.column})\n${error.excerpt}`;
}
