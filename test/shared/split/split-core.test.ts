import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { controlTotal, percentToBasisPoints } from '../../../shared/split/control-total';
import { hashPackedIds, packIds } from '../../../shared/split/hash-ids';
import { md5Hex } from '../../../shared/split/md5';
import { allocateQuotas, compareText } from '../../../shared/split/quotas';
import { selectControl } from '../../../shared/split/select-control';
import { SeededRandom } from '../../../main/engine/demo/random';

const nodeMd5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

describe('md5 (STATS.md 1.5)', () => {
  it('matches the reference vector and Node for every message length', () => {
    expect(md5Hex('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(md5Hex('s1:stratum:B').startsWith('1ab8df7a')).toBe(true);
    expect(md5Hex('s1:stratum:A').startsWith('40a3106e')).toBe(true);
    for (let length = 0; length <= 200; length += 1) {
      const text = 'x'.repeat(length);
      expect(md5Hex(text), `length ${length}`).toBe(nodeMd5(text));
    }
    for (const text of ['Москва', '北京', '😀 emoji', 'a\u0000b']) expect(md5Hex(text)).toBe(nodeMd5(text));
  });

  it('hashes packed IDs exactly like md5(seed ":" id)', () => {
    const ids = ['00123', 'abc', '', 'Иванов', 'x'.repeat(120), '😀'];
    const words = hashPackedIds('seed-1', packIds(ids), ids.length);
    ids.forEach((id, i) => {
      const hex = Array.from(words.subarray(i * 4, i * 4 + 4), (w) => w.toString(16).padStart(8, '0')).join('');
      expect(hex).toBe(nodeMd5(`seed-1:${id}`));
    });
  });
});

describe('the control total (STATS.md 1.1)', () => {
  it('works in basis points and rounds half up', () => {
    expect(percentToBasisPoints(0.29)).toBe(29);
    expect(percentToBasisPoints('7.25')).toBe(725);
    expect(controlTotal(10_000, { percent: 0.29 })).toBe(29);
    expect(controlTotal(1000, { percent: 7.25 })).toBe(73); // 72.5 rounds up
    expect(controlTotal(1000, { percent: '7.24' })).toBe(72); // 72.4 rounds down
    expect(controlTotal(100, { percent: 15, limit: 12 })).toBe(12);
    expect(controlTotal(100, { limit: 500 })).toBe(100);
    expect(controlTotal(100, { percent: 100 })).toBe(100);
    expect(controlTotal(0, { percent: 10 })).toBe(0);
    expect(controlTotal(100, {})).toBe(0);
  });

  it('refuses more than two decimals and values over 100', () => {
    expect(() => percentToBasisPoints('7.255')).toThrow(/two decimals/);
    expect(() => percentToBasisPoints(100.01)).toThrow(/over 100/);
    expect(() => percentToBasisPoints(-1)).toThrow(/negative/);
  });

  it('with a percent and a larger limit, the percent gives the total (5 % of 1,000 with a limit of 100 is 50)', () => {
    expect(controlTotal(1000, { percent: 5, limit: 100 })).toBe(50);
    expect(controlTotal(1000, { percent: '5', limit: 30 })).toBe(30);
  });
});

describe('largest-remainder quotas (STATS.md 1.2)', () => {
  it('reproduces the 6/6/8 vector with seed "s1"', () => {
    const q = allocateQuotas([{ key: 'A', size: 6 }, { key: 'B', size: 6 }, { key: 'C', size: 8 }], 5, 's1');
    expect(q.map((s) => [s.key, s.base, s.remainder, s.control])).toEqual([
      ['A', 1, 10, 1],
      ['B', 1, 10, 2],
      ['C', 2, 0, 2],
    ]);
  });

  it("reproduces the guide's 100-profile example with limit 12", () => {
    const sizes = [6, 7, 7, 28, 26, 26];
    const total = controlTotal(100, { percent: 15, limit: 12 });
    const q = allocateQuotas(sizes.map((size, i) => ({ key: `s${i}`, size })), total, 'any');
    expect(total).toBe(12);
    expect(q.map((s) => s.base)).toEqual([0, 0, 0, 3, 3, 3]);
    expect(q.map((s) => s.remainder)).toEqual([72, 84, 84, 36, 12, 12]);
    expect(q.map((s) => s.control)).toEqual([1, 1, 1, 3, 3, 3]);
    expect(q[0]!.exact).toBeCloseTo(0.72);
  });

  it('is exact and within one profile of every share, for many random cases', () => {
    const random = new SeededRandom('quotas');
    for (let trial = 0; trial < 300; trial += 1) {
      const strata = Array.from({ length: random.int(1, 30) }, (_, i) => ({ key: `k${i}`, size: random.int(0, 500) }));
      const n = strata.reduce((sum, s) => sum + s.size, 0);
      const m = random.int(0, n);
      const q = allocateQuotas(strata, m, `seed${trial}`);
      expect(q.reduce((sum, s) => sum + s.control, 0)).toBe(m);
      for (const s of q) {
        expect(Math.abs(s.control - s.exact)).toBeLessThan(1);
        expect(s.control).toBeLessThanOrEqual(s.size);
      }
    }
  });

  it('stays exact where M * N_s passes 2^53', () => {
    const q = allocateQuotas([{ key: 'a', size: 3_000_000_000 }, { key: 'b', size: 7_000_000_001 }], 9_000_000_000, 'big');
    expect(q[0]!.control + q[1]!.control).toBe(9_000_000_000);
  });
});

describe('choosing the control profiles (STATS.md 1.3)', () => {
  const reference = (ids: string[], strata: number[], control: number[], seed: string) => {
    const chosen = new Set<number>();
    control.forEach((c, s) => {
      const members = ids.map((id, i) => ({ id, i, h: nodeMd5(`${seed}:${id}`) })).filter((m) => strata[m.i] === s);
      members.sort((a, b) => compareText(a.h, b.h) || compareText(a.id, b.id));
      members.slice(0, c).forEach((m) => chosen.add(m.i));
    });
    return chosen;
  };

  it('takes the lowest md5(seed ":" id) in each stratum, as a full sort would', () => {
    const random = new SeededRandom('select');
    for (let trial = 0; trial < 40; trial += 1) {
      const n = random.int(1, 400);
      const strataCount = random.int(1, 8);
      const ids = Array.from({ length: n }, (_, i) => String(i * 7 + trial).padStart(6, '0'));
      const strata = ids.map(() => random.int(0, strataCount - 1));
      const sizes = Array.from({ length: strataCount }, (_, s) => strata.filter((x) => x === s).length);
      const control = sizes.map((size) => random.int(0, size));
      const seed = `t${trial}`;
      const flags = selectControl(Uint32Array.from(strata), hashPackedIds(seed, packIds(ids), n), control);
      const expected = reference(ids, strata, control, seed);
      expect([...flags].flatMap((f, i) => (f ? [i] : []))).toEqual([...expected].sort((a, b) => a - b));
    }
  });

  it('agrees with a full sort on larger strata too, where the digests are bucketed by their leading bits', () => {
    const random = new SeededRandom('select-large');
    for (const [n, strataCount] of [[20_000, 3], [50_000, 1], [30_000, 40]] as const) {
      const ids = Array.from({ length: n }, (_, i) => `C${i}`);
      const strata = ids.map(() => random.int(0, strataCount - 1));
      const sizes = Array.from({ length: strataCount }, (_, s) => strata.filter((x) => x === s).length);
      const control = sizes.map((size, s) => (s === 0 && strataCount > 1 ? size : random.int(0, size)));
      const seed = `large-${n}`;
      const flags = selectControl(Uint32Array.from(strata), hashPackedIds(seed, packIds(ids), n), control);
      const expected = reference(ids, strata, control, seed);
      expect([...flags].flatMap((f, i) => (f ? [i] : []))).toEqual([...expected].sort((a, b) => a - b));
    }
  });

  it('compares whole digests: two equal in their first 32 bits are ordered by the rest (as the SQL orders the hex)', () => {
    // md5("w32:c63580") = cbabb844 5299..., md5("w32:c262322") = cbabb844 5a88...: the first
    // word ties, the second decides; the ID (and the input order) would pick the other one.
    const ids = ['c262322', 'c63580'];
    const hashes = hashPackedIds('w32', packIds(ids), 2);
    expect(nodeMd5('w32:c63580').slice(0, 8)).toBe(nodeMd5('w32:c262322').slice(0, 8));
    expect(hashes[0]).toBe(hashes[4]);
    expect(compareText(ids[0]!, ids[1]!)).toBe(-1);
    const flags = selectControl(new Uint32Array([0, 0]), hashes, [1], (a, b) => compareText(ids[a]!, ids[b]!));
    expect([...flags]).toEqual([0, 1]);
  });

  it('breaks exact hash ties by the tie-break (by ID)', () => {
    const hashes = new Uint32Array(12); // three profiles, all-zero digests
    const ids = ['b', 'a', 'c'];
    const flags = selectControl(new Uint32Array([0, 0, 0]), hashes, [1], (x, y) => compareText(ids[x]!, ids[y]!));
    expect([...flags]).toEqual([0, 1, 0]);
  });

  it('refuses a quota larger than its stratum', () => {
    expect(() => selectControl(new Uint32Array([0]), new Uint32Array(4), [2])).toThrow(/quota/);
  });
});

describe('code point order', () => {
  it('matches UTF-8 byte order, unlike JavaScript <', () => {
    const a = '\u{1F600}'; // above U+FFFF
    const b = '\uFF01'; // in U+E000-U+FFFF
    expect(a < b).toBe(true); // UTF-16 code units
    expect(compareText(a, b)).toBe(1); // UTF-8 bytes: F0... > EF...
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(1);
    expect(compareText('abc', 'abd')).toBe(-1);
    expect(compareText('ab', 'abc')).toBe(-1);
  });
});

describe('sticky growth (STATS.md 1.4)', () => {
  it('fills only the shortfall from new profiles and never moves anyone', async () => {
    const { planGrowth } = await import('../../../shared/split/sticky');
    // Stratum A had 10 profiles with 1 in control; 10 more arrive at 10 %.
    const [a] = planGrowth([{ key: 'A', assigned: 10, control: 1, added: 10 }], 2, 's');
    expect(a).toMatchObject({ toControl: 1, shortfall: 0, surplus: 0 });
    // The audience shrank to 5 but 2 are in control: nobody moves, the surplus is reported.
    const [b] = planGrowth([{ key: 'B', assigned: 5, control: 2, added: 0 }], 1, 's');
    expect(b).toMatchObject({ toControl: 0, surplus: 1 });
    // The LCG grows by more than the new profiles can give.
    const [c] = planGrowth([{ key: 'C', assigned: 10, control: 0, added: 2 }], 5, 's');
    expect(c).toMatchObject({ toControl: 2, shortfall: 3 });
  });
});

describe('stratification violation', () => {
  it("warns for the guide's 6-profile stratum (0.72 expected) and suggests a fix", async () => {
    const { stratificationWarning } = await import('../../../shared/split/violations');
    const sizes = [6, 7, 7, 28, 26, 26];
    const quotas = allocateQuotas(sizes.map((size, i) => ({ key: `s${i}`, size })), 12, 'x');
    const warning = stratificationWarning(quotas, 12);
    expect(warning?.strata.map((s) => s.key)).toEqual(['s0', 's1', 's2']);
    expect(warning?.strata[0]?.expected).toBeCloseTo(0.72);
    expect(warning?.suggestedTotal).toBe(17); // ceil(100 / 6): 17 * 6 / 100 = 1.02
    expect(controlTotal(100, { percent: warning!.suggestedPercent })).toBeGreaterThanOrEqual(17);
    const fixed = allocateQuotas(sizes.map((size, i) => ({ key: `s${i}`, size })), 17, 'x');
    expect(stratificationWarning(fixed, 17)).toBeNull();
  });

  it('does not warn for a stratum expected to get exactly one (N = 100, M = 10, a stratum of 10)', async () => {
    const { stratificationWarning } = await import('../../../shared/split/violations');
    const quotas = allocateQuotas([{ key: 'ten', size: 10 }, { key: 'rest', size: 90 }], 10, 'x');
    expect(quotas[0]!.exact).toBe(1);
    expect(stratificationWarning(quotas, 10)).toBeNull();
    // One profile fewer in the LCG, and that stratum expects 0.9: a warning.
    expect(stratificationWarning(allocateQuotas([{ key: 'ten', size: 10 }, { key: 'rest', size: 90 }], 9, 'x'), 9)?.strata.map((s) => s.key)).toEqual(['ten']);
  });

  it('never suggests a limit or a share that leaves Test empty', async () => {
    const { stratificationWarning } = await import('../../../shared/split/violations');
    // Three profiles in three strata: only the whole audience gives each one.
    const tiny = allocateQuotas(['a', 'b', 'c'].map((key) => ({ key, size: 1 })), 1, 'x');
    expect(stratificationWarning(tiny, 1)).toMatchObject({ suggestedTotal: null, suggestedPercent: null });
    // A stratum of one profile among 20,000 needs an LCG of everyone: no suggestion either.
    const lone = allocateQuotas([{ key: 'one', size: 1 }, { key: 'rest', size: 19_999 }], 2000, 'x');
    expect(stratificationWarning(lone, 2000)).toMatchObject({ suggestedTotal: null, suggestedPercent: null });
    const pair = allocateQuotas([{ key: 'two', size: 2 }, { key: 'rest', size: 19_998 }], 2000, 'x');
    expect(stratificationWarning(pair, 2000)).toMatchObject({ suggestedTotal: 10_000, suggestedPercent: 50 });
    // Where a percentage fits, it leaves Test someone.
    const random = new SeededRandom('no-empty-test');
    for (let trial = 0; trial < 300; trial += 1) {
      const strata = Array.from({ length: random.int(2, 8) }, (_, i) => ({ key: `k${i}`, size: random.int(1, 60) }));
      const n = strata.reduce((sum, x) => sum + x.size, 0);
      const m = random.int(0, n - 1);
      const found = stratificationWarning(allocateQuotas(strata, m, 'x'), m);
      if (found?.suggestedTotal != null) expect(found.suggestedTotal).toBeLessThan(n);
      if (found?.suggestedPercent != null) expect(controlTotal(n, { percent: found.suggestedPercent })).toBeLessThan(n);
    }
  });
});
