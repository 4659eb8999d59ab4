/**
 * MD5, in plain TypeScript, fast for the split: every profile's order is md5(seed ":" id)
 * (STATS.md 1.3), a million times per build. Short messages (up to 55 bytes, one block)
 * take an unrolled path without allocations; longer ones the general path. Lowercase-hex
 * order of digests equals the order of their bytes, so the split compares the words
 * returned here (big-endian) instead of building hex strings.
 *
 * MD5 is used for reproducibility and portability (every SQL warehouse has md5()), not
 * for security.
 */

/** One 64-byte block compressed into state (a, b, c, d); x0..x15 are the block's little-endian words. */
function compress(state: Int32Array, w: Int32Array): void {
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  const x0 = w[0]!, x1 = w[1]!, x2 = w[2]!, x3 = w[3]!, x4 = w[4]!, x5 = w[5]!, x6 = w[6]!, x7 = w[7]!;
  const x8 = w[8]!, x9 = w[9]!, x10 = w[10]!, x11 = w[11]!, x12 = w[12]!, x13 = w[13]!, x14 = w[14]!, x15 = w[15]!;
  let t: number;
    t = (a + (d ^ (b & (c ^ d))) + x0 + -680876936) | 0; a = (((t << 7) | (t >>> 25)) + b) | 0;
    t = (d + (c ^ (a & (b ^ c))) + x1 + -389564586) | 0; d = (((t << 12) | (t >>> 20)) + a) | 0;
    t = (c + (b ^ (d & (a ^ b))) + x2 + 606105819) | 0; c = (((t << 17) | (t >>> 15)) + d) | 0;
    t = (b + (a ^ (c & (d ^ a))) + x3 + -1044525330) | 0; b = (((t << 22) | (t >>> 10)) + c) | 0;
    t = (a + (d ^ (b & (c ^ d))) + x4 + -176418897) | 0; a = (((t << 7) | (t >>> 25)) + b) | 0;
    t = (d + (c ^ (a & (b ^ c))) + x5 + 1200080426) | 0; d = (((t << 12) | (t >>> 20)) + a) | 0;
    t = (c + (b ^ (d & (a ^ b))) + x6 + -1473231341) | 0; c = (((t << 17) | (t >>> 15)) + d) | 0;
    t = (b + (a ^ (c & (d ^ a))) + x7 + -45705983) | 0; b = (((t << 22) | (t >>> 10)) + c) | 0;
    t = (a + (d ^ (b & (c ^ d))) + x8 + 1770035416) | 0; a = (((t << 7) | (t >>> 25)) + b) | 0;
    t = (d + (c ^ (a & (b ^ c))) + x9 + -1958414417) | 0; d = (((t << 12) | (t >>> 20)) + a) | 0;
    t = (c + (b ^ (d & (a ^ b))) + x10 + -42063) | 0; c = (((t << 17) | (t >>> 15)) + d) | 0;
    t = (b + (a ^ (c & (d ^ a))) + x11 + -1990404162) | 0; b = (((t << 22) | (t >>> 10)) + c) | 0;
    t = (a + (d ^ (b & (c ^ d))) + x12 + 1804603682) | 0; a = (((t << 7) | (t >>> 25)) + b) | 0;
    t = (d + (c ^ (a & (b ^ c))) + x13 + -40341101) | 0; d = (((t << 12) | (t >>> 20)) + a) | 0;
    t = (c + (b ^ (d & (a ^ b))) + x14 + -1502002290) | 0; c = (((t << 17) | (t >>> 15)) + d) | 0;
    t = (b + (a ^ (c & (d ^ a))) + x15 + 1236535329) | 0; b = (((t << 22) | (t >>> 10)) + c) | 0;
    t = (a + (c ^ (d & (b ^ c))) + x1 + -165796510) | 0; a = (((t << 5) | (t >>> 27)) + b) | 0;
    t = (d + (b ^ (c & (a ^ b))) + x6 + -1069501632) | 0; d = (((t << 9) | (t >>> 23)) + a) | 0;
    t = (c + (a ^ (b & (d ^ a))) + x11 + 643717713) | 0; c = (((t << 14) | (t >>> 18)) + d) | 0;
    t = (b + (d ^ (a & (c ^ d))) + x0 + -373897302) | 0; b = (((t << 20) | (t >>> 12)) + c) | 0;
    t = (a + (c ^ (d & (b ^ c))) + x5 + -701558691) | 0; a = (((t << 5) | (t >>> 27)) + b) | 0;
    t = (d + (b ^ (c & (a ^ b))) + x10 + 38016083) | 0; d = (((t << 9) | (t >>> 23)) + a) | 0;
    t = (c + (a ^ (b & (d ^ a))) + x15 + -660478335) | 0; c = (((t << 14) | (t >>> 18)) + d) | 0;
    t = (b + (d ^ (a & (c ^ d))) + x4 + -405537848) | 0; b = (((t << 20) | (t >>> 12)) + c) | 0;
    t = (a + (c ^ (d & (b ^ c))) + x9 + 568446438) | 0; a = (((t << 5) | (t >>> 27)) + b) | 0;
    t = (d + (b ^ (c & (a ^ b))) + x14 + -1019803690) | 0; d = (((t << 9) | (t >>> 23)) + a) | 0;
    t = (c + (a ^ (b & (d ^ a))) + x3 + -187363961) | 0; c = (((t << 14) | (t >>> 18)) + d) | 0;
    t = (b + (d ^ (a & (c ^ d))) + x8 + 1163531501) | 0; b = (((t << 20) | (t >>> 12)) + c) | 0;
    t = (a + (c ^ (d & (b ^ c))) + x13 + -1444681467) | 0; a = (((t << 5) | (t >>> 27)) + b) | 0;
    t = (d + (b ^ (c & (a ^ b))) + x2 + -51403784) | 0; d = (((t << 9) | (t >>> 23)) + a) | 0;
    t = (c + (a ^ (b & (d ^ a))) + x7 + 1735328473) | 0; c = (((t << 14) | (t >>> 18)) + d) | 0;
    t = (b + (d ^ (a & (c ^ d))) + x12 + -1926607734) | 0; b = (((t << 20) | (t >>> 12)) + c) | 0;
    t = (a + (b ^ c ^ d) + x5 + -378558) | 0; a = (((t << 4) | (t >>> 28)) + b) | 0;
    t = (d + (a ^ b ^ c) + x8 + -2022574463) | 0; d = (((t << 11) | (t >>> 21)) + a) | 0;
    t = (c + (d ^ a ^ b) + x11 + 1839030562) | 0; c = (((t << 16) | (t >>> 16)) + d) | 0;
    t = (b + (c ^ d ^ a) + x14 + -35309556) | 0; b = (((t << 23) | (t >>> 9)) + c) | 0;
    t = (a + (b ^ c ^ d) + x1 + -1530992060) | 0; a = (((t << 4) | (t >>> 28)) + b) | 0;
    t = (d + (a ^ b ^ c) + x4 + 1272893353) | 0; d = (((t << 11) | (t >>> 21)) + a) | 0;
    t = (c + (d ^ a ^ b) + x7 + -155497632) | 0; c = (((t << 16) | (t >>> 16)) + d) | 0;
    t = (b + (c ^ d ^ a) + x10 + -1094730640) | 0; b = (((t << 23) | (t >>> 9)) + c) | 0;
    t = (a + (b ^ c ^ d) + x13 + 681279174) | 0; a = (((t << 4) | (t >>> 28)) + b) | 0;
    t = (d + (a ^ b ^ c) + x0 + -358537222) | 0; d = (((t << 11) | (t >>> 21)) + a) | 0;
    t = (c + (d ^ a ^ b) + x3 + -722521979) | 0; c = (((t << 16) | (t >>> 16)) + d) | 0;
    t = (b + (c ^ d ^ a) + x6 + 76029189) | 0; b = (((t << 23) | (t >>> 9)) + c) | 0;
    t = (a + (b ^ c ^ d) + x9 + -640364487) | 0; a = (((t << 4) | (t >>> 28)) + b) | 0;
    t = (d + (a ^ b ^ c) + x12 + -421815835) | 0; d = (((t << 11) | (t >>> 21)) + a) | 0;
    t = (c + (d ^ a ^ b) + x15 + 530742520) | 0; c = (((t << 16) | (t >>> 16)) + d) | 0;
    t = (b + (c ^ d ^ a) + x2 + -995338651) | 0; b = (((t << 23) | (t >>> 9)) + c) | 0;
    t = (a + (c ^ (b | ~d)) + x0 + -198630844) | 0; a = (((t << 6) | (t >>> 26)) + b) | 0;
    t = (d + (b ^ (a | ~c)) + x7 + 1126891415) | 0; d = (((t << 10) | (t >>> 22)) + a) | 0;
    t = (c + (a ^ (d | ~b)) + x14 + -1416354905) | 0; c = (((t << 15) | (t >>> 17)) + d) | 0;
    t = (b + (d ^ (c | ~a)) + x5 + -57434055) | 0; b = (((t << 21) | (t >>> 11)) + c) | 0;
    t = (a + (c ^ (b | ~d)) + x12 + 1700485571) | 0; a = (((t << 6) | (t >>> 26)) + b) | 0;
    t = (d + (b ^ (a | ~c)) + x3 + -1894986606) | 0; d = (((t << 10) | (t >>> 22)) + a) | 0;
    t = (c + (a ^ (d | ~b)) + x10 + -1051523) | 0; c = (((t << 15) | (t >>> 17)) + d) | 0;
    t = (b + (d ^ (c | ~a)) + x1 + -2054922799) | 0; b = (((t << 21) | (t >>> 11)) + c) | 0;
    t = (a + (c ^ (b | ~d)) + x8 + 1873313359) | 0; a = (((t << 6) | (t >>> 26)) + b) | 0;
    t = (d + (b ^ (a | ~c)) + x15 + -30611744) | 0; d = (((t << 10) | (t >>> 22)) + a) | 0;
    t = (c + (a ^ (d | ~b)) + x6 + -1560198380) | 0; c = (((t << 15) | (t >>> 17)) + d) | 0;
    t = (b + (d ^ (c | ~a)) + x13 + 1309151649) | 0; b = (((t << 21) | (t >>> 11)) + c) | 0;
    t = (a + (c ^ (b | ~d)) + x4 + -145523070) | 0; a = (((t << 6) | (t >>> 26)) + b) | 0;
    t = (d + (b ^ (a | ~c)) + x11 + -1120210379) | 0; d = (((t << 10) | (t >>> 22)) + a) | 0;
    t = (c + (a ^ (d | ~b)) + x2 + 718787259) | 0; c = (((t << 15) | (t >>> 17)) + d) | 0;
    t = (b + (d ^ (c | ~a)) + x9 + -343485551) | 0; b = (((t << 21) | (t >>> 11)) + c) | 0;
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
}

const INIT = [0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476] as const;
const INIT_STATE = Int32Array.from(INIT);

/** Compresses `blocks` whole 64-byte blocks of `bytes`, from byte `start`, into `state`. */
function compressBlocks(state: Int32Array, words: Int32Array, bytes: Uint8Array, start: number, blocks: number): void {
  for (let block = 0; block < blocks; block += 1) {
    for (let i = 0; i < 16; i += 1) {
      const p = start + block * 64 + i * 4;
      words[i] = bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24);
    }
    compress(state, words);
  }
}

/** The digest is the state's little-endian bytes: stored as four big-endian unsigned words. */
function storeDigest(state: Int32Array, out: Uint32Array, offset: number): void {
  for (let i = 0; i < 4; i += 1) {
    const v = state[i]!;
    out[offset + i] = (((v & 0xff) << 24) | (((v >>> 8) & 0xff) << 16) | (((v >>> 16) & 0xff) << 8) | ((v >>> 24) & 0xff)) >>> 0;
  }
}

/**
 * Hashes `length` bytes of `bytes` and writes the digest as four big-endian 32-bit words
 * (so word 0 holds digest bytes 0-3) into `out` at `offset`, as unsigned values.
 * The scratch arrays make repeated calls allocation-free.
 */
export class Md5 {
  private readonly state = new Int32Array(4);
  private readonly words = new Int32Array(16);
  private readonly tail = new Uint8Array(128);

  digestWords(bytes: Uint8Array, length: number, out: Uint32Array, offset: number): void {
    const state = this.state;
    state.set(INIT_STATE);
    const words = this.words;
    if (length <= 55) {
      // One block: the usual case (a seed, a colon and an ID). No copying, no fill.
      words.fill(0);
      let i = 0;
      for (; i + 4 <= length; i += 4) words[i >> 2] = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
      let last = 0;
      let shift = 0;
      for (; i < length; i += 1, shift += 8) last |= bytes[i]! << shift;
      words[i >> 2] = last | (0x80 << shift);
      words[14] = length * 8;
      compress(state, words);
      storeDigest(state, out, offset);
      return;
    }
    // Whole blocks straight from the input.
    const whole = Math.floor(length / 64);
    compressBlocks(state, words, bytes, 0, whole);
    const position = whole * 64;
    // The rest, the 0x80 marker and the bit length: one or two more blocks.
    const rest = length - position;
    const tail = this.tail;
    const blocks = rest < 56 ? 1 : 2;
    tail.fill(0, 0, blocks * 64);
    for (let i = 0; i < rest; i += 1) tail[i] = bytes[position + i]!;
    tail[rest] = 0x80;
    const bits = length * 8;
    const end = blocks * 64 - 8;
    tail[end] = bits & 0xff;
    tail[end + 1] = (bits >>> 8) & 0xff;
    tail[end + 2] = (bits >>> 16) & 0xff;
    tail[end + 3] = (bits >>> 24) & 0xff;
    const high = Math.floor(bits / 0x100000000);
    tail[end + 4] = high & 0xff;
    tail[end + 5] = (high >>> 8) & 0xff;
    compressBlocks(state, words, tail, 0, blocks);
    storeDigest(state, out, offset);
  }
}

/**
 * The md5 state after the first `blocks` whole 64-byte blocks of `bytes`: where the hash of
 * every message that starts with those bytes goes on (a long seed's blocks, hashed once for
 * all IDs; md5LastBlock finishes each message).
 */
export function md5StateAfter(bytes: Uint8Array, blocks: number): Int32Array {
  const state = Int32Array.from(INIT);
  compressBlocks(state, new Int32Array(16), bytes, 0, blocks);
  return state;
}

const lastBlockState = new Int32Array(4);

/**
 * md5 of a message whose last block, padded, is `words` (16 little-endian words: the last
 * bytes, 0x80 after them, zeros, the whole message's length in bits in word 14), its
 * whole blocks before that having given the state `from` (md5StateAfter; by default none).
 * Writes the digest as four big-endian words into `out` at `offset`, as Md5.digestWords
 * does. The split's hot loop (hash-ids.ts) builds these words straight from the packed
 * IDs, without copying bytes into a buffer first.
 */
export function md5LastBlock(words: Int32Array, out: Uint32Array, offset: number, from: Int32Array = INIT_STATE): void {
  const state = lastBlockState;
  state[0] = from[0]!;
  state[1] = from[1]!;
  state[2] = from[2]!;
  state[3] = from[3]!;
  compress(state, words);
  storeDigest(state, out, offset);
}

const encoder = new TextEncoder();

/** md5 of a string's UTF-8 bytes, as 32 lowercase hex digits (like SQL's md5()). */
export function md5Hex(text: string): string {
  const bytes = encoder.encode(text);
  const out = new Uint32Array(4);
  new Md5().digestWords(bytes, bytes.length, out, 0);
  let hex = '';
  for (let i = 0; i < 4; i += 1) hex += out[i]!.toString(16).padStart(8, '0');
  return hex;
}
