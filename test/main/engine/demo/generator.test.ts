import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CSV_COLUMNS, writeDemoCsv } from '../../../../main/engine/demo/demo-csv';
import { DEMO_CITIES, DEMO_FIELDS, DEMO_FIRST_NAMES, DEMO_SURNAMES, generateProfiles, surnameFor, type DemoProfile } from '../../../../main/engine/demo/generator';
import { tempDir } from '../../../helpers/temp-dir';

const TODAY = '2026-01-05';
const TODAY_MS = Date.parse(`${TODAY}T00:00:00Z`);
const DAY = 86_400_000;
const audience: readonly DemoProfile[] = [...generateProfiles({ count: 50_000, seed: 'demo', today: TODAY })];

const share = (match: (p: DemoProfile) => boolean, of: readonly DemoProfile[] = audience) => of.filter(match).length / of.length;
const tenureDays = (p: DemoProfile) => (TODAY_MS - Date.parse(`${p.registeredAt}Z`)) / DAY;
const ageYears = (p: DemoProfile) => (TODAY_MS - Date.parse(`${p.birthDate}T00:00:00Z`)) / DAY / 365.25;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function correlation(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i += 1) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('the demo audience generator', () => {
  it('is reproducible: the same seed and day give the same profiles; another seed or day, others', () => {
    const again = [...generateProfiles({ count: 2_000, seed: 'demo', today: TODAY })];
    expect(again).toEqual(audience.slice(0, 2_000));
    const otherSeed = [...generateProfiles({ count: 2_000, seed: 'demo2', today: TODAY })];
    const otherDay = [...generateProfiles({ count: 2_000, seed: 'demo', today: '2026-01-06' })];
    expect(otherSeed).not.toEqual(again);
    expect(otherDay).not.toEqual(again);
    // A shorter run is the start of a longer one.
    expect([...generateProfiles({ count: 10, seed: 'demo', today: TODAY })]).toEqual(audience.slice(0, 10));
  });

  it('gives every profile a unique, zero-padded ID and well-formed values', () => {
    expect(audience[0]?.profileId).toBe('0000001');
    expect(new Set(audience.map((p) => p.profileId)).size).toBe(audience.length);
    const cities = new Set(DEMO_CITIES.map(([c]) => c));
    // Checked in plain code and asserted once: 50,000 expect() calls would be slow.
    const bad = audience.filter(
      (p) =>
        !/^[a-z]+\.[a-z]+\d{1,3}@example\.(com|org|net)$/.test(p.email) ||
        !/^\d{4}-\d{2}-\d{2}$/.test(p.birthDate) ||
        !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(p.registeredAt) ||
        !cities.has(p.city) ||
        !Number.isInteger(p.purchases) ||
        p.purchases < 0 ||
        Math.round(p.revenue * 100) / 100 !== p.revenue,
    );
    expect(bad).toEqual([]);
    // Wider IDs when the count needs more digits (only the first profile is made here).
    expect(generateProfiles({ count: 12_345_678, seed: 's', today: TODAY }).next().value?.profileId).toBe('00000001');
  });

  it('has believable shares: more women than men, mostly subscribed, a few bounced', () => {
    expect(share((p) => p.gender === 'female')).toBeGreaterThan(0.5);
    expect(share((p) => p.gender === 'female')).toBeLessThan(0.56);
    expect(share((p) => p.gender === 'male')).toBeGreaterThan(0.42);
    expect(share((p) => p.gender === 'male')).toBeLessThan(0.48);
    expect(share((p) => p.gender === null)).toBeGreaterThan(0.01);
    expect(share((p) => p.gender === null)).toBeLessThan(0.03);
    const status = (s: DemoProfile['subscription']) => share((p) => p.subscription === s);
    expect(status('subscribed')).toBeGreaterThan(0.74);
    expect(status('subscribed')).toBeLessThan(0.83);
    expect(status('unsubscribed')).toBeGreaterThan(0.1);
    expect(status('unsubscribed')).toBeLessThan(0.16);
    expect(status('unconfirmed')).toBeGreaterThan(0.03);
    expect(status('unconfirmed')).toBeLessThan(0.08);
    expect(status('bounced')).toBeGreaterThan(0.02);
    expect(status('bounced')).toBeLessThan(0.04);
    // Big cities are more common: Moscow most of all.
    const counts = new Map<string, number>();
    for (const p of audience) counts.set(p.city, (counts.get(p.city) ?? 0) + 1);
    const [top] = [...counts].sort((a, b) => b[1] - a[1]);
    expect(top?.[0]).toBe('Moscow');
    expect(share((p) => p.city === 'Moscow')).toBeGreaterThan(0.18);
    expect(share((p) => p.purchases > 0)).toBeGreaterThan(0.6);
    expect(share((p) => p.purchases > 0)).toBeLessThan(0.8);
  });

  it("gives first names of the profile's gender and Russian surnames in the gender's form", () => {
    expect(surnameFor('ivanov', 'female')).toBe('ivanova');
    expect(surnameFor('vasiliev', 'female')).toBe('vasilieva');
    expect(surnameFor('nikitin', 'female')).toBe('nikitina');
    expect(surnameFor('zhukovsky', 'female')).toBe('zhukovskaya');
    expect(surnameFor('tolstoy', 'female')).toBe('tolstaya');
    expect(surnameFor('chernykh', 'female')).toBe('chernykh');
    expect(surnameFor('ivanov', 'male')).toBe('ivanov');
    const female = new Set(DEMO_FIRST_NAMES.female);
    const male = new Set(DEMO_FIRST_NAMES.male);
    const nameOf = (p: DemoProfile) => {
      const [first = '', last = ''] = p.email.replace(/\d+@.*$/, '').split('.');
      return { first, last, gender: female.has(first) ? ('female' as const) : male.has(first) ? ('male' as const) : null };
    };
    const surnames = new Set(DEMO_SURNAMES);
    // Every name is of the profile's gender (or, without one, of either), and its surname in that gender's form.
    const bad = audience.filter((p) => {
      const name = nameOf(p);
      if (name.gender === null || (p.gender !== null && name.gender !== p.gender)) return true;
      const masculine = DEMO_SURNAMES.find((s) => surnameFor(s, name.gender!) === name.last);
      return masculine === undefined || (name.gender === 'male' && !surnames.has(name.last));
    });
    expect(bad.map((p) => `${p.gender ?? '-'} ${p.email}`).slice(0, 5)).toEqual([]);
    // Women carry the feminine forms, men never do.
    expect(audience.some((p) => p.gender === 'female' && /\.(ivanova|zhukovskaya|tolstaya)\d/.test(p.email))).toBe(true);
    expect(audience.some((p) => p.gender === 'male' && /\.[a-z]+(ova|eva|ina|skaya|aya)\d/.test(p.email))).toBe(false);
  });

  it('has adult ages around 38 and dates that make sense together', () => {
    const ages = audience.map(ageYears);
    expect(mean(ages)).toBeGreaterThan(36);
    expect(mean(ages)).toBeLessThan(41);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(18);
    expect(Math.max(...ages)).toBeLessThan(87);
    const bad = audience.filter((p) => {
      const tenure = tenureDays(p);
      if (tenure <= 0 || tenure > 6 * 365 + 1) return true;
      // No purchases: no last purchase and no revenue; else the last purchase falls
      // between the registration and today.
      if (p.purchases === 0) return p.lastPurchase !== null || p.revenue !== 0;
      return p.lastPurchase === null || p.lastPurchase < p.registeredAt.slice(0, 10) || p.lastPurchase > TODAY || p.revenue <= 0;
    });
    expect(bad).toEqual([]);
    // Recent registrations are more common than old ones.
    expect(share((p) => tenureDays(p) < 365)).toBeGreaterThan(share((p) => tenureDays(p) >= 5 * 365) * 2);
  });

  it('correlates as real customers do', () => {
    // Long-time customers buy more often; revenue grows with purchases.
    expect(correlation(audience.map(tenureDays), audience.map((p) => p.purchases))).toBeGreaterThan(0.25);
    expect(correlation(audience.map((p) => p.purchases), audience.map((p) => p.revenue))).toBeGreaterThan(0.9);
    // Fresh sign-ups are often unconfirmed; older customers rarely.
    const recent = audience.filter((p) => tenureDays(p) < 14);
    const older = audience.filter((p) => tenureDays(p) >= 14);
    expect(recent.length).toBeGreaterThan(500);
    expect(share((p) => p.subscription === 'unconfirmed', recent)).toBeGreaterThan(0.25);
    expect(share((p) => p.subscription === 'unconfirmed', older)).toBeLessThan(0.06);
    // The longer they stay, the likelier they have unsubscribed.
    const veterans = audience.filter((p) => tenureDays(p) > 3 * 365);
    const newcomers = audience.filter((p) => tenureDays(p) > 14 && tenureDays(p) < 365);
    expect(share((p) => p.subscription === 'unsubscribed', veterans)).toBeGreaterThan(share((p) => p.subscription === 'unsubscribed', newcomers));
    // Older customers spend a little more per purchase.
    const perPurchase = (group: readonly DemoProfile[]) => group.reduce((a, p) => a + p.revenue, 0) / group.reduce((a, p) => a + p.purchases, 0);
    expect(perPurchase(audience.filter((p) => ageYears(p) > 50))).toBeGreaterThan(perPurchase(audience.filter((p) => ageYears(p) < 30)));
  });

  it('declares a field for every generated value', () => {
    expect(DEMO_FIELDS.map((f) => f.name)).toEqual(['email', 'gender', 'birth_date', 'city', 'registered_at', 'last_purchase', 'purchases', 'revenue']);
    expect(DEMO_FIELDS.find((f) => f.name === 'city')?.enumValues).toEqual(DEMO_CITIES.map(([c]) => c));
  });
});

describe('demo CSV files', () => {
  it('writes the full column set, the same for the same seed and day', async () => {
    const dir = tempDir();
    const first = await writeDemoCsv(join(dir, 'a.csv'), { count: 1_000, seed: 'csv', today: TODAY, columns: 'full' });
    const second = await writeDemoCsv(join(dir, 'b.csv'), { count: 1_000, seed: 'csv', today: TODAY, columns: 'full' });
    const bytes = readFileSync(join(dir, 'a.csv'));
    expect(first).toEqual({ rows: 1_000, bytes: bytes.byteLength });
    expect(second).toEqual(first);
    expect(bytes.equals(readFileSync(join(dir, 'b.csv')))).toBe(true);
    const lines = bytes.toString('utf8').split('\n');
    expect(lines[0]).toBe(DEMO_CSV_COLUMNS.full.join(','));
    expect(lines).toHaveLength(1_002);
    const [p] = [...generateProfiles({ count: 1, seed: 'csv', today: TODAY })];
    expect(lines[1]).toBe(
      [p!.profileId, p!.email, p!.gender ?? '', p!.birthDate, p!.city, p!.registeredAt, p!.lastPurchase ?? '', p!.purchases, p!.revenue, p!.subscription].join(','),
    );
  });

  it('writes the 8-column benchmark set, with a BOM, another delimiter and CRLF when asked', async () => {
    const dir = tempDir();
    const path = join(dir, 'bench.csv');
    await writeDemoCsv(path, { count: 10, seed: 'csv', today: TODAY, columns: 'benchmark', delimiter: ';', bom: true, lineEnding: '\r\n' });
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith(`\uFEFF${DEMO_CSV_COLUMNS.benchmark.join(';')}\r\n`)).toBe(true);
    const rows = text.slice(1).split('\r\n').slice(1, -1);
    expect(rows).toHaveLength(10);
    for (const row of rows) expect(row.split(';')).toHaveLength(8);
    expect(rows[0]?.split(';')[4]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('names the file it cannot write', async () => {
    const dir = tempDir();
    await expect(writeDemoCsv(join(dir, 'missing', 'x.csv'), { count: 1, seed: 's', today: TODAY })).rejects.toThrow(/x\.csv.*does not exist/);
  });
});
