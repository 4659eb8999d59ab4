import { EngineError } from '../../../shared/contract/errors';
import type { SqlDb, SqlValue } from '../sqlite/database';

export interface KeyedIds {
  readonly count: number;
  /** profile_key (the rowid in profiles_<database>) of each row, in query order. */
  readonly keys: Float64Array;
  /** The profile IDs as UTF-8, separated by U+001F (see shared/split/hash-ids.ts). */
  readonly packed: Uint8Array;
  /** A small integer per row (a stratum number), when the query has a third column. */
  readonly strata: Int32Array | null;
}

const CHUNK = 50_000;
const TEMP = 'temp.read_profiles';

/**
 * Reads the rows of `query` — `SELECT profile_key, profile_id [, stratum] ...` — into typed
 * arrays. A row at a time would cost a JavaScript call per value (about a microsecond each
 * in WebAssembly); instead the rows are numbered in a temporary table and read back
 * 50,000 at a time as three group_concat strings, the IDs as one blob ready for hashing.
 * The query is our own SQL; values are bound through `params`.
 */
export function readKeyedIds(db: SqlDb, query: string, params: SqlValue[] = [], withStrata = false): KeyedIds {
  db.exec(`DROP TABLE IF EXISTS ${TEMP}`);
  db.exec(`CREATE TEMP TABLE read_profiles (pos INTEGER PRIMARY KEY, k INTEGER NOT NULL, id TEXT NOT NULL, s INTEGER)`);
  try {
    db.run(`INSERT INTO ${TEMP} (k, id, s) SELECT * ${withStrata ? '' : ', NULL'} FROM (${query})`, params);
    const count = Number(db.scalar(`SELECT COUNT(*) FROM ${TEMP}`));
    if (Number(db.scalar(`SELECT EXISTS (SELECT 1 FROM ${TEMP} WHERE instr(id, char(31)) > 0)`)) === 1) {
      const bad = String(db.scalar(`SELECT id FROM ${TEMP} WHERE instr(id, char(31)) > 0 LIMIT 1`));
      throw new EngineError('REFUSED', `The profile ID ${JSON.stringify(bad)} contains a control character (U+001F), which a split cannot use.`);
    }
    const keys = new Float64Array(count);
    const strata = withStrata ? new Int32Array(count) : null;
    const parts: Uint8Array[] = [];
    let packedLength = 0;
    for (let start = 1; start <= count; start += CHUNK) {
      const row = db.get<{ k: string; ids: Uint8Array; s: string | null }>(
        `SELECT group_concat(k, ',') AS k, CAST(group_concat(id, char(31)) AS BLOB) AS ids, group_concat(s, ',') AS s
           FROM ${TEMP} WHERE pos BETWEEN ? AND ?`,
        [start, start + CHUNK - 1],
      );
      if (!row) break;
      const offset = start - 1;
      String(row.k)
        .split(',')
        .forEach((value, i) => (keys[offset + i] = Number(value)));
      if (strata && row.s !== null) {
        String(row.s)
          .split(',')
          .forEach((value, i) => (strata[offset + i] = Number(value)));
      }
      parts.push(row.ids);
      packedLength += row.ids.length + 1;
    }
    const packed = new Uint8Array(Math.max(0, packedLength - 1));
    let at = 0;
    parts.forEach((part, i) => {
      packed.set(part, at);
      at += part.length;
      if (i < parts.length - 1) packed[at++] = 0x1f;
    });
    return { count, keys, packed, strata };
  } finally {
    db.exec(`DROP TABLE IF EXISTS ${TEMP}`);
  }
}
