/**
 * A database's global control group as the user sets it: a share (basis points) and a
 * seed. A new share or seed forms the group anew from every profile (the UI warns: the
 * members change); the same settings only assign profiles that arrived since (sticky).
 */
import { EngineError } from '../../../shared/contract/errors';
import type { GcgState } from '../../../shared/contract/gcg';
import { controlTotal, percentToBasisPoints } from '../../../shared/split/control-total';
import { countProfiles } from '../databases/profile-table';
import { requireDatabase } from '../databases/repository';
import type { SqlDb } from '../sqlite/database';
import { basisPointsToPercent, clearGcg, countGcgMembers, countProfilesWithGcg, forgetConsidered, growGcg, readGcgSettings, type GrowthHooks, type HashFn } from './membership';

export function gcgState(db: SqlDb, databaseId: number): GcgState {
  requireDatabase(db, databaseId);
  const settings = readGcgSettings(db, databaseId);
  const assigned = settings?.considered ?? 0;
  const size = countGcgMembers(db, databaseId);
  const bp = settings?.percentBp ?? 0;
  // The exact share of the profiles it has considered; members above it stay (sticky).
  const exact = bp === 0 ? 0 : controlTotal(assigned, { percent: basisPointsToPercent(bp) });
  return {
    databaseId,
    percent: bp / 100,
    seed: settings?.seed ?? '',
    size,
    profiles: settings ? countProfilesWithGcg(db, settings) : countProfiles(db, databaseId),
    formedClock: settings?.formedClock ?? null,
    exemptCampaignIds: db
      .all<{ id: number }>('SELECT id FROM campaigns WHERE database_id = ? AND gcg_exempt = 1 AND deleted_at IS NULL ORDER BY id', [databaseId])
      .map((r) => Number(r.id)),
    surplus: Math.max(0, size - exact),
  };
}

export interface SetGcgRequest {
  readonly databaseId: number;
  readonly percent: number | string;
  readonly seed?: string | undefined;
}

/**
 * Applies new settings; returns whether anything changed. Runs its own transaction
 * (forming a large group awaits the hashing workers; a cancel rolls everything back).
 */
export async function setGcg(
  db: SqlDb,
  request: SetGcgRequest,
  context: { readonly clock: string; readonly randomSeed: () => string; readonly hash: HashFn; readonly hooks?: GrowthHooks },
): Promise<boolean> {
  requireDatabase(db, request.databaseId);
  let bp: number;
  try {
    bp = percentToBasisPoints(request.percent);
  } catch (error) {
    throw new EngineError('INVALID_ARGUMENT', (error as Error).message.replace('LCG', 'global control group'), { percent: request.percent });
  }
  const current = readGcgSettings(db, request.databaseId);
  const seed = request.seed ?? (current?.seed || context.randomSeed());
  const upsert = (formedClock: string | null) =>
    db.run(
      `INSERT INTO gcg_settings (database_id, percent_bp, seed, formed_clock) VALUES (?, ?, ?, ?)
       ON CONFLICT (database_id) DO UPDATE SET percent_bp = excluded.percent_bp, seed = excluded.seed, formed_clock = excluded.formed_clock`,
      [request.databaseId, bp, seed, formedClock],
    );

  if (bp === 0) {
    // Removed: nobody is held out; the seed is kept for the next time.
    if (!current ? request.seed === undefined : current.percentBp === 0 && current.seed === seed) return false;
    db.transaction(() => {
      clearGcg(db, request.databaseId);
      upsert(null);
    });
    return true;
  }
  if (current && current.percentBp === bp && current.seed === seed) {
    const grown = await db.transactionAsync(() => growGcg(db, request.databaseId, context.hash, context.hooks));
    return grown.added > 0;
  }
  await db.transactionAsync(async () => {
    upsert(context.clock);
    forgetConsidered(db, request.databaseId);
    await growGcg(db, request.databaseId, context.hash, context.hooks);
  });
  return true;
}

/** Exempts a campaign from its database's GCG or undoes that; returns the database and whether it changed. */
export function setExempt(db: SqlDb, campaignId: number, exempt: boolean): { databaseId: number; changed: boolean } {
  const row = db.get<{ name: string; database_id: number; gcg_exempt: number; deleted_at: string | null }>(
    'SELECT name, database_id, gcg_exempt, deleted_at FROM campaigns WHERE id = ?',
    [campaignId],
  );
  if (!row) throw new EngineError('NOT_FOUND', `There is no campaign with id ${campaignId}.`, { campaignId });
  if (row.deleted_at !== null) {
    throw new EngineError('REFUSED', `"${String(row.name)}" is in the recycle bin; restore it before changing its exemption from the global control group.`, {
      campaignId,
    });
  }
  const databaseId = Number(row.database_id);
  if ((Number(row.gcg_exempt) === 1) === exempt) return { databaseId, changed: false };
  db.run('UPDATE campaigns SET gcg_exempt = ? WHERE id = ?', [exempt ? 1 : 0, campaignId]);
  return { databaseId, changed: true };
}
