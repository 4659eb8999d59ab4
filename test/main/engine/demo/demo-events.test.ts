/**
 * The demo project's events: purchases, opens and clicks over the 12 months before its
 * clock, consistent with each profile's fields, reproducible from the seed, and made from
 * a random stream of their own (the profiles of a seed stay as they were: the pinned
 * figures of generator.test.ts and demo-project.test.ts).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../../../helpers/engine';

const PROFILES = 4_000;

interface Row {
  key: number;
  registered: string;
  last: string | null;
  purchases: number;
  revenue: number;
  subscription: string;
}

async function demo(seed = 'events'): Promise<TestEngine> {
  const t = await startTestEngine();
  await t.call('demo/create', { profiles: PROFILES, seed });
  return t;
}

function fieldColumns(t: TestEngine): Record<string, string> {
  const db = t.engine.state.requireSession().db;
  return Object.fromEntries(db.all('SELECT id, name FROM fields WHERE database_id = 1').map((f) => [String(f.name), `f_${Number(f.id)}`]));
}

function digest(t: TestEngine): string {
  const hash = createHash('sha256');
  for (const row of t.engine.state.requireSession().db.all('SELECT * FROM events_1 ORDER BY seq')) hash.update(JSON.stringify(row));
  return hash.digest('hex');
}

describe('demo events', () => {
  it('purchases agree with purchases, revenue and last_purchase; every event lies in the 12 months before the clock', async () => {
    const t = await demo();
    const db = t.engine.state.requireSession().db;
    const clock = (await t.call('project/info', {})).clock;
    const yearBefore = new Date(Date.parse(`${clock}:00Z`) - 365 * 86_400_000).toISOString().slice(0, 19);
    const f = fieldColumns(t);
    const bounds = db.all('SELECT MIN(at) AS first, MAX(at) AS last, COUNT(*) AS n FROM events_1')[0]!;
    expect(String(bounds.first) >= yearBefore).toBe(true);
    expect(String(bounds.last) <= `${clock}:59`).toBe(true);
    expect(Number(bounds.n)).toBeGreaterThan(PROFILES);

    const profiles = db.all<Row & Record<string, never>>(
      `SELECT rowid AS key, ${f.registered_at} AS registered, ${f.last_purchase} AS last, ${f.purchases} AS purchases, ${f.revenue} AS revenue, subscription FROM profiles_1`,
    ) as unknown as Row[];
    const purchases = new Map<number, { n: number; cents: number; last: string; notes: string[] }>();
    for (const e of db.all("SELECT profile_key AS k, at, amount, note FROM events_1 WHERE type = 'purchase' ORDER BY at")) {
      const p = purchases.get(Number(e.k)) ?? { n: 0, cents: 0, last: '', notes: [] };
      p.n += 1;
      p.cents += Math.round(Number(e.amount) * 100);
      p.last = String(e.at);
      p.notes.push(String(e.note));
      purchases.set(Number(e.k), p);
    }
    let whole = 0;
    for (const profile of profiles) {
      const p = purchases.get(profile.key);
      if (profile.purchases === 0) {
        expect(p).toBeUndefined();
        continue;
      }
      // Never more purchase events than purchases; the latest on the last_purchase day when that is in the year.
      expect(p?.n ?? 0).toBeLessThanOrEqual(profile.purchases);
      if (String(profile.last) >= yearBefore.slice(0, 10) && p) expect(p.last.slice(0, 10)).toBe(profile.last);
      if (profile.registered >= yearBefore) {
        // A customer of less than a year: every purchase is an event, and the amounts are the revenue.
        whole += 1;
        expect(p?.n).toBe(profile.purchases);
        expect(p?.cents).toBe(Math.round(profile.revenue * 100));
        expect(p?.notes.length).toBe(profile.purchases);
      }
    }
    expect(whole).toBeGreaterThan(100);
  });

  it('subscribed profiles open and click far more than others; a click follows an open', async () => {
    const t = await demo();
    const db = t.engine.state.requireSession().db;
    const rate = (type: string, subscribed: boolean) =>
      Number(
        db.scalar(
          `SELECT CAST((SELECT COUNT(*) FROM events_1 e JOIN profiles_1 p ON p.rowid = e.profile_key WHERE e.type = ? AND (p.subscription = 'subscribed') = ?) AS REAL)
                / (SELECT COUNT(*) FROM profiles_1 WHERE (subscription = 'subscribed') = ?)`,
          [type, subscribed ? 1 : 0, subscribed ? 1 : 0],
        ),
      );
    expect(rate('open', true)).toBeGreaterThan(3 * rate('open', false));
    expect(rate('click', true)).toBeGreaterThan(3 * rate('click', false));
    expect(rate('click', true)).toBeLessThan(rate('open', true));
    expect(Number(db.scalar("SELECT COUNT(*) FROM events_1 e JOIN profiles_1 p ON p.rowid = e.profile_key WHERE p.subscription = 'bounced' AND e.type <> 'purchase'"))).toBe(0);
    // The table by profile (the profile card's) holds the same events.
    const keys = (table: string) => db.all(`SELECT profile_key, type, at, seq FROM ${table} ORDER BY seq`).map(Object.values);
    expect(keys('events_1_by_profile')).toEqual(keys('events_1'));
    const list = await t.call('events/list', { databaseId: 1, type: 'purchase', limit: 3 });
    expect(list.events).toHaveLength(3);
    expect(list.events[0]!.at >= list.events[1]!.at).toBe(true);
  });

  it('are the same for the same seed and day, and others for another seed', async () => {
    const a = digest(await demo('same'));
    expect(digest(await demo('same'))).toBe(a);
    expect(digest(await demo('other'))).not.toBe(a);
  });
});
