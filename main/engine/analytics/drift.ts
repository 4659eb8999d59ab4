/**
 * The LCG's age and drift: how long the control group has been held out (since the
 * campaign's activation, on the project clock), and how alike Test and the LCG are on the
 * profile fields today — the standardised mean difference of every number and yes/no field
 * and of each value of a list field (STATS.md §3, flagged at |SMD| > 0.1), as the simulator
 * shows it before the split. One pass over the members in SQL, every field at once.
 */
import type { LcgAge } from '../../../shared/contract/analytics';
import type { Field } from '../../../shared/contract/databases';
import { minutesBetween } from '../../../shared/domain/clock';
import { isImbalanced, smd } from '../../../shared/stats/balance';
import { sampleVariance } from '../../../shared/stats/moments';
import type { CampaignRecord } from '../campaigns/repository';
import { fieldColumn, profileTable } from '../databases/profile-table';
import { listFields } from '../databases/repository';
import type { SqlDb } from '../sqlite/database';

/** List fields with more values than this are left out (each value is a row). */
const MAX_LEVELS = 20;

type Part = { readonly field: Field; readonly level: string | null; readonly sql: string; readonly kind: 'number' | 'share' };

export function lcgAge(db: SqlDb, campaign: CampaignRecord, clock: string): LcgAge {
  const since = campaign.activatedClock;
  const days = since === null ? null : Math.max(0, minutesBetween(since, clock)) / (24 * 60);
  const parts: Part[] = [];
  for (const field of listFields(db, campaign.databaseId)) {
    const column = `p.${fieldColumn(field.id)}`;
    if (field.type === 'number' || field.type === 'boolean') parts.push({ field, level: null, sql: column, kind: field.type === 'number' ? 'number' : 'share' });
    else if (field.type === 'enum' && field.enumValues.length <= MAX_LEVELS) {
      for (const level of field.enumValues) parts.push({ field, level, sql: `(${column} = '${level.replace(/'/g, "''")}')`, kind: 'share' });
    }
  }
  if (parts.length === 0) return { since, days, rows: [] };
  // Per part: profiles with a value and their sum (and, for numbers, the sum of squares); a list value's share is of the whole group.
  const sums = parts
    .map((p, i) => (p.kind === 'number' ? `COUNT(${p.sql}) AS n${i}, TOTAL(${p.sql}) AS s${i}, TOTAL(${p.sql} * ${p.sql}) AS q${i}` : p.level === null ? `COUNT(${p.sql}) AS n${i}, TOTAL(${p.sql}) AS s${i}` : `TOTAL(${p.sql}) AS s${i}`))
    .join(', ');
  const rows = db.all(
    `SELECT m.grp AS grp, COUNT(*) AS members, ${sums}
       FROM campaign_members m JOIN ${profileTable(campaign.databaseId)} p ON p.rowid = m.profile_key
      WHERE m.campaign_id = ? AND m.forced = 0 GROUP BY m.grp`,
    [campaign.id],
  );
  const test = rows.find((r) => r.grp === 'test');
  const lcg = rows.find((r) => r.grp === 'control');
  if (!test || !lcg) return { since, days, rows: [] };
  const out: LcgAge['rows'] = [];
  parts.forEach((part, i) => {
    const moments = (r: Record<string, unknown>) => {
      const n = part.kind === 'share' && part.level !== null ? Number(r.members) : Number(r[`n${i}`]);
      const sum = Number(r[`s${i}`]);
      return { n, mean: n > 0 ? sum / n : Number.NaN, variance: part.kind === 'number' ? sampleVariance(n, sum, Number(r[`q${i}`])) : Number.NaN };
    };
    const t = moments(test);
    const c = moments(lcg);
    if (!(t.n > 0 && c.n > 0)) return;
    const varT = part.kind === 'share' ? t.mean * (1 - t.mean) : t.variance;
    const varC = part.kind === 'share' ? c.mean * (1 - c.mean) : c.variance;
    const d = smd(t.mean, varT, c.mean, varC);
    out.push({ field: part.field.name, level: part.level ?? (part.field.type === 'boolean' ? 'yes' : null), meanTest: t.mean, meanLcg: c.mean, smd: d, flagged: isImbalanced(d) });
  });
  return { since, days, rows: out };
}
