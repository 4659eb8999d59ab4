/**
 * The transient statuses, Audience building and Audience exclusion, while their work runs.
 *
 * The engine answers one call at a time, so nothing in this engine can ask for a campaign
 * while its audience is built. The status is real all the same, in three places:
 *  - in the project: the status is set and an event recorded ("Audience building: ...")
 *    inside the work's transaction. A cancel or a failure rolls both back; success moves
 *    the campaign on to its next status and keeps the event.
 *  - in this process's UI: a progress event carries the campaign and its status; the store
 *    shows it until the operation ends and the campaign is read again.
 *  - in other processes on the same file (`cplan campaign show` in a second terminal, the
 *    app with the file open): a work note next to the project file (`spring.cplan.work.json`:
 *    the campaign, the status, the process and since when) exists while the work runs.
 *    campaign/list and campaign/get read it and show the campaign in that status, with
 *    `workElsewhere`. A note whose process is gone (killed) is stale and ignored.
 * The note is a convenience: a folder it cannot be written to does not stop the work.
 */
import { z } from 'zod';
import type { Campaign, CampaignDetail } from '../../../shared/contract/campaigns';
import type { HandlerContext } from '../registry';
import { writeJson } from '../app/json-store';
import { recordEvent } from './events';
import { clockOf, setStatus, type CampaignRecord } from './repository';

export type TransientStatus = 'audience_building' | 'audience_exclusion';

const WorkNote = z.object({
  sessionId: z.string(),
  pid: z.number().int(),
  since: z.string(),
  campaignId: z.number().int(),
  status: z.enum(['audience_building', 'audience_exclusion']),
});
type WorkNote = z.infer<typeof WorkNote>;

/** The note of work under way on the project at `projectPath`. */
export const workNotePath = (projectPath: string) => `${projectPath}.work.json`;

const PHASES: Readonly<Record<TransientStatus, string>> = {
  audience_building: 'Audience building',
  audience_exclusion: 'Audience exclusion',
};

export interface TransientWork {
  /** The engine method doing it, for the progress event. */
  readonly method: string;
  readonly campaign: CampaignRecord;
  readonly status: TransientStatus;
  /** Profiles the work concerns (the segment's, or the members leaving), for the event and the progress. */
  readonly profiles: number;
  /** The event's sentence. */
  readonly text: string;
}

/**
 * Runs `work` with the campaign in a transient status (see the module comment). Inside the
 * caller's transaction: `work` sets the next status itself.
 */
export async function inTransientStatus<T>(ctx: HandlerContext, transient: TransientWork, work: () => Promise<T>): Promise<T> {
  const session = ctx.state.requireSession();
  const { db } = session;
  const { campaign, status, profiles } = transient;
  setStatus(db, campaign.id, status);
  recordEvent(db, campaign.id, clockOf(db), status, transient.text, { data: { profiles } });
  if (ctx.operationId !== null) {
    ctx.state.emitEvent({
      event: 'progress',
      payload: {
        operationId: ctx.operationId,
        method: transient.method,
        phase: PHASES[status],
        done: 0,
        total: profiles,
        unit: 'rows',
        campaign: { campaignId: campaign.id, status },
      },
    });
  }
  const path = session.path;
  const note: WorkNote = { sessionId: session.id, pid: ctx.deps.pid, since: ctx.deps.now().toISOString(), campaignId: campaign.id, status };
  // A folder the note cannot be written to only means other processes do not see the work.
  const written = path === null ? false : await writeJson(ctx.deps, workNotePath(path), note).then(() => true, () => false);
  try {
    return await work();
  } finally {
    if (written && path !== null) await removeOwnNote(ctx, workNotePath(path), session.id);
  }
}

async function readNote(ctx: HandlerContext, path: string): Promise<WorkNote | null> {
  try {
    const parsed = WorkNote.safeParse(JSON.parse(await ctx.deps.fs.readFile(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Removes the note if it is still this session's (another process may have written its own since). */
async function removeOwnNote(ctx: HandlerContext, path: string, sessionId: string): Promise<void> {
  const note = await readNote(ctx, path);
  if (note?.sessionId === sessionId) await ctx.deps.fs.unlink(path).catch(() => undefined);
}

/** Work under way on the open project's file in another session whose process is alive; null when none. */
export async function workElsewhere(ctx: HandlerContext): Promise<WorkNote | null> {
  const session = ctx.state.requireSession();
  if (session.path === null) return null;
  const note = await readNote(ctx, workNotePath(session.path));
  if (!note || note.sessionId === session.id || !ctx.deps.isProcessAlive(note.pid)) return null;
  return note;
}

/** The campaign as it is now, with the other process's work on it (if any) in its status. */
export function showWork(campaign: Campaign, note: WorkNote | null): Campaign {
  if (!note || note.campaignId !== campaign.id) return campaign;
  return { ...campaign, status: note.status, workElsewhere: { status: note.status, pid: note.pid, since: note.since } };
}

export function showWorkInDetail(detail: CampaignDetail, note: WorkNote | null): CampaignDetail {
  return note ? { ...detail, campaign: showWork(detail.campaign, note) } : detail;
}
