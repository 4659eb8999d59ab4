/**
 * Whether a campaign can use LCG settings, checked when it is created and whenever its LCG
 * is edited (not only at activation): the percentage, each stratification rule against its
 * field (the scheme's words), the number of values of a `values` rule, and the number of
 * strata the rules cut the segment's profiles into. Returns the settings normalised (dates
 * in bounds as ISO text), as they are stored.
 */
import type { LcgSettings } from '../../../shared/contract/campaigns';
import { EngineError } from '../../../shared/contract/errors';
import { parsePercent } from '../../../shared/split/percent';
import { MAX_STRATA } from '../../../shared/split/stratum-scheme';
import { profileTable } from '../databases/profile-table';
import type { SqlDb } from '../sqlite/database';
import { checkStrataCount, compileStrata, validateRules } from './strata';

export function usableLcg(db: SqlDb, databaseId: number, lcg: LcgSettings, segmentId: number | null): LcgSettings {
  if (lcg.percent !== null) {
    const reading = parsePercent(lcg.percent);
    if (!reading.ok) throw new EngineError('INVALID_ARGUMENT', `The LCG share: ${reading.problem}`);
  }
  const { fields, rules } = validateRules(db, databaseId, lcg.strata);
  const strata = compileStrata(db, databaseId, rules, 'listed');
  try {
    // Counting the strata reads the segment: only when the rules could make too many (by
    // the values the column has, not the field's list, which may hold more).
    if (segmentId !== null && strata.codes > MAX_STRATA && (!strata.rescan() || strata.codes > MAX_STRATA)) {
      const count = Number(
        db.scalar(
          `SELECT COUNT(*) FROM (SELECT DISTINCT ${strata.codeSql} FROM segment_members sm JOIN ${profileTable(databaseId)} p ON p.rowid = sm.profile_key WHERE sm.segment_id = ?)`,
          [segmentId],
        ),
      );
      checkStrataCount(
        count,
        rules.map((r) => fields.get(r.fieldId)!.name),
      );
    }
  } finally {
    strata.dispose();
  }
  return { ...lcg, strata: rules };
}
