/**
 * The stratum code of text rules computed in JavaScript from the raw text (the audience
 * read) equals the SQL expression of the same rules, for awkward values too; a value that
 * holds the separator character falls back to SQL and still agrees.
 */
import { describe, expect, it } from 'vitest';
import type { StratumRule } from '../../../../shared/contract/campaigns';
import { readAudienceCodes } from '../../../../main/engine/campaigns/audience-codes';
import { compileStrata } from '../../../../main/engine/campaigns/strata';
import { fieldColumn, profileTable } from '../../../../main/engine/databases/profile-table';
import { startCampaignProject, type CampaignProject } from './helpers';

const CITY = `CASE i % 9 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'Москва' WHEN 3 THEN 'a,b' WHEN 4 THEN 'it''s' WHEN 5 THEN '007'
                        WHEN 6 THEN ' Tver ' WHEN 7 THEN 'Tver' ELSE '😀' END`;

/**
 * Compiles the rules, reads the segment's codes as the audience build does (text rules in
 * JavaScript) and by the SQL expression alone; expects them equal. The stratum keys found.
 */
function sameCodes(t: CampaignProject, segmentId: number, rules: readonly StratumRule[], textParts: number): Set<string> {
  const db = t.db();
  const strata = compileStrata(db, t.databaseId, rules);
  try {
    expect(strata.split.textParts).toHaveLength(textParts);
    const from = `FROM segment_members sm JOIN ${profileTable(t.databaseId)} p ON p.rowid = sm.profile_key WHERE sm.segment_id = ?`;
    const read = readAudienceCodes(db, strata, from, [segmentId]);
    const expected = db.all<{ k: number; code: number }>(`SELECT sm.profile_key AS k, ${strata.codeSql} AS code ${from}`, [segmentId]);
    expect(read.count).toBe(expected.length);
    expect(Array.from(read.keys)).toEqual(expected.map((e) => e.k));
    expect(Array.from(read.strata!)).toEqual(expected.map((e) => e.code));
    return new Set(expected.map((e) => strata.describe(e.code).key));
  } finally {
    strata.dispose();
  }
}

describe('stratum codes of text rules', () => {
  it('are the same from the raw text in JavaScript as from SQL, and fall back to SQL for the separator', async () => {
    const t = await startCampaignProject([
      { name: 'city', type: 'string' },
      { name: 'tier', type: 'enum', enumValues: ['gold', 'silver'] },
      { name: 'age', type: 'number' },
    ]);
    t.generate(900, { values: { city: CITY, tier: "CASE WHEN i % 4 = 0 THEN NULL WHEN i % 4 = 1 THEN 'gold' ELSE 'silver' END", age: 'i % 80' } });
    const segmentId = t.segment('All');
    const db = t.db();
    const city = t.field('city').id;
    const rules: StratumRule[] = [
      { kind: 'values', fieldId: city },
      { kind: 'groups', fieldId: t.field('tier').id, groups: [{ label: 'Top', values: ['gold'] }] },
      { kind: 'ranges', fieldId: t.field('age').id, bounds: [18, 40] },
    ];
    const check = () => sameCodes(t, segmentId, rules, 2);
    const keys = check();
    expect(keys.size).toBeGreaterThan(20);
    db.run(`UPDATE ${profileTable(t.databaseId)} SET ${fieldColumn(city)} = 'x' || char(31) || 'y' WHERE rowid = 5`);
    check();
  });

  it('the new kinds on text columns (chosen values, named intervals, ages) agree between JavaScript and SQL too', async () => {
    const t = await startCampaignProject([
      { name: 'city', type: 'string' },
      { name: 'born', type: 'date' },
      { name: 'seen', type: 'datetime' },
      { name: 'score', type: 'number' },
    ]);
    t.generate(900, {
      values: {
        city: CITY,
        born: "CASE WHEN i % 17 = 0 THEN NULL ELSE date('1950-01-01', '+' || ((i * 389) % 27000) || ' days') END",
        seen: "CASE WHEN i % 13 = 0 THEN NULL ELSE datetime('2023-12-30 00:00:00', '+' || (i * 3) || ' hours') END",
        score: 'CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 100) / 4.0 END',
      },
    });
    const segmentId = t.segment('All');
    const rules: StratumRule[] = [
      { kind: 'subset', fieldId: t.field('city').id, values: ['Москва', 'Tver', '007'] },
      { kind: 'age', fieldId: t.field('born').id, intervals: [{ from: 18, to: 25 }, { from: 26, to: 40 }, { from: 65, to: null }] },
      { kind: 'intervals', fieldId: t.field('seen').id, intervals: [{ label: 'New year', from: '31.12.2023', to: '01.01.2024' }, { label: 'Later', from: '2024-01-10T12:00', to: '2024-02-01' }] },
      { kind: 'intervals', fieldId: t.field('score').id, intervals: [{ label: 'Low', from: 0, to: 5 }, { label: 'High', from: 20, to: 24.75 }] },
    ];
    const keys = [...sameCodes(t, segmentId, rules, 3)];
    // Every part of every rule turns up, "Other" and "(no value)" included.
    for (const part of ['Москва', 'Other', '""', '18-25', '65+', 'New year', 'Later', 'Low', 'High']) {
      expect(keys.some((k) => k.includes(part.startsWith('"') ? part : `"${part}"`)), part).toBe(true);
    }
  });
});
