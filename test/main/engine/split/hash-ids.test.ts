/** The one-block fast path of hashPackedIds against Node's md5, at every length around the block's edge. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPackedIds, packIds } from '../../../../shared/split/hash-ids';

const hex = (words: Uint32Array, i: number) => Array.from(words.subarray(i * 4, i * 4 + 4), (w) => w.toString(16).padStart(8, '0')).join('');

describe('hashPackedIds', () => {
  it('equals md5(seed ":" id) for every seed and ID length from 0 to 70 bytes', () => {
    for (let seedLength = 1; seedLength <= 60; seedLength += 1) {
      const seed = 'S'.repeat(seedLength - 1) + 'é'.slice(0, seedLength > 1 ? 1 : 0);
      const ids = Array.from({ length: 71 }, (_, n) => (n % 5 === 4 ? 'ж'.repeat(n >> 1) + 'x'.repeat(n & 1) : String(n).repeat(70).slice(0, n)));
      const words = hashPackedIds(seed, packIds(ids), ids.length);
      ids.forEach((id, i) => expect(hex(words, i), `seed ${seedLength}, id ${i}`).toBe(createHash('md5').update(`${seed}:${id}`, 'utf8').digest('hex')));
    }
  });
});
