import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashPackedIds, ID_SEPARATOR, packIds } from '../../../shared/split/hash-ids';
import { Md5, md5Hex } from '../../../shared/split/md5';

const nodeMd5 = (data: string | Uint8Array) => createHash('md5').update(data).digest('hex');
const hexOf = (words: Uint32Array, index: number) =>
  Array.from(words.subarray(index * 4, index * 4 + 4), (w) => w.toString(16).padStart(8, '0')).join('');

/** Text of 0..200 UTF-8 bytes, mixing ASCII with two-, three- and four-byte characters. */
const text = fc
  .array(fc.oneof(fc.constantFrom('a', '0', ':', ' ', 'é', 'Ж', '北', '😀', '\u0000'), fc.string({ maxLength: 3 }), fc.string({ unit: 'binary', maxLength: 2 })), { maxLength: 80 })
  .map((parts) => parts.join(''))
  .filter((s) => Buffer.byteLength(s, 'utf8') <= 200);

/** An ID: any text but the separator the packed list uses. */
const id = text.map((s) => s.replaceAll(String.fromCharCode(ID_SEPARATOR), '_'));

describe('md5 against node:crypto (random messages)', () => {
  it('gives the same digest for every byte length 0..200', () => {
    const md5 = new Md5();
    const out = new Uint32Array(4);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), (bytes) => {
        md5.digestWords(bytes, bytes.length, out, 0);
        expect(hexOf(out, 0)).toBe(nodeMd5(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same digest for text with multi-byte UTF-8', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(md5Hex(s)).toBe(nodeMd5(Buffer.from(s, 'utf8')));
      }),
      { numRuns: 1000 },
    );
  });

  it('hashes packed IDs like md5(seed ":" id), for seeds and IDs of every length', () => {
    fc.assert(
      fc.property(text, fc.array(id, { minLength: 1, maxLength: 30 }), (seed, ids) => {
        const words = hashPackedIds(seed, packIds(ids), ids.length);
        ids.forEach((one, i) => expect(hexOf(words, i), JSON.stringify([seed, one])).toBe(nodeMd5(Buffer.from(`${seed}:${one}`, 'utf8'))));
      }),
      { numRuns: 1000 },
    );
  });

  it('hashes packed IDs after long seeds (whole 64-byte blocks of the seed hashed once) like md5(seed ":" id)', () => {
    const seedOf = fc.tuple(fc.integer({ min: 40, max: 200 }), text).map(([length, tail]) => `${'s'.repeat(length)}${tail}`.slice(0, length));
    const ascii = fc.string({ unit: fc.constantFrom('0', '7', 'a', 'Z', '-', 'é', '😀'), maxLength: 70 });
    fc.assert(
      fc.property(seedOf, fc.array(ascii, { minLength: 1, maxLength: 20 }), (seed, ids) => {
        const words = hashPackedIds(seed, packIds(ids), ids.length);
        ids.forEach((one, i) => expect(hexOf(words, i), JSON.stringify([seed, one])).toBe(nodeMd5(Buffer.from(`${seed}:${one}`, 'utf8'))));
      }),
      { numRuns: 1500 },
    );
  });
});
