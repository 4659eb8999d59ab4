/**
 * The GCG over many steps, against an independent computation: forming takes the
 * controlTotal(N) lowest md5(seed ":" id); sticky growth takes, of the new profiles only,
 * the shortfall controlTotal(N') - members (never negative, never more than arrived), the
 * lowest hashes first; a new share or seed forms anew. The profiles arrive in an order
 * unrelated to their IDs, so reading them by ID (forming) or by rowid (growth) must give the
 * same members.
 */
import { describe, expect, it } from 'vitest';
import { controlTotal } from '../../../../shared/split/control-total';
import { startDatabaseProject } from '../databases/helpers';
import { lowestByMd5 } from '../segments/helpers';
import { gcgMemberIds as memberIds } from './helpers';

/** Deterministic IDs in a shuffled order: numbers, padded numbers, letters, non-ASCII. */
function shuffledIds(prefix: string, count: number, salt: number): string[] {
  const ids = Array.from({ length: count }, (_, i) => (i % 7 === 0 ? `${prefix}-Ω${i}` : i % 3 === 0 ? `0${i}${prefix}` : `${prefix}${i}`));
  let state = salt;
  for (let i = ids.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids;
}

/** The same rule, computed from the IDs alone. */
class Expected {
  private all: string[] = [];
  private members = new Set<string>();

  constructor(
    private percent: string,
    private seed: string,
  ) {}

  form(percent: string, seed: string): void {
    this.percent = percent;
    this.seed = seed;
    this.members = new Set(lowestByMd5(this.all, seed, controlTotal(this.all.length, { percent })));
  }

  /** Profiles arrive; the GCG looks at them later (`grow`). */
  arrive(ids: readonly string[]): void {
    this.all.push(...ids);
  }

  grow(fresh: readonly string[]): void {
    const total = controlTotal(this.all.length, { percent: this.percent });
    const shortfall = Math.max(0, Math.min(total - this.members.size, fresh.length));
    for (const id of lowestByMd5(fresh, this.seed, shortfall)) this.members.add(id);
  }

  sorted(): string[] {
    return [...this.members].sort();
  }
}

describe('GCG membership over many steps', () => {
  it('forms, grows in several steps and re-forms exactly as computed independently', async () => {
    const p = await startDatabaseProject([]);
    const expected = new Expected('7.25', 'steps');
    const add = (ids: readonly string[]) => {
      p.insert(ids.map((id) => ({ id })));
      expected.arrive(ids);
    };
    const check = async () => {
      const state = await p.call('gcg/get', { databaseId: p.databaseId });
      expect(memberIds(p)).toEqual(expected.sorted());
      expect(state.size).toBe(expected.sorted().length);
    };

    add(shuffledIds('a', 3000, 1));
    await p.call('gcg/set', { databaseId: p.databaseId, percent: '7.25', seed: 'steps' });
    expected.form('7.25', 'steps');
    await check();
    expect(memberIds(p)).toHaveLength(controlTotal(3000, { percent: '7.25' }));

    // Growth in steps of several sizes, each looked at before the next arrives.
    for (const [prefix, count, salt] of [['b', 500, 2], ['c', 1, 3], ['d', 1200, 4], ['e', 13, 5]] as const) {
      const ids = shuffledIds(prefix, count, salt);
      add(ids);
      expected.grow(ids);
      await check();
    }
    // Two arrivals before the GCG looks: one growth over both.
    const f = shuffledIds('f', 250, 6);
    const g = shuffledIds('g', 40, 7);
    add(f);
    add(g);
    expected.grow([...f, ...g]);
    await check();

    // A new share forms anew over everyone, then grows again.
    await p.call('gcg/set', { databaseId: p.databaseId, percent: '12.5' });
    expected.form('12.5', 'steps');
    await check();
    const h = shuffledIds('h', 700, 8);
    add(h);
    expected.grow(h);
    await check();
    // A new seed, too; then a lower share: a surplus stays, nobody new joins.
    await p.call('gcg/set', { databaseId: p.databaseId, percent: '12.5', seed: 'other' });
    expected.form('12.5', 'other');
    await check();
    await p.call('gcg/set', { databaseId: p.databaseId, percent: 3 });
    expected.form('3', 'other');
    await check();
    const i = shuffledIds('i', 90, 9);
    add(i);
    expected.grow(i);
    await check();
    const state = await p.call('gcg/get', { databaseId: p.databaseId });
    expect(state).toMatchObject({ profiles: 3000 + 500 + 1 + 1200 + 13 + 250 + 40 + 700 + 90, surplus: 0 });
  });
});
