-- Campaign Planner: the split of an audience into Test and the LCG (local control group), DuckDB.
-- Reads the table "audience": one row per profile of the campaign's audience (its segment's members less the global control group), with the columns
--   "Customer ID": the profile ID as text, exactly as imported ("00123" keeps its zeros); unique, never NULL
--   "City": the field "city" (string): text; NULL or empty text is "(no value)"
-- Returns one row per profile of the audience: id, "group" ('test' or 'control'), stratum (the stratum's key; '' for "(no value)" or no stratification).
-- Seed: "b2".
-- LCG size: at most 500 profiles (M = min(N, 500)); N is the number of rows of the audience.
-- Strata by "city":
--   "city": groups "Capitals" = "Москва", "Kazan"; "Odd \"names\" \\" = "O'Hare"; keys '' (no value), "Capitals", "Odd \"names\" \\", "Other"
-- The app's rule: quotas by largest remainder (ties: md5(seed || ':stratum:' || key), then key); in each stratum the lowest
-- md5(seed || ':' || id), then id, go to the LCG. Text is compared by its UTF-8 bytes.
-- DuckDB: md5() is lowercase hex; `//` is integer division (`/` would divide as floats); text compares by bytes (the default collation).
WITH src AS (
  SELECT CAST("Customer ID" AS VARCHAR) AS id,
         NULLIF(CAST("City" AS VARCHAR), '') AS v1
  FROM "audience"
),
k AS (
  SELECT id,
         CASE WHEN v1 IS NULL THEN '' WHEN v1 IN ('Москва', 'Kazan') THEN 'Capitals' WHEN v1 IN ('O''Hare') THEN 'Odd "names" \' ELSE 'Other' END AS stratum
  FROM src
),
p AS (
  SELECT id, stratum, md5('b2:' || id) AS h FROM k
),
sizes AS (
  SELECT stratum, CAST(COUNT(*) AS BIGINT) AS n_s FROM k GROUP BY stratum
),
tot AS (
  SELECT CAST(SUM(n_s) AS BIGINT) AS n FROM sizes
),
lcg AS (
  SELECT n, CASE WHEN n < 500 THEN n ELSE 500 END AS m FROM tot
),
alloc AS (
  SELECT s.stratum AS stratum, (l.m * s.n_s) // (l.n) AS base, (l.m * s.n_s) % (l.n) AS rem, l.m AS m,
         md5('b2:stratum:' || s.stratum) AS th
  FROM sizes s CROSS JOIN lcg l
),
ranked AS (
  SELECT stratum, base, row_number() OVER (ORDER BY rem DESC, th, stratum) AS rr, m - SUM(base) OVER () AS leftover FROM alloc
),
quota AS (
  SELECT stratum, base + CASE WHEN rr <= leftover THEN 1 ELSE 0 END AS c_s FROM ranked
)
SELECT p.id AS id,
       CASE WHEN row_number() OVER (PARTITION BY p.stratum ORDER BY p.h, p.id) <= q.c_s THEN 'control' ELSE 'test' END AS "group",
       p.stratum AS stratum
FROM p JOIN quota q ON q.stratum = p.stratum;
