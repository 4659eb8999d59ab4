/** TextPositions finds each repeated text's first position exactly as a Map would, through its table's growth. */
import { describe, expect, it } from 'vitest';
import { TextPositions } from '../../../../main/engine/split/text-positions';

describe('TextPositions', () => {
  it('gives the first position of a repeated text and -1 for a new one, as a Map does', () => {
    const texts: string[] = [];
    const positions = new TextPositions(texts);
    const map = new Map<string, number>();
    let state = 7;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
    // 200,000 draws from 120,000 values (many repeats), with Cyrillic, astral characters and leading zeros.
    for (let i = 0; i < 200_000; i += 1) {
      const n = next() % 120_000;
      const text = n % 3 === 0 ? `0${n}` : n % 3 === 1 ? `Ёж${n}` : `\u{1F600}${n}`;
      const expected = map.get(text) ?? -1;
      expect(positions.add(text)).toBe(expected);
      if (expected === -1) {
        map.set(text, texts.length);
        texts.push(text);
      }
    }
    expect(texts.length).toBe(map.size);
    expect(positions.add('')).toBe(-1);
  });
});
