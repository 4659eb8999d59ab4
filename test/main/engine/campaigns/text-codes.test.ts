/**
 * The text rules' parts from raw bytes (text-codes.ts): the codes classifying every string
 * gives, each distinct text classified once (the empty one too), and a text holding a
 * separator or a part the rule does not know said so, the codes left as they were.
 */
import { describe, expect, it } from 'vitest';
import { addTextCodes } from '../../../../main/engine/campaigns/text-codes';
import type { TextPart } from '../../../../main/engine/campaigns/strata';

const encode = (rows: readonly (readonly string[])[]) => new TextEncoder().encode(rows.map((r) => r.join('\x1e')).join('\x1f'));

/** Parts that count how often they classify, with their own index. */
function parts(indexes: readonly ((text: string) => number)[]): { parts: TextPart[]; calls: number[] } {
  const calls = indexes.map(() => 0);
  let multiplier = 1;
  const out = indexes.map((index, j) => {
    const part: TextPart = {
      textSql: '',
      multiplier,
      index: (text) => {
        calls[j]! += 1;
        return index(text);
      },
    };
    multiplier *= 1000;
    return part;
  });
  return { parts: out, calls };
}

describe('text rule codes from bytes', () => {
  it('are the codes of each string classified, each distinct text once', () => {
    const cities = ['', 'Москва', 'Tver', ' Tver ', '😀', 'a,b', "it's"];
    const dates = ['', '1959-12-31', '1960-01-01', '1999-12-31', '2000-01-01'];
    const rows = Array.from({ length: 5000 }, (_, i) => [cities[(i * 5) % cities.length]!, dates[(i * 3) % dates.length]!]);
    const city = (t: string) => (t === '' ? 0 : cities.indexOf(t));
    const date = (t: string) => (t === '' ? 0 : t < '1960-01-01' ? 1 : t < '2000-01-01' ? 2 : 3);
    const { parts: p, calls } = parts([city, date]);
    const codes = new Float64Array(rows.length).fill(5);
    expect(addTextCodes(codes, rows.length, encode(rows), p)).toBe('done');
    expect(Array.from(codes)).toEqual(rows.map(([c, d]) => 5 + city(c!) + 1000 * date(d!)));
    expect(calls).toEqual([cities.length, dates.length]);
  });

  it('say when a text holds a separator, or a part is not known, and leave the codes alone', () => {
    const known = (t: string) => (t === 'x' ? 1 : t === '' ? 0 : -1);
    const check = (rows: string[][], count: number, outcome: string) => {
      const codes = new Float64Array(count).fill(7);
      expect(addTextCodes(codes, count, encode(rows), parts([known, known]).parts)).toBe(outcome);
      if (outcome === 'separator') expect(Array.from(codes)).toEqual(Array(count).fill(7));
    };
    check([['x', ''], ['', 'x']], 2, 'done');
    check([['x\x1ey', ''], ['', 'x']], 2, 'separator');
    check([['x\x1fy', ''], ['', 'x']], 2, 'separator');
    check([['x', ''], ['', 'x']], 3, 'separator');
    check([['x', ''], ['', 'x'], ['x', 'x']], 2, 'separator');
    check([['x', ''], ['y', 'x']], 2, 'unknown');
  });
});
