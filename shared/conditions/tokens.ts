/**
 * The words of the condition language (README "Conditions"), shared by the reader
 * (parse.ts) and the writer (print.ts) so that what one writes the other reads.
 */

export type TokenKind = 'word' | 'string' | 'number' | 'date' | 'ref' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The word or punctuation as written; a string's value unescaped. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Bare words that cannot be field names or event types (write those in quotes). */
export const RESERVED = new Set(['and', 'or', 'not', 'in', 'event', 'no', 'subscription_status']);

const PLAIN_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/** A name as written: bare when it can be, else in double quotes. */
export function nameText(name: string): string {
  return PLAIN_NAME.test(name) && !RESERVED.has(name.toLowerCase()) ? name : quote(name);
}

/** A string in double quotes, with \" \\ \n \t \r escaped. */
export function quote(text: string): string {
  return `"${text.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!)}"`;
}

/** A number as written (-0 keeps its sign, so it reads back as itself). */
export function numberText(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

const DATE = /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?(?![\p{L}\p{N}_])/uy;
const NUMBER = /-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?(?![\p{L}\p{N}_])/uy;
const WORD = /[\p{L}_][\p{L}\p{N}_]*/uy;
const REF = /#(\d{1,15})(?![\p{L}\p{N}_])/uy;
const PUNCT = /<=|>=|!=|[()=<>,≤≥≠]/y;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', r: '\r', t: '\t' };

export class TokenError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Splits a condition's text into tokens; a stray character or an unclosed string is a TokenError at its offset. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const at = (re: RegExp): string | null => {
    re.lastIndex = i;
    const m = re.exec(text);
    return m ? m[0] : null;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (c === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new TokenError('This text in quotes is not closed: add a " at its end.', i);
        const d = text[j]!;
        if (d === '"') break;
        if (d === '\\') {
          const e = ESCAPES[text[j + 1] ?? ''];
          if (e === undefined) throw new TokenError('Unknown escape in quotes: write \\" for a quote and \\\\ for a backslash.', j);
          value += e;
          j += 2;
        } else {
          value += d;
          j += 1;
        }
      }
      tokens.push({ kind: 'string', text: value, start: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    let m: string | null;
    if ((m = at(DATE)) !== null) tokens.push({ kind: 'date', text: m, start: i, end: i + m.length });
    else if ((m = at(NUMBER)) !== null) tokens.push({ kind: 'number', text: m, start: i, end: i + m.length });
    else if ((m = at(WORD)) !== null) tokens.push({ kind: 'word', text: m, start: i, end: i + m.length });
    else if ((m = at(REF)) !== null) tokens.push({ kind: 'ref', text: m.slice(1), start: i, end: i + m.length });
    else if ((m = at(PUNCT)) !== null) tokens.push({ kind: 'punct', text: m, start: i, end: i + m.length });
    else throw new TokenError(`Unexpected character "${c}".`, i);
    i += m.length;
  }
  tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length });
  return tokens;
}
