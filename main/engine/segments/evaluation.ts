/**
 * Updatable and dynamic segments: a condition evaluated on the project clock into the
 * segment's stored members. An updatable segment is evaluated when it is created
 * (recalculation 1) and at each recalculation, which is kept with who joined and left, and
 * the active campaigns on it follow at once. A dynamic segment is evaluated at each use
 * (refreshDynamic: its members page, an export, the simulator, a campaign's audience build
 * and each activity run: dynamic.ts); its stored members are the last evaluation, a cache.
 */
import { EngineError } from '../../../shared/contract/errors';
import type { FollowedCampaign, Recalculation, Segment } from '../../../shared/contract/segments';
import { locate } from '../../../shared/conditions/parse';
import { parseSchedule, printSchedule, SCHEDULE_FORMS, type Schedule } from '../../../shared/domain/schedule';
import { followAudienceChange } from '../campaigns/audience';
import { readMeta } from '../project/project-file';
import type { HandlerContext } from '../registry';
import type { SqlDb } from '../sqlite/database';
import { evaluateRule, refreshDynamic, storedRule, type StoredRule } from './dynamic';
import { insertRecalculation, nextRecalculationNumber, type MembersChange } from './recalculations';
import { requireSegment } from './repository';

/** A schedule as the user typed it, read; refused with where it goes wrong. */
export function readSchedule(text: string): Schedule {
  const reading = parseSchedule(text);
  if (reading.ok) return reading.schedule;
  const at = locate(text, reading.at);
  throw new EngineError('INVALID_ARGUMENT', `The schedule does not read at column ${at.column}: ${reading.problem}`, {
    schedule: true,
    line: at.line,
    column: at.column,
    excerpt: at.excerpt,
  });
}

/** Checks the segment type against what it is made from and its schedule; returns the schedule's canonical text (updatable). */
export function checkSegmentType(type: Segment['kind'], fromKind: string, schedule: string | undefined): string | null {
  if (type !== 'updatable' && schedule !== undefined) {
    throw new EngineError('INVALID_ARGUMENT', `A schedule is for an updatable segment only; a ${type} segment has none. Remove the schedule, or make the segment updatable.`, {
      field: 'schedule',
    });
  }
  if (type === 'static') return null;
  if (fromKind !== 'condition') {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `An ${type === 'updatable' ? 'updatable' : 'dynamic'} segment is made from a condition only: give a condition (a static segment is made from all profiles, an import, a CSV list or by hand).`,
      { field: 'from' },
    );
  }
  if (type === 'dynamic') return null;
  if (schedule === undefined || schedule.trim() === '') {
    throw new EngineError('INVALID_ARGUMENT', `An updatable segment needs a schedule, such as ${SCHEDULE_FORMS}.`, { field: 'schedule' });
  }
  return printSchedule(readSchedule(schedule));
}

/** Evaluates a new updatable segment (recalculation 1, "created") or dynamic one. Inside the caller's transaction. */
export function evaluateNewSegment(db: SqlDb, segmentId: number, at: string): MembersChange {
  const rule = storedRule(db, segmentId)!;
  if (rule.kind === 'dynamic') return refreshDynamic(db, segmentId)!;
  return recordRecalculation(db, rule, 'created', at).change;
}

function recordRecalculation(db: SqlDb, rule: StoredRule, reason: Recalculation['reason'], at: string): { change: MembersChange; recalculation: Recalculation } {
  const number = nextRecalculationNumber(db, rule.id);
  const change = evaluateRule(db, rule, number);
  const recalculation: Recalculation = { number, clock: readMeta(db).clock, at, reason, ...change };
  insertRecalculation(db, rule.id, recalculation);
  return { change, recalculation };
}

const RECALCULATED_ONLY =
  'only an updatable segment is recalculated (a static segment keeps its list until you change it; a dynamic one is evaluated anew at each use)';

/**
 * Recalculates an updatable segment now: its members become what its condition gives on
 * the project clock, the recalculation is recorded, and every active campaign on it follows
 * at once. One transaction: cancelled or failed, nothing changes.
 */
export async function recalculateSegment(
  ctx: HandlerContext,
  segmentId: number,
  reason: 'manual' | 'schedule',
): Promise<{ segment: Segment; recalculation: Recalculation; campaigns: FollowedCampaign[] }> {
  const { db } = ctx.state.requireSession();
  const segment = requireSegment(db, segmentId);
  if (segment.kind !== 'updatable') {
    throw new EngineError('REFUSED', `"${segment.name}" is a ${segment.kind} segment: ${RECALCULATED_ONLY}.`, { segmentId, kind: segment.kind });
  }
  const rule = storedRule(db, segmentId)!;
  return db.transactionAsync(async () => {
    ctx.progress('Evaluating the condition', 0, null, 'rows');
    const { recalculation } = recordRecalculation(db, rule, reason, ctx.deps.now().toISOString());
    ctx.progress('Evaluating the condition', recalculation.size, recalculation.size, 'rows');
    await ctx.checkpoint();
    const campaigns = await followAudienceChange(ctx, { segmentId }, null, 'recalculation');
    return { segment: requireSegment(db, segmentId), recalculation, campaigns };
  });
}
