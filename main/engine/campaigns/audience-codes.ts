/**
 * An audience's keys, IDs and stratum codes, read in one pass for a build, a preview or the
 * simulator (see readAudienceCodes).
 */
import { readKeyedIds, readKeyedIdsWithText, type KeyedIds } from '../split/read-profiles';
import type { SqlDb, SqlValue } from '../sqlite/database';
import type { CompiledStrata } from './strata';
import { addTextCodes, joinedTextSql } from './text-codes';

/**
 * Keys, IDs (empty without `withIds`) and stratum codes of `from` (a FROM ... WHERE with the
 * profile row aliased `p` and segment members `sm`), in one pass. The text rules' parts are
 * computed here from the raw bytes (see text-codes.ts); if a value holds a separator
 * character, the whole code comes from SQL instead. An enum field's list of values that misses
 * one of the audience's values is read again from the column (CompiledStrata.rescan).
 * `onIds` gets the keys and IDs (no strata) as soon as SQL gave them, before the texts are
 * classified (once per read: the same rows in the same order each time).
 */
export function readAudienceCodes(db: SqlDb, strata: CompiledStrata, from: string, params: SqlValue[], withIds = true, onIds?: (ids: KeyedIds) => void): KeyedIds {
  const id = withIds ? 'p.profile_id' : "''";
  if (!strata.stratified) return readKeyedIds(db, `SELECT sm.profile_key, ${id} ${from}`, params);
  const { sql, textParts } = strata.split;
  if (textParts.length > 0) {
    // Rules on text columns only: no column of zeros to read.
    const numbers = sql === '0' ? '' : `${sql}, `;
    const read = readKeyedIdsWithText(db, `SELECT sm.profile_key, ${id}, ${numbers}${joinedTextSql(textParts)} ${from}`, params, numbers !== '');
    onIds?.({ count: read.count, keys: read.keys, packed: read.packed, strata: null });
    const codes = read.strata!;
    const outcome = codes.some((code) => code < 0) ? 'unknown' : addTextCodes(codes, read.count, read.text, textParts);
    if (outcome === 'done') return { count: read.count, keys: read.keys, packed: read.packed, strata: codes };
  } else {
    const read = readKeyedIds(db, `SELECT sm.profile_key, ${id}, ${strata.codeSql} ${from}`, params, true);
    if (!read.strata!.some((code) => code < 0)) return read;
  }
  // A value a list lacked (read again, from the column's values), or a text holding a separator (SQL computes the whole code).
  if (strata.rescan()) return readAudienceCodes(db, strata, from, params, withIds, onIds);
  return readKeyedIds(db, `SELECT sm.profile_key, ${id}, ${strata.codeSql} ${from}`, params, true);
}
