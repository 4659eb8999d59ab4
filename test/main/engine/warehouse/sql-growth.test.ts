/**
 * The growth query (warehouse/sql, kind "growth") gives the app's sticky growth ID by ID on
 * SQLite, PostgreSQL and DuckDB: the campaign is activated on part of the profiles, some
 * members' values change (their stored stratum stays), some members leave the segment,
 * new profiles join it and the app grows the campaign; the query reads the first
 * assignment and the grown audience. Another seed: WAREHOUSE_SQL_SEED=7 npx vitest run ...
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appProject, csvCell, FIELDS, makeLcg, makeProfiles, random, TABLE_COLUMNS, tableRows, type CaseLcg, type CaseProfile } from './app-case';
import { expectSameRows, useEngines } from './engines';
import { writeCsv } from '../import/helpers';

const BASE_SEED = Number(process.env.WAREHOUSE_SQL_SEED ?? 20261205) + 1000;
const CASES = 6;

/** Fixed beside the random ones: three rules, one of them an age (stored strata that ages would change). */
const FIXED: readonly CaseLcg[] = [{ percent: '12.5', limit: null, rules: [{ field: 5, spec: { kind: 'values' } }, { field: 2, spec: FIELDS[2]!.rules[2]! }, { field: 4, spec: { kind: 'values' } }] }];

const engines = useEngines();

describe('the warehouse growth query and the app sticky growth', () => {
  for (let c = 0; c < CASES + FIXED.length; c += 1) {
    it(`case ${c} (seed ${BASE_SEED + c}): every engine grows the split as the app does`, async () => {
      const r = random(BASE_SEED + c);
      const firstSize = 20 + r.int(300);
      const all = makeProfiles(r, firstSize + 10 + r.int(200));
      const first = all.slice(0, firstSize);
      const lcg = c < CASES ? makeLcg(r, firstSize) : FIXED[c - CASES]!;
      const app = await appProject(all, first.map((p) => p.id), lcg, `grow-${c}`);
      const assignment = app.members();
      expect(assignment).toHaveLength(firstSize);

      // Some members' values change: their stored stratum stays (the app does not move them).
      const changed = new Map<string, CaseProfile>();
      for (const p of first) if (r.chance(0.15)) changed.set(p.id, { id: p.id, cells: FIELDS.map((f) => f.cell(r)) });
      if (changed.size > 0) {
        const csv = `profile_id,${FIELDS.map((f) => f.name).join(',')}\n${[...changed.values()].map((p) => [p.id, ...p.cells].map(csvCell).join(',')).join('\n')}\n`;
        const path = writeCsv(app.t.dir, 'changes.csv', csv);
        await app.t.importFile(path, {
          target: { databaseId: app.databaseId },
          emptyCells: 'clear',
          options: { delimiter: ',', hasHeader: true },
          mapping: () => [{ column: 0, target: { kind: 'profileId' } }, ...app.fieldIds.map((fieldId, i) => ({ column: i + 1, target: { kind: 'field' as const, fieldId } }))],
        });
      }
      // Members leave the segment, then new profiles join it: the active campaign follows each change.
      const leavers = first.filter(() => r.chance(0.2)).map((p) => p.id);
      if (leavers.length > 0) await app.t.call('segment/removeProfiles', { segmentId: app.segmentId, profileIds: leavers });
      const joining = all.slice(firstSize).map((p) => p.id);
      await app.t.call('segment/addProfiles', { segmentId: app.segmentId, profileIds: joining });
      const expected = app.members();
      const gone = new Set(leavers);
      const audience = all.filter((p) => !gone.has(p.id)).map((p) => changed.get(p.id) ?? p);
      expect(expected).toHaveLength(audience.length);

      const textual = c % 2 === 0;
      const rows = tableRows(audience, textual, r);
      const assignmentRows = assignment.map((a) => [a.id, a.group, a.stratum === '' && r.chance(0.5) ? null : a.stratum]);
      for (const engine of engines()) {
        await engine.load('audience', TABLE_COLUMNS, rows, textual);
        await engine.load('assignment', [{ name: 'id', type: null }, { name: 'group', type: null }, { name: 'stratum', type: null }], assignmentRows, true);
        expectSameRows(await engine.run(await app.sql(engine.dialect, 'growth')), expected, `${engine.dialect}, ${textual ? 'text' : 'typed'} columns, LCG ${JSON.stringify(lcg)}`);
      }
    }, 60_000);
  }

  it('the growth query is written to a file whole, and says what it reads', async () => {
    const r = random(BASE_SEED);
    const profiles = makeProfiles(r, 5);
    const app = await appProject(profiles, profiles.map((p) => p.id), FIXED[0]!, 'file');
    const path = join(app.t.dir, 'grow.sql');
    const result = await app.t.call('warehouse/sql', { campaignId: app.campaignId, dialect: 'duckdb', kind: 'growth', assignmentTable: 'warehouse.assigned', path });
    expect(result).toMatchObject({ kind: 'growth', assignmentTable: 'warehouse.assigned', path, fileName: 'spring-sale.growth.duckdb.sql' });
    expect(result.sql).toContain('FROM "warehouse"."assigned"');
  });
});
