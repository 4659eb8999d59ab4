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
 *    the campaign, the status, the process and since when) says so until the file holds the
 *    result. It is written when the work starts, marked finished when it ends, and removed
 *    when the project is saved (a failed or cancelled work removes it at once, as nothing
 *    changed). campaign/list and campaign/get read it and show the campaign in that status,
 *    with `workElsewhere`. A note whose process is gone (killed), or whose finished work the
 *    file already holds (saved after it finished), is stale and ignored.
 * The note is a convenience: a folder it cannot be written to does not stop the work.
 */
import { z } from 'zod';
import type { Campaign, CampaignDetail } from '../../../shared/contract/campaigns';
import type { ProjectSession } from '../project/session';
import type { HandlerContext } from '../registry';
import { writeJson } from '../app/json-store';
import { recordEvent } from './events';
import { clockOf, setStatus, type CampaignRecord } from './repository';

export type TransientStatus = 'audience_building' | 'audience_exclusion';

const WorkNote = z.object({
  sessionId: z.string(),
  pid: z.number().int(),
  since: z.string(),
  /** When the work ended (its result not saved yet); null while it runs. */
  finishedAt: z.string().nullable(),
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
  const path = session.path === null ? null : workNotePath(session.path);
  const note: WorkNote = { sessionId: session.id, pid: ctx.deps.pid, since: ctx.deps.now().toISOString(), finishedAt: null, campaignId: campaign.id, status };
  // A folder the note cannot be written to only means other processes do not see the work.
  const write = (value: WorkNote) => (path === null ? Promise.resolve(false) : writeJson(ctx.deps, path, value).then(() => true, () => false));
  const written = await write(note);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    if (written && path !== null) await removeOwnNote(ctx, path, session.id);
    throw error;
  }
  // Done in memory; the file shows it once saved (saving removes the note: settleWorkNotes).
  if (written && path !== null) {
    if (await write({ ...note, finishedAt: ctx.deps.now().toISOString() })) {
      const paths = unsettled.get(session) ?? new Set<string>();
      unsettled.set(session, paths.add(path));
    } else {
      // A note that cannot say the work ended must not say it still runs.
      await removeOwnNote(ctx, path, session.id);
    }
  }
  return result;
}

/** Notes of finished work whose result is not saved yet, per session. */
const unsettled = new WeakMap<ProjectSession, Set<string>>();

/** After a save: the file holds the finished work's result, so its notes go. */
export async function settleWorkNotes(ctx: HandlerContext): Promise<void> {
  const session = ctx.state.requireSession();
  const paths = unsettled.get(session);
  if (!paths) return;
  unsettled.delete(session);
  for (const path of paths) await removeOwnNote(ctx, path, session.id);
}

async function readNote(deps: HandlerContext['deps'], path: string): Promise<WorkNote | null> {
  try {
    const parsed = WorkNote.safeParse(JSON.parse(await deps.fs.readFile(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Removes the note if it is still this session's (another process may have written its own since). */
async function removeOwnNote(ctx: HandlerContext, path: string, sessionId: string): Promise<void> {
  const note = await readNote(ctx.deps, path);
  if (note?.sessionId === sessionId) await ctx.deps.fs.unlink(path).catch(() => undefined);
}

/** A note another process keeps and that still applies: its process alive, its result not in the file yet. */
async function othersNote(deps: HandlerContext['deps'], projectPath: string, ownSessionId: string | null): Promise<WorkNote | null> {
  const note = await readNote(deps, workNotePath(projectPath));
  if (!note || note.sessionId === ownSessionId || !deps.isProcessAlive(note.pid)) return null;
  if (note.finishedAt !== null) {
    const saved = await deps.fs.stat(projectPath).then((s) => s.mtime.toISOString(), () => null);
    if (saved !== null && saved >= note.finishedAt) return null;
  }
  return note;
}

/** The note another process kept when a session read its file: that copy predates the work's result. */
const seenAtOpen = new WeakMap<ProjectSession, WorkNote>();

/**
 * Reads the note of another process's work before the file itself is read (project/open):
 * reading a big file takes seconds, and the work may end meanwhile, but the copy read
 * still shows the campaign as it was before.
 */
export async function workBeforeOpen(deps: HandlerContext['deps'], projectPath: string): Promise<(session: ProjectSession) => void> {
  const note = await othersNote(deps, projectPath, null);
  return (session) => {
    if (note) seenAtOpen.set(session, note);
  };
}

/**
 * Work on the open project's file in another session whose result the copy open here does
 * not hold: a note that applies now, or the one there was when the file was read.
 */
export async function workElsewhere(ctx: HandlerContext): Promise<WorkNote | null> {
  const session = ctx.state.requireSession();
  if (session.path === null) return null;
  return (await othersNote(ctx.deps, session.path, session.id)) ?? seenAtOpen.get(session) ?? null;
}

/** The campaign as it is now, with the other process's work on it (if any) in its status. */
export function showWork(campaign: Campaign, note: WorkNote | null): Campaign {
  if (!note || note.campaignId !== campaign.id) return campaign;
  return { ...campaign, status: note.status, workElsewhere: { status: note.status, pid: note.pid, since: note.since, finishedAt: note.finishedAt } };
}

export function showWorkInDetail(detail: CampaignDetail, note: WorkNote | null): CampaignDetail {
  return note ? { ...detail, campaign: showWork(detail.campaign, note) } : detail;
}
