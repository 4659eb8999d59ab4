/**
 * A campaign's timeline (`campaign/timeline`): its Test and LCG sizes at each moment of the
 * project clock they changed (the sizes log, campaign_sizes, kept by counts.ts), the
 * profiles that joined and left at each moment (their per-profile events), and the runs of
 * its activities. A file written before format 10 has no sizes log: its campaigns show the
 * sizes each build left (split_versions) and the sizes now (or at completion).
 */
import { RunKind, type TimelinePoint, type TimelineRun } from '../../../shared/contract/clock';
import type { SqlDb } from '../sqlite/database';
import { storedValue } from '../sqlite/stored-values';
import { groupSizes } from './counts';
import { profileMovesByClock } from './events';
import { clockOf, type CampaignRecord } from './repository';

interface Sizes {
  readonly clock: string;
  readonly test: number;
  readonly control: number;
}

/** Each build of a campaign (its split versions), in order: its time, the sizes it left (its strata), how many it took in. */
function builds(db: SqlDb, campaignId: number): (Sizes & { joined: number })[] {
  return db
    .all<{ clock: string; size: number; control: number; joined: number }>(
      `SELECT v.clock, v.joined,
              (SELECT COALESCE(SUM(s.value ->> 'size'), 0) FROM json_each(v.strata) s) AS size,
              (SELECT COALESCE(SUM(s.value ->> 'control'), 0) FROM json_each(v.strata) s) AS control
         FROM split_versions v WHERE v.campaign_id = ? ORDER BY v.id`,
      [campaignId],
    )
    .map((r) => ({ clock: String(r.clock), test: Number(r.size) - Number(r.control), control: Number(r.control), joined: Number(r.joined) }));
}

/**
 * The known sizes in time order: the log. A campaign built before the log existed (a file
 * of an earlier format) has its builds instead, the sizes each left, then its sizes now (at
 * completion, when it is completed); a log that starts later has those builds before it.
 */
function knownSizes(db: SqlDb, campaign: CampaignRecord, built: readonly Sizes[]): Sizes[] {
  const log = db
    .all<{ clock: string; test: number; control: number }>('SELECT clock, test, control FROM campaign_sizes WHERE campaign_id = ? ORDER BY seq', [campaign.id])
    .map((r) => ({ clock: String(r.clock), test: Number(r.test), control: Number(r.control) }));
  if (log.length > 0) return [...built.filter((b) => b.clock < log[0]!.clock), ...log];
  if (built.length === 0) return [];
  const now = groupSizes(db, campaign.id);
  const last = built[built.length - 1]!;
  const end = { clock: campaign.completedClock ?? clockOf(db), test: now.test, control: now.control };
  return end.clock > last.clock ? [...built, end] : [...built.slice(0, -1), { ...end, clock: last.clock }];
}

/** The points of the timeline: every moment the sizes changed or profiles joined or left. */
export function timelinePoints(db: SqlDb, campaign: CampaignRecord): TimelinePoint[] {
  const built = builds(db, campaign.id);
  const sizes = knownSizes(db, campaign, built);
  const moves = profileMovesByClock(db, campaign.id);
  // The first build takes its audience in without an event per profile: it joined then.
  const first = built[0];
  if (first !== undefined && first.joined > 0) {
    const at = moves.get(first.clock) ?? { joined: 0, left: 0 };
    moves.set(first.clock, { ...at, joined: at.joined + first.joined });
  }
  const clocks = [...new Set([...sizes.map((s) => s.clock), ...moves.keys()])].sort();
  const points: TimelinePoint[] = [];
  let next = 0;
  let current = { test: 0, control: 0 };
  for (const clock of clocks) {
    // Sizes hold until the next logged change (a step line).
    while (next < sizes.length && sizes[next]!.clock <= clock) current = sizes[next++]!;
    const moved = moves.get(clock) ?? { joined: 0, left: 0 };
    points.push({ clock, test: current.test, control: current.control, joined: moved.joined, left: moved.left });
  }
  return points;
}

/** The runs of the campaign's activities, in time order. */
export function timelineRuns(db: SqlDb, campaignId: number): TimelineRun[] {
  return db
    .all<{ id: number; activity_id: number; name: string; type: string; kind: string; clock: string; test: number; control: number }>(
      `SELECT r.id, r.activity_id, a.name, a.type, r.kind, r.clock, r.test, r.control
         FROM activity_runs r JOIN activities a ON a.id = r.activity_id
        WHERE r.campaign_id = ? ORDER BY r.clock, r.id`,
      [campaignId],
    )
    .map((r) => ({
      runId: Number(r.id),
      activityId: Number(r.activity_id),
      name: String(r.name),
      type: String(r.type),
      kind: storedValue(RunKind, r.kind, `the kind of activity run ${Number(r.id)}`),
      clock: String(r.clock),
      test: Number(r.test),
      control: Number(r.control),
    }));
}

export function campaignTimeline(db: SqlDb, campaign: CampaignRecord): { points: TimelinePoint[]; runs: TimelineRun[] } {
  return { points: timelinePoints(db, campaign), runs: timelineRuns(db, campaign.id) };
}
