import { Md5, md5LastBlock, md5StateAfter } from './md5';

/** The byte that separates IDs in a packed list (ASCII unit separator); IDs never contain it. */
export const ID_SEPARATOR = 0x1f;

/** The separators in packed IDs (one fewer than the IDs of a non-empty list). A plain loop: an indexOf call per ID costs three times as much. */
export function countSeparators(packed: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < packed.length; i += 1) if (packed[i] === ID_SEPARATOR) n += 1;
  return n;
}

/** Hash words of consecutive parts of a list, joined in their order. */
export function joinWords(parts: readonly Uint32Array[]): Uint32Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint32Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const encoder = new TextEncoder();

/**
 * Hashes md5(seed ":" id) for a packed list of IDs (their UTF-8 bytes, separated by
 * ID_SEPARATOR), the shape in which they come out of SQLite and cross to a worker thread
 * without copying. Returns four big-endian words per ID, in list order.
 *
 * Every message starts with the same prefix (the seed and the colon): its whole 64-byte
 * blocks (a long seed) are hashed once for all IDs, and the usual rest (the prefix's last
 * bytes and the ID within 55 bytes) is one md5 block, whose words are built in the same
 * pass over the packed bytes that finds where the ID ends: no indexOf call, no copying and
 * no allocation per ID (a million IDs per split). Longer messages take the general path.
 */
export function hashPackedIds(seed: string, packed: Uint8Array, count: number): Uint32Array {
  const prefix = encoder.encode(`${seed}:`);
  const p = prefix.length;
  const out = new Uint32Array(count * 4);
  const md5 = new Md5();
  const words = new Int32Array(16);
  // The prefix's whole blocks, once; `rest` of its bytes go into each ID's last block.
  const whole = Math.floor(p / 64);
  const from = md5StateAfter(prefix, whole);
  const rest = p - whole * 64;
  const oneBlock = rest <= 55;
  // The whole words of the prefix's rest, the same for every ID.
  const fixedWords = oneBlock ? rest >> 2 : 0;
  const prefixWords = new Int32Array(16);
  for (let i = 0; i < fixedWords; i += 1) {
    const q = whole * 64 + i * 4;
    prefixWords[i] = prefix[q]! | (prefix[q + 1]! << 8) | (prefix[q + 2]! << 16) | (prefix[q + 3]! << 24);
  }
  const tailStart = whole * 64 + fixedWords * 4;
  let buffer = new Uint8Array(Math.max(256, p + 64));
  buffer.set(prefix, 0);
  const n = packed.length;
  let start = 0;
  for (let k = 0; k < count; k += 1) {
    let end = start;
    let w = fixedWords;
    let word = 0;
    let shift = 0;
    if (oneBlock) {
      for (let i = 0; i < fixedWords; i += 1) words[i] = prefixWords[i]!;
      for (let i = tailStart; i < p; i += 1, shift += 8) word |= prefix[i]! << shift;
      // One pass over the ID's bytes: its end, and the block's words (those past the
      // block, for a long ID, are not kept).
      for (; end < n; end += 1) {
        const byte = packed[end]!;
        if (byte === ID_SEPARATOR) break;
        word |= byte << shift;
        shift += 8;
        if (shift === 32) {
          if (w < 14) words[w] = word;
          w += 1;
          word = 0;
          shift = 0;
        }
      }
    } else {
      while (end < n && packed[end] !== ID_SEPARATOR) end += 1;
    }
    const length = p + (end - start);
    if (oneBlock && length - whole * 64 <= 55) {
      words[w++] = word | (0x80 << shift);
      while (w < 16) words[w++] = 0;
      words[14] = length * 8;
      md5LastBlock(words, out, k * 4, from);
    } else {
      if (length > buffer.length) {
        const bigger = new Uint8Array(length * 2);
        bigger.set(prefix, 0);
        buffer = bigger;
      }
      buffer.set(packed.subarray(start, end), p);
      md5.digestWords(buffer, length, out, k * 4);
    }
    start = end + 1;
  }
  return out;
}

/** Packs IDs as hashPackedIds expects them (tests, and callers that hold strings). */
export function packIds(ids: readonly string[]): Uint8Array {
  const parts = ids.map((id) => encoder.encode(id));
  const total = parts.reduce((sum, p) => sum + p.length, 0) + Math.max(0, parts.length - 1);
  const out = new Uint8Array(total);
  let offset = 0;
  parts.forEach((part, i) => {
    if (part.includes(ID_SEPARATOR)) throw new RangeError(`A profile ID contains the control character U+001F: ${JSON.stringify(ids[i])}`);
    out.set(part, offset);
    offset += part.length;
    if (i < parts.length - 1) out[offset++] = ID_SEPARATOR;
  });
  return out;
}
