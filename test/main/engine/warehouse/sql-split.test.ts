/**
 * The campaign's SQL (warehouse/sql) run on SQLite (sql.js), PostgreSQL (PGlite) and DuckDB
 * gives the app's split ID by ID: seeded-random cases of sizes, percents (fractions, a
 * comma), limits, 0-3 strata of every kind with empty values, IDs with leading zeros,
 * Cyrillic and characters beyond U+FFFF; typed columns, and all-text columns. Another seed:
 * WAREHOUSE_SQL_SEED=123 npx vitest run test/main/engine/warehouse/sql-split.test.ts
 */
import { describe, expect, it } from 'vitest';
import { appProject, FIELDS, makeLcg, makeProfiles, random, TABLE_COLUMNS, tableRows, type CaseLcg } from './app-case';
import { expectSameRows, useEngines } from './engines';

const BASE_SEED = Number(process.env.WAREHOUSE_SQL_SEED ?? 20261205);
const CASES = 10;
const SIZES = [1, 9, 60, 240, 700];

/** Cases fixed beside the random ones: `values` keys from data in a JSON array (text to escape, numbers, yes/no), and ages. */
const FIXED: readonly CaseLcg[] = [
  { percent: '7.25', limit: null, rules: [{ field: 0, spec: { kind: 'values' } }, { field: 1, spec: { kind: 'values' } }, { field: 2, spec: FIELDS[2]!.rules[2]! }] },
  { percent: '15', limit: 40, rules: [{ field: 4, spec: { kind: 'values' } }, { field: 0, spec: { kind: 'values' } }] },
  { percent: 3.5, limit: null, rules: [{ field: 1, spec: { kind: 'values' } }] },
  { percent: '20', limit: 55, rules: [{ field: 2, spec: FIELDS[2]!.rules[1]! }, { field: 3, spec: FIELDS[3]!.rules[0]! }, { field: 0, spec: FIELDS[0]!.rules[2]! }] },
];

const engines = useEngines();
/** Every stratum key the app gave, to show the cases reach what they claim to. */
const keys = new Set<string>();

describe('the warehouse query and the app split', () => {
  for (let c = 0; c < CASES + FIXED.length; c += 1) {
    it(`case ${c} (seed ${BASE_SEED + c}): every engine gives the app's groups and strata`, async () => {
      const r = random(BASE_SEED + c);
      const size = c < SIZES.length ? SIZES[c]! : 50 + r.int(600);
      const profiles = makeProfiles(r, size);
      const lcg = c < CASES ? makeLcg(r, size) : FIXED[c - CASES]!;
      const app = await appProject(
        profiles,
        profiles.map((p) => p.id),
        lcg,
        r.pick(['s1', 'seed with a quote \' and \\ backslash', 'кампания', `${r.int(1e9)}`]),
      );
      const expected = app.members();
      expect(expected).toHaveLength(size);
      for (const row of expected) keys.add(row.stratum);
      // Typed columns in even cases, all text in odd ones.
      const textual = c % 2 === 1;
      const rows = tableRows(profiles, textual, r);
      for (const engine of engines()) {
        await engine.load('audience', TABLE_COLUMNS, rows, textual);
        const sql = await app.sql(engine.dialect, 'split', engine.dialect === 'postgresql' ? 'public.audience' : 'main.audience');
        expectSameRows(await engine.run(sql), expected, `${engine.dialect}, ${textual ? 'text' : 'typed'} columns, LCG ${JSON.stringify(lcg)}`);
      }
    }, 60_000);
  }

  it('the cases cover escaped text keys, decimal and whole numbers, yes/no, ages, ranges, intervals and "(no value)"', () => {
    const parts = [...keys].flatMap((k) => (k.startsWith('[') ? (JSON.parse(k) as string[]) : [k]));
    for (const part of ['tab\there', 'back\\slash', 'say "hi"', "O'Hare", 'Москва', '12.25', '3', 'true', 'false', '18-30', '60+', 'Other', '', 'Boomers', '<2024-01-01']) {
      expect(parts, part).toContain(part);
    }
    expect([...keys].some((k) => k.includes('\\t'))).toBe(true);
  });
});
