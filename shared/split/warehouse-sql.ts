/**
 * A campaign's split as one self-contained SQL query for a warehouse (issue 13; STATS.md
 * 1.1-1.3 and 1.6): it reads a table of the audience and returns `id, "group", stratum`
 * exactly as the app splits, in PostgreSQL, DuckDB, SQLite, BigQuery, Snowflake,
 * ClickHouse or Spark SQL. growthSql assigns only the new profiles of a grown audience by
 * the sticky rule (STATS.md 1.4), as the app's campaign build does.
 *
 * Everything is computed in the query from the data, with integer arithmetic: the
 * audience size N, the control total M (percent in basis points, rounded half up, and/or
 * the limit), the largest-remainder quotas (ties: md5(seed ':stratum:' key), then key, in
 * byte order), and inside each stratum the lowest md5(seed ':' id), then id. Dialect
 * details live in sql-dialects.ts, the strata in sql-strata.ts.
 */
import { SQL_DIALECT_LABELS, type SqlDialect } from '../contract/warehouse';
import { percentToBasisPoints } from './percent';
import { DIALECTS, tableName, type Dialect } from './sql-dialects';
import { columnExpectation, compileRule, type CompiledRule, type WarehouseRule } from './sql-strata';

export { columnExpectation, type WarehouseRule };

export interface WarehouseSplit {
  readonly dialect: SqlDialect;
  readonly seed: string;
  readonly percent: number | string | null;
  readonly limit: number | null;
  readonly table: string;
  readonly idColumn: string;
  /** In stratum-key order (field id). */
  readonly rules: readonly WarehouseRule[];
  /** YYYY-MM-DD, for age rules. */
  readonly today: string | null;
  /** Extra comment lines (campaign, date, ...). */
  readonly header?: readonly string[];
}

/** The first split of an audience table: returns id, "group", stratum. */
export function splitSql(split: WarehouseSplit): string {
  const q = prepare(split);
  const { d } = q;
  const body = [
    `WITH src AS (\n  ${q.srcSelect}\n)`,
    q.keyed,
    `p AS (\n  SELECT id, stratum, ${q.idHash} AS h FROM k\n)`,
    `sizes AS (\n  SELECT stratum, ${d.toBigint('COUNT(*)')} AS n_s FROM k GROUP BY stratum\n)`,
    ...allocation(q),
  ].join(',\n');
  const select = [
    `SELECT p.id AS id,`,
    `       CASE WHEN row_number() OVER (PARTITION BY p.stratum ORDER BY ${d.bytes('p.h')}, ${d.bytes('p.id')}) <= q.c_s THEN 'control' ELSE 'test' END AS ${q.group},`,
    `       p.stratum AS stratum`,
    `FROM p JOIN quota q ON q.stratum = p.stratum`,
  ].join('\n');
  return `${header(split, q, null)}${body}\n${select};\n`;
}

/**
 * The sticky growth of an existing assignment (`assignmentTable`: columns id, "group" and
 * stratum, as splitSql or growthSql returned them) over the current audience table:
 * members still in the audience keep their group and stored stratum; members no longer in
 * it leave; the control total is recomputed on the current audience, quotas on the grown
 * strata, and each stratum's shortfall (quota less its current control) is taken from its
 * new profiles with the lowest hashes; a surplus stays. Returns everyone in the audience.
 */
export function growthSql(split: WarehouseSplit & { readonly assignmentTable: string }): string {
  const q = prepare(split);
  const { d } = q;
  const a = tableName(d, split.assignmentTable);
  const body = [
    `WITH src AS (\n  ${q.srcSelect}\n)`,
    q.keyed,
    // `known` tells a match from a miss portably (ClickHouse fills a miss with defaults, not NULL).
    // New names for the assignment's columns: ClickHouse's older analyzer reads `f(x) AS x` as a cycle.
    `old AS (\n  SELECT ${d.toText('id')} AS old_id, ${d.toText(q.group)} AS old_grp, COALESCE(${d.toText('stratum')}, '') AS old_key, 1 AS known FROM ${a}\n)`,
    `j AS (\n  SELECT c.id AS id, c.stratum AS now_stratum, COALESCE(o.known, 0) AS known, o.old_grp AS grp, o.old_key AS old_stratum\n  FROM k c LEFT JOIN old o ON o.old_id = c.id\n)`,
    `kept AS (\n  SELECT id, grp, old_stratum AS stratum FROM j WHERE known = 1\n)`,
    `fresh AS (\n  SELECT id, now_stratum AS stratum, ${q.idHash} AS h FROM j WHERE known = 0\n)`,
    `census AS (\n  SELECT stratum, ${d.toBigint('SUM(is_control)')} AS ctrl, ${d.toBigint('SUM(one)')} AS n_s FROM (\n` +
      `    SELECT stratum, CASE WHEN grp = 'control' THEN 1 ELSE 0 END AS is_control, 1 AS one FROM kept\n` +
      `    UNION ALL SELECT stratum, 0 AS is_control, 1 AS one FROM fresh\n  ) x GROUP BY stratum\n)`,
    `sizes AS (\n  SELECT stratum, n_s FROM census\n)`,
    ...allocation(q),
    `need AS (\n  SELECT q.stratum AS stratum, q.c_s - c.ctrl AS d_s FROM quota q JOIN census c ON c.stratum = q.stratum\n)`,
  ].join(',\n');
  const select = [
    `SELECT id, grp AS ${q.group}, stratum FROM kept`,
    `UNION ALL`,
    `SELECT f.id AS id,`,
    `       CASE WHEN row_number() OVER (PARTITION BY f.stratum ORDER BY ${d.bytes('f.h')}, ${d.bytes('f.id')}) <= n.d_s THEN 'control' ELSE 'test' END AS ${q.group},`,
    `       f.stratum AS stratum`,
    `FROM fresh f JOIN need n ON n.stratum = f.stratum`,
  ].join('\n');
  return `${header(split, q, split.assignmentTable)}${body}\n${select};\n`;
}

interface Prepared {
  readonly d: Dialect;
  readonly group: string;
  readonly rules: readonly CompiledRule[];
  /** SELECT of the table's rows: id as text, then v1..vk (the rules' values). */
  readonly srcSelect: string;
  /** The CTE k: id and stratum (the key) from src. */
  readonly keyed: string;
  /** SQL of M from the audience size `n`. */
  readonly total: (n: string) => string;
  readonly basisPoints: number | null;
  readonly seed: string;
  /** md5(seed ':' id) of a row's id. */
  readonly idHash: string;
}

function prepare(split: WarehouseSplit): Prepared {
  const d = DIALECTS[split.dialect];
  const rules = split.rules.map((r) => compileRule(d, r, split.today));
  const values = rules.map((r, i) => `,\n         ${r.value} AS v${i + 1}`).join('');
  const srcSelect = `SELECT ${d.toText(d.ident(split.idColumn))} AS id${values}\n  FROM ${tableName(d, split.table)}`;
  let stratum: string;
  if (rules.length === 0) stratum = "''";
  else if (rules.length === 1) stratum = rules[0]!.key('v1', false);
  else {
    const parts = rules.map((r, i) => r.key(`v${i + 1}`, true));
    stratum = d.concat([d.str('['), ...parts.flatMap((part, i) => (i === 0 ? [part] : [d.str(','), part])), d.str(']')], '         ');
  }
  const keyed = `k AS (\n  SELECT id,\n         ${stratum} AS stratum\n  FROM src\n)`;
  const basisPoints = split.percent === null ? null : percentToBasisPoints(split.percent);
  const limit = split.limit;
  if (limit !== null && (!Number.isSafeInteger(limit) || limit < 0)) throw new RangeError(`Bad LCG limit ${limit}.`);
  const smaller = (a: string, b: string) => `CASE WHEN ${a} < ${b} THEN ${a} ELSE ${b} END`;
  const total = (n: string) => {
    const byPercent = basisPoints === null ? null : d.div(`${n} * ${basisPoints} + 5000`, '10000');
    if (byPercent === null && limit === null) return '0';
    if (limit === null) return byPercent!;
    return smaller(byPercent ?? n, String(limit));
  };
  const idHash = d.md5(d.concat([d.str(`${split.seed}:`), 'id']));
  return { d, group: d.ident('group'), rules, srcSelect, keyed, total, basisPoints, seed: split.seed, idHash };
}

/** tot, lcg, alloc, ranked, quota: the control total and the largest-remainder quotas of `sizes` (stratum, n_s). */
function allocation(q: Prepared): string[] {
  const { d } = q;
  return [
    `tot AS (\n  SELECT ${d.toBigint('SUM(n_s)')} AS n FROM sizes\n)`,
    `lcg AS (\n  SELECT n, ${q.total('n')} AS m FROM tot\n)`,
    `alloc AS (\n  SELECT s.stratum AS stratum, ${d.div('l.m * s.n_s', 'l.n')} AS base, ${d.mod('l.m * s.n_s', 'l.n')} AS rem, l.m AS m,\n` +
      `         ${d.md5(d.concat([d.str(`${q.seed}:stratum:`), 's.stratum']))} AS th\n  FROM sizes s CROSS JOIN lcg l\n)`,
    `ranked AS (\n  SELECT stratum, base, row_number() OVER (ORDER BY rem DESC, ${d.bytes('th')}, ${d.bytes('stratum')}) AS rr, m - SUM(base) OVER () AS leftover FROM alloc\n)`,
    `quota AS (\n  SELECT stratum, base + CASE WHEN rr <= leftover THEN 1 ELSE 0 END AS c_s FROM ranked\n)`,
  ];
}

/** The comments that open the query: what it reads and returns, the campaign's settings, the dialect's traps. */
function header(split: WarehouseSplit, q: Prepared, assignmentTable: string | null): string {
  const d = q.d;
  const lines: string[] = [...(split.header ?? [])];
  lines.push(
    `Campaign Planner: ${assignmentTable === null ? 'the split of an audience' : 'the growth of an existing split'} into Test and the LCG (local control group), ${SQL_DIALECT_LABELS[split.dialect]}.`,
    `Reads the table ${tableName(d, split.table)}: one row per profile of the campaign's audience (its segment's members less the global control group), with the columns`,
    `  ${d.ident(split.idColumn)}: the profile ID as text, exactly as imported ("00123" keeps its zeros); unique, never NULL`,
    ...split.rules.map((r) => `  ${d.ident(r.column)}: the field "${r.field}" (${r.type}): ${columnExpectation(r.type)}; NULL or empty text is "(no value)"`),
  );
  if (assignmentTable !== null) {
    lines.push(
      `and the table ${tableName(d, assignmentTable)} of the existing assignment: columns id, ${q.group} ('test' or 'control') and stratum,`,
      'as the first query (or an earlier growth) returned them. Members still in the audience keep their group and stratum; members no longer in it leave;',
      'the control total is recomputed on the current audience and the quotas on the grown strata; each stratum takes its shortfall from its new',
      'profiles with the lowest hashes; nobody assigned moves (a surplus stays).',
    );
  }
  lines.push(
    `Returns one row per profile of the audience: id, ${q.group} ('test' or 'control'), stratum (the stratum's key; '' for "(no value)" or no stratification).`,
    `Seed: "${split.seed}".`,
    `LCG size: ${sizeWords(q.basisPoints, split.limit)}; N is the number of rows of the audience.`,
  );
  if (split.rules.length === 0) lines.push('Strata: none (one stratum, key \'\').');
  else {
    lines.push(`Strata by ${split.rules.map((r) => `"${r.field}"`).join(', ')}${split.rules.length > 1 ? ": the key is a JSON array of the rules' keys in this order" : ''}:`);
    split.rules.forEach((r, i) => lines.push(`  "${r.field}": ${q.rules[i]!.words}`));
  }
  if (split.rules.some((r) => r.spec.kind === 'age')) lines.push(`Ages are counted on ${split.today ?? '(no date)'} (the project clock's date when this query was made).`);
  lines.push(
    "The app's rule: quotas by largest remainder (ties: md5(seed || ':stratum:' || key), then key); in each stratum the lowest",
    "md5(seed || ':' || id), then id, go to the LCG. Text is compared by its UTF-8 bytes.",
    ...d.notes,
  );
  const comment = lines.map((l) => `-- ${l.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ')}`.trimEnd()).join('\n');
  return `${comment}\n`;
}

function sizeWords(basisPoints: number | null, limit: number | null): string {
  const percent = basisPoints === null ? null : `${basisPoints / 100} % of N (${basisPoints} basis points: M = (N * ${basisPoints} + 5000) div 10000, rounded half up)`;
  if (percent === null && limit === null) return 'none (M = 0: everyone in Test)';
  if (limit === null) return percent!;
  return percent === null ? `at most ${limit} profiles (M = min(N, ${limit}))` : `${percent}, at most ${limit} profiles`;
}
