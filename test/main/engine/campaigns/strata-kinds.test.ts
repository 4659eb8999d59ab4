/**
 * The stratum scheme's kinds on real campaigns: the guide's example (gender x two named
 * birth-date intervals = four strata), "Other" shown only when profiles fall in it, ages on
 * the project clock's date, a chosen subset of values, and a stratification a campaign
 * cannot use refused when the campaign is created or its LCG edited, not at activation.
 */
import { describe, expect, it } from 'vitest';
import type { LcgSettings } from '../../../../shared/contract/campaigns';
import { ageOn } from '../../../../shared/domain/dates';
import { expectEngineError } from '../../../helpers/engine';
import { startCampaignProject } from './helpers';

const GUIDE_FIELDS = [
  { name: 'gender', type: 'enum' as const, enumValues: ['male', 'female'] },
  { name: 'birthday', type: 'date' as const },
  { name: 'email', type: 'string' as const },
];

/** Birthdays spread over 1985-2004 (and beyond, for `outside`), by i. */
const BIRTHDAY = (outside: boolean) =>
  outside
    ? "CASE WHEN i % 10 = 0 THEN '1970-05-05' WHEN i % 10 = 1 THEN '2010-01-01' WHEN i % 10 IN (2, 5) THEN NULL ELSE date('1985-01-01', '+' || ((i * 37) % 7305) || ' days') END"
    : "date('1985-01-01', '+' || ((i * 37) % 7305) || ' days')";

const guideLcg = (gender: number, birthday: number): LcgSettings => ({
  percent: 10,
  limit: null,
  strata: [
    { kind: 'values', fieldId: gender },
    {
      kind: 'intervals',
      fieldId: birthday,
      intervals: [
        { label: 'Born 2000-2005', from: '01.01.2000', to: '01.01.2005' },
        { label: 'Born 1985-1999', from: '01.01.1985', to: '31.12.1999' },
      ],
    },
  ],
});

describe("the guide's stratification example", () => {
  it('gender (male, female) x two named birth-date intervals gives four strata with the right members', async () => {
    const t = await startCampaignProject(GUIDE_FIELDS);
    t.generate(1000, { values: { gender: "CASE WHEN i % 3 = 0 THEN 'female' ELSE 'male' END", birthday: BIRTHDAY(false) } });
    const id = await t.campaign(t.segment('All'), guideLcg(t.field('gender').id, t.field('birthday').id), 'guide');
    const stored = await t.call('campaign/get', { campaignId: id });
    // Dates are stored as ISO, read from the 01.01.2000 style.
    expect(stored.campaign.lcg.strata[1]).toMatchObject({ intervals: [{ from: '2000-01-01', to: '2005-01-01' }, { from: '1985-01-01', to: '1999-12-31' }] });
    const detail = await t.call('campaign/activate', { campaignId: id });
    expect(detail.strata.map((s) => s.label).sort()).toEqual([
      'gender = female · birthday: Born 1985-1999',
      'gender = female · birthday: Born 2000-2005',
      'gender = male · birthday: Born 1985-1999',
      'gender = male · birthday: Born 2000-2005',
    ]);
    expect(detail.strata.reduce((n, s) => n + s.control, 0)).toBe(100);
    // Each member is in the stratum of its own gender and birthday (keys in field-id order: gender, birthday).
    const rows = t.db().all<{ id: string; g: string; b: string }>(
      `SELECT profile_id AS id, f_${t.field('gender').id} AS g, f_${t.field('birthday').id} AS b FROM profiles_${t.databaseId}`,
    );
    const strata = t.strata(id);
    for (const r of rows) {
      const interval = r.b >= '2000-01-01' ? 'Born 2000-2005' : 'Born 1985-1999';
      expect(strata.get(String(r.id)), `${r.id} ${r.g} ${r.b}`).toBe(JSON.stringify([r.g, interval]));
    }
  });

  it('profiles outside the intervals form "Other", and "(no value)" those without a birthday, shown only when not empty', async () => {
    const t = await startCampaignProject(GUIDE_FIELDS);
    t.generate(600, { values: { gender: "CASE WHEN i % 2 = 0 THEN 'female' ELSE 'male' END", birthday: BIRTHDAY(true) } });
    const id = await t.campaign(t.segment('All'), guideLcg(t.field('gender').id, t.field('birthday').id), 'guide');
    const before = await t.call('campaign/get', { campaignId: id });
    const labels = before.strata.map((s) => s.label);
    expect(labels).toContain('gender = female · birthday: Other');
    expect(labels).toContain('gender = male · birthday: (no value)');
    expect(labels).toHaveLength(8);
    expect(before.strata.find((s) => s.label === 'gender = female · birthday: Other')?.key).toBe('["female","Other"]');
    expect(before.strata.find((s) => s.label === 'gender = male · birthday: (no value)')?.key).toBe('["male",""]');
    // Only the intervals' profiles: no "Other" row at all.
    const inside = t.segment('Inside');
    t.db().run(`DELETE FROM segment_members WHERE segment_id = ? AND profile_key IN (SELECT rowid FROM profiles_${t.databaseId} WHERE f_${t.field('birthday').id} IS NULL OR f_${t.field('birthday').id} < '1985-01-01' OR f_${t.field('birthday').id} > '2005-01-01')`, [inside]);
    const other = await t.campaign(inside, guideLcg(t.field('gender').id, t.field('birthday').id), 'guide', 'Inside');
    const detail = await t.call('campaign/get', { campaignId: other });
    expect(detail.strata.map((s) => s.label).filter((l) => /Other|no value/.test(l))).toEqual([]);
    expect(detail.strata).toHaveLength(4);
  });
});

describe('ages on the project clock and chosen values', () => {
  it("counts ages in full years on the project clock's date; the chosen values are strata, the rest Other", async () => {
    const t = await startCampaignProject([
      { name: 'birthday', type: 'date' },
      { name: 'city', type: 'string' },
    ]);
    t.generate(800, {
      values: {
        birthday: "date('1950-02-28', '+' || ((i * 53) % 25000) || ' days')",
        city: "CASE i % 5 WHEN 0 THEN 'Moscow' WHEN 1 THEN 'Kazan' WHEN 2 THEN 'Tver' WHEN 3 THEN '' ELSE 'Omsk' END",
      },
    });
    await t.call('clock/advance', { to: '2027-03-01T09:00' });
    const lcg: LcgSettings = {
      percent: 20,
      limit: null,
      strata: [
        { kind: 'age', fieldId: t.field('birthday').id, intervals: [{ from: 20, to: 25 }, { from: 26, to: 35 }, { from: 60, to: null }] },
        { kind: 'subset', fieldId: t.field('city').id, values: ['Moscow', 'Kazan'] },
      ],
    };
    const id = await t.campaign(t.segment('All'), lcg, 'ages');
    await t.call('campaign/activate', { campaignId: id });
    const rows = t.db().all<{ id: string; b: string; c: string }>(`SELECT profile_id AS id, f_${t.field('birthday').id} AS b, f_${t.field('city').id} AS c FROM profiles_${t.databaseId}`);
    const strata = t.strata(id);
    for (const r of rows) {
      const years = ageOn(String(r.b), '2027-03-01');
      const band = years >= 20 && years <= 25 ? '20-25' : years >= 26 && years <= 35 ? '26-35' : years >= 60 ? '60+' : 'Other';
      const city = r.c === '' || r.c === null ? '' : r.c === 'Moscow' || r.c === 'Kazan' ? String(r.c) : 'Other';
      expect(strata.get(String(r.id)), `${r.id} born ${r.b} in ${r.c}`).toBe(JSON.stringify([band, city]));
    }
    const detail = await t.call('campaign/get', { campaignId: id });
    expect(detail.strata.map((s) => s.label)).toContain('birthday: age 26 to 35 · city = Kazan');
    expect(detail.strata.map((s) => s.label)).toContain('birthday: age 60 and over · city: Other');
  });
});

describe('a stratification a campaign cannot use', () => {
  it('is refused when the campaign is created or its LCG edited, naming the field and the count', async () => {
    const t = await startCampaignProject(GUIDE_FIELDS);
    t.generate(1999, { values: { email: "'user' || i || '@example.com'", gender: "'male'" } });
    const segmentId = t.segment('All');
    const byEmail: LcgSettings = { percent: 10, limit: null, strata: [{ kind: 'values', fieldId: t.field('email').id }] };
    const refused = await expectEngineError(t.call('campaign/create', { name: 'By email', databaseId: t.databaseId, segmentId, lcg: byEmail }), 'REFUSED');
    expect(refused.message).toBe(
      '"email" has 1,999 different values, too many to stratify by one each (at most 1,000): choose some values (the rest form "Other"), group them, or use ranges.',
    );
    expect(t.db().scalar('SELECT COUNT(*) FROM campaigns')).toBe(0);
    const created = await t.call('campaign/create', { name: 'Plain', databaseId: t.databaseId, segmentId, lcg: { percent: 10, limit: null, strata: [] } });
    await expectEngineError(t.call('campaign/previewLcg', { campaignId: created.id, lcg: byEmail }), 'REFUSED');
    await expectEngineError(t.call('campaign/setLcg', { campaignId: created.id, lcg: byEmail }), 'REFUSED');
    expect((await t.call('campaign/get', { campaignId: created.id })).campaign.lcg.strata).toEqual([]);
    // A chosen few of those values are fine.
    const few: LcgSettings = { percent: 10, limit: null, strata: [{ kind: 'subset', fieldId: t.field('email').id, values: ['user1@example.com', 'user2@example.com'] }] };
    expect((await t.call('campaign/setLcg', { campaignId: created.id, lcg: few })).strata.map((s) => [s.label, s.size])).toEqual([
      ['email = user1@example.com', 1],
      ['email = user2@example.com', 1],
      ['email: Other', 1997],
    ]);
  });

  it('too many strata in the segment are refused at creation too', async () => {
    const t = await startCampaignProject([
      { name: 'a', type: 'number' },
      { name: 'b', type: 'number' },
    ]);
    t.generate(12_000, { values: { a: 'i % 150', b: 'i % 97' } });
    const lcg: LcgSettings = {
      percent: 10,
      limit: null,
      strata: [
        { kind: 'values', fieldId: t.field('a').id },
        { kind: 'values', fieldId: t.field('b').id },
      ],
    };
    const refused = await expectEngineError(t.call('campaign/create', { name: 'Fine', databaseId: t.databaseId, segmentId: t.segment('All'), lcg }), 'REFUSED');
    expect(refused.message).toBe(
      'Stratifying by "a", "b" cuts the audience into 12,000 strata; at most 10,000 can be used. Choose or group values, use wider ranges, or fewer fields.',
    );
    // The same rules on a small segment are fine.
    const small = t.segment('Small', Array.from({ length: 50 }, (_, i) => `p${i + 1}`));
    const fine = await t.call('campaign/create', { name: 'Small', databaseId: t.databaseId, segmentId: small, lcg });
    // A clone onto the big segment would cut it into too many strata: refused, nothing made.
    const cloned = await expectEngineError(t.call('campaign/clone', { campaignId: fine.id, segmentId: t.segment('All') }), 'REFUSED');
    expect(cloned.message).toContain('12,000 strata');
    expect(t.db().scalar('SELECT COUNT(*) FROM campaigns')).toBe(1);
  });
});
