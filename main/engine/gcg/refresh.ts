import type { HandlerContext } from '../registry';
import { growGcg, poolHash, readGcgSettings, type GrowthHooks } from './membership';

/** Progress (in profiles) and cancel for GCG work done by a handler. */
export function growthHooks(ctx: HandlerContext): GrowthHooks {
  return {
    progress: (phase, done, total) => ctx.progress(phase, done, total, 'rows'),
    checkpoint: () => ctx.checkpoint(),
  };
}

/**
 * Assigns the profiles that arrived since the GCG last looked (sticky growth), so what the
 * user sees or exports is current. A reading call (gcg/get, gcg/members, an export) that
 * assigned anyone has changed the project, so it is marked changed here.
 */
export async function refreshGcg(ctx: HandlerContext, databaseId: number): Promise<void> {
  const session = ctx.state.requireSession();
  const { db } = session;
  const settings = readGcgSettings(db, databaseId);
  if (!settings || settings.percentBp === 0) return;
  const grown = await db.transactionAsync(() => growGcg(db, databaseId, poolHash(ctx.deps.splitPool), growthHooks(ctx)));
  if (grown.added > 0) {
    session.markChanged();
    ctx.state.emitProjectChanged();
  }
}
