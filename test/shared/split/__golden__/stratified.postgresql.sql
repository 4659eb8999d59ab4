-- Campaign "Spring sale" (id 1), a golden file.
-- Campaign Planner: the split of an audience into Test and the LCG (local control group), PostgreSQL.
-- Reads the table "analytics"."audience": one row per profile of the campaign's audience (its segment's members less the global control group), with the columns
--   "profile_id": the profile ID as text, exactly as imported ("00123" keeps its zeros); unique, never NULL
--   "city": the field "city" (string): text; NULL or empty text is "(no value)"
--   "score": the field "score" (number): number (or text holding a number); NULL or empty text is "(no value)"
--   "birth date": the field "born" (date): date (or ISO text YYYY-MM-DD); NULL or empty text is "(no value)"
-- Returns one row per profile of the audience: id, "group" ('test' or 'control'), stratum (the stratum's key; '' for "(no value)" or no stratification).
-- Seed: "s1 it's \ ok".
-- LCG size: 7.25 % of N (725 basis points: M = (N * 725 + 5000) div 10000, rounded half up); N is the number of rows of the audience.
-- Strata by "city", "score", "born": the key is a JSON array of the rules' keys in this order:
--   "city": each value is a stratum (its key: the value as text)
--   "score": cut at 0, 10.5, 50 (each range includes its lower bound); keys '' (no value), "<0", "0..10.5", "10.5..50", ">=50"
--   "born": age in full years (birth dates [1995-11-30, 2008-11-30), [..., 1966-11-30)); keys '' (no value), "18-30", "60+", "Other"
-- Ages are counted on 2026-11-29 (the project clock's date when this query was made).
-- The app's rule: quotas by largest remainder (ties: md5(seed || ':stratum:' || key), then key); in each stratum the lowest
-- md5(seed || ':' || id), then id, go to the LCG. Text is compared by its UTF-8 bytes.
-- PostgreSQL: md5() is the lowercase hex md5 of the UTF-8 bytes (the database encoding must be UTF8);
-- SUM(bigint) is numeric, so sums are cast back to BIGINT for `/` to truncate; text is ordered with COLLATE "C" (byte order);
-- dates and timestamps are read through their text (the default DateStyle ISO).
WITH src AS (
  SELECT CAST("profile_id" AS TEXT) AS id,
         NULLIF(CAST("city" AS TEXT), '') AS v1,
         CAST(NULLIF(TRIM(CAST("score" AS TEXT)), '') AS DOUBLE PRECISION) AS v2,
         NULLIF(SUBSTR(TRIM(CAST("birth date" AS TEXT)), 1, 10), '') AS v3
  FROM "analytics"."audience"
),
k AS (
  SELECT id,
         '['
         || CASE WHEN v1 IS NULL THEN '""' ELSE '"' || CASE WHEN v1 ~ '[[:cntrl:]"\\]' THEN REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(v1, '\', '\\'), '"', '\"'), CHR(1), '\u0001'), CHR(2), '\u0002'), CHR(3), '\u0003'), CHR(4), '\u0004'), CHR(5), '\u0005'), CHR(6), '\u0006'), CHR(7), '\u0007'), CHR(8), '\b'), CHR(9), '\t'), CHR(10), '\n'), CHR(11), '\u000b'), CHR(12), '\f'), CHR(13), '\r'), CHR(14), '\u000e'), CHR(15), '\u000f'), CHR(16), '\u0010'), CHR(17), '\u0011'), CHR(18), '\u0012'), CHR(19), '\u0013'), CHR(20), '\u0014'), CHR(21), '\u0015'), CHR(22), '\u0016'), CHR(23), '\u0017'), CHR(24), '\u0018'), CHR(25), '\u0019'), CHR(26), '\u001a'), CHR(27), '\u001b'), CHR(28), '\u001c'), CHR(29), '\u001d'), CHR(30), '\u001e'), CHR(31), '\u001f') ELSE v1 END || '"' END
         || ','
         || CASE WHEN v2 IS NULL THEN '""' WHEN v2 < CAST('0' AS DOUBLE PRECISION) THEN '"<0"' WHEN v2 < CAST('10.5' AS DOUBLE PRECISION) THEN '"0..10.5"' WHEN v2 < CAST('50' AS DOUBLE PRECISION) THEN '"10.5..50"' ELSE '">=50"' END
         || ','
         || CASE WHEN v3 IS NULL THEN '""' WHEN (v3) COLLATE "C" >= '1995-11-30' AND (v3) COLLATE "C" < '2008-11-30' THEN '"18-30"' WHEN (v3) COLLATE "C" < '1966-11-30' THEN '"60+"' ELSE '"Other"' END
         || ']' AS stratum
  FROM src
),
p AS (
  SELECT id, stratum, md5('s1 it''s \ ok:' || id) AS h FROM k
),
sizes AS (
  SELECT stratum, CAST(COUNT(*) AS BIGINT) AS n_s FROM k GROUP BY stratum
),
tot AS (
  SELECT CAST(SUM(n_s) AS BIGINT) AS n FROM sizes
),
lcg AS (
  SELECT n, (n * 725 + 5000) / (10000) AS m FROM tot
),
alloc AS (
  SELECT s.stratum AS stratum, (l.m * s.n_s) / (l.n) AS base, (l.m * s.n_s) % (l.n) AS rem, l.m AS m,
         md5('s1 it''s \ ok:stratum:' || s.stratum) AS th
  FROM sizes s CROSS JOIN lcg l
),
ranked AS (
  SELECT stratum, base, row_number() OVER (ORDER BY rem DESC, (th) COLLATE "C", (stratum) COLLATE "C") AS rr, m - SUM(base) OVER () AS leftover FROM alloc
),
quota AS (
  SELECT stratum, base + CASE WHEN rr <= leftover THEN 1 ELSE 0 END AS c_s FROM ranked
)
SELECT p.id AS id,
       CASE WHEN row_number() OVER (PARTITION BY p.stratum ORDER BY (p.h) COLLATE "C", (p.id) COLLATE "C") <= q.c_s THEN 'control' ELSE 'test' END AS "group",
       p.stratum AS stratum
FROM p JOIN quota q ON q.stratum = p.stratum;
