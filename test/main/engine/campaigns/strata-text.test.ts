/**
 * The stratum code of text rules computed in JavaScript from the raw text (the audience
 * read) equals the SQL expression of the same rules, for awkward values too; a value that
 * holds the separator character falls back to SQL and still agrees.
 */
import { describe, expect, it } from 'vitest';
import type { StratumRule } from '../../../../shared/contract/campaigns';
import { readAudienceCodes } from '../../../../main/engine/campaigns/audience';
import { compileStrata } from '../../../../main/engine/campaigns/strata';
import { fieldColumn, profileTable } from '../../../../main/engine/databases/profile-table';
import { startCampaignProject } from './helpers';

const CITY = `CASE i % 9 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'Москва' WHEN 3 THEN 'a,b' WHEN 4 THEN 'it''s' WHEN 5 THEN '007'
                        WHEN 6 THEN ' Tver ' WHEN 7 THEN 'Tver' ELSE '😀' END`;

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
    const check = () => {
      const strata = compileStrata(db, t.databaseId, rules);
      try {
        expect(strata.split.textParts).toHaveLength(2);
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
    };
    const keys = check();
    expect(keys.size).toBeGreaterThan(20);
    db.run(`UPDATE ${profileTable(t.databaseId)} SET ${fieldColumn(city)} = 'x' || char(31) || 'y' WHERE rowid = 5`);
    check();
  });
});
