import { Md5 } from './md5';

/** The byte that separates IDs in a packed list (ASCII unit separator); IDs never contain it. */
export const ID_SEPARATOR = 0x1f;

const encoder = new TextEncoder();

/**
 * Hashes md5(seed ":" id) for a packed list of IDs (their UTF-8 bytes, separated by
 * ID_SEPARATOR), the shape in which they come out of SQLite and cross to a worker thread
 * without copying. Returns four big-endian words per ID, in list order.
 */
export function hashPackedIds(seed: string, packed: Uint8Array, count: number): Uint32Array {
  const prefix = encoder.encode(`${seed}:`);
  const out = new Uint32Array(count * 4);
  const md5 = new Md5();
  let buffer = new Uint8Array(Math.max(256, prefix.length + 64));
  buffer.set(prefix, 0);
  let start = 0;
  for (let k = 0; k < count; k += 1) {
    let end = packed.indexOf(ID_SEPARATOR, start);
    if (end === -1) end = packed.length;
    const length = prefix.length + (end - start);
    if (length > buffer.length) {
      const bigger = new Uint8Array(length * 2);
      bigger.set(prefix, 0);
      buffer = bigger;
    }
    buffer.set(packed.subarray(start, end), prefix.length);
    md5.digestWords(buffer, length, out, k * 4);
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
