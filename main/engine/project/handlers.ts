import { basename } from 'node:path';
import { EngineError } from '../../../shared/contract/errors';
import type { ProjectInfo } from '../../../shared/contract/project';
import type { CampaignStatus } from '../../../shared/domain/campaign-status';
import { settleWorkNotes, workBeforeOpen } from '../campaigns/work';
import { defineHandlers, type HandlerContext } from '../registry';
import { createProjectDb, readMeta, readProjectFile, writeMeta } from './project-file';
import { writeProject, writtenFiles } from './save-project';
import { schemaVersionOf } from './schema';
import { ProjectSession } from './session';
import { countProfiles } from '../databases/profile-table';

function openFromDisk(path: string, ctx: HandlerContext, clean = false) {
  const { deps } = ctx;
  const written = writtenFiles(ctx);
  return readProjectFile(deps.fs, path, {
    sql: deps.sql,
    maxProjectBytes: deps.maxProjectBytes,
    signal: ctx.signal,
    onProgress: (phase, done, total) => ctx.progress(phase, done, total, 'bytes'),
    yieldBetweenChunks: () => ctx.checkpoint(),
    clean,
    ...(deps.checkTimeLimitMs ? { checkTimeLimitMs: deps.checkTimeLimitMs } : {}),
    pid: deps.pid,
    isProcessAlive: deps.isProcessAlive,
    wroteThis: (identity) => written.wroteThis(path, identity),
  });
}

/**
 * Writes the open project to `path` (save-project.ts: nothing when nothing changed, the
 * changed pages in place, or the whole file; `wholeFile` for Save As); the session then
 * belongs to it.
 */
async function saveTo(path: string, ctx: HandlerContext, options: { readonly wholeFile: boolean }): Promise<void> {
  const session = ctx.state.requireSession();
  const { deps } = ctx;
  await writeProject(session, path, ctx, options);
  const hadRecoveryFor = session.id;
  session.path = path;
  session.dirty = false;
  session.recovered = false;
  session.savedAt = deps.now().toISOString();
  session.hasRecoveryCopy = false;
  session.cleaned = [];
  session.fileSchemaVersion = schemaVersionOf(session.db);
  await ctx.state.recovery.discard(hadRecoveryFor).catch(() => undefined);
  await settleWorkNotes(ctx);
  await ctx.state.recent.touch(path, readMeta(session.db, path).name).catch(() => undefined);
  ctx.state.emitProjectChanged();
}

export const projectHandlers = defineHandlers({
  'project/state': (_args, { state }) => state.projectState(),

  'project/new': async ({ name, clock, discard }, { state, deps }) => {
    state.ensureCanDrop(discard);
    const db = createProjectDb(deps.sql, { name: name ?? 'Untitled project', now: deps.now(), appVersion: deps.appVersion, clock });
    const session = new ProjectSession(deps.randomId(), db, null, null, false);
    await state.replaceSession(session);
    return session.state();
  },

  'project/open': async ({ path, discard, clean }, ctx) => {
    const { state, deps } = ctx;
    state.ensureCanDrop(discard);
    const noteWork = await workBeforeOpen(deps, path);
    const opened = await openFromDisk(path, ctx, clean);
    const session = new ProjectSession(deps.randomId(), opened.db, path, deps.now().toISOString(), false);
    session.onDisk = { path, identity: opened.identity };
    noteWork(session);
    session.fileSchemaVersion = opened.migratedFrom ?? schemaVersionOf(opened.db);
    if (opened.cleaned.length > 0) {
      // The cleaned copy is not the file: unsaved until the user saves it (Save replaces the file, Save As keeps it).
      session.cleaned = opened.cleaned;
      session.markChanged();
    }
    await state.replaceSession(session);
    await state.recent.touch(path, opened.meta.name).catch(() => undefined);
    // Checked in full just now: while nobody changes it, opening it again need not (written-files.ts).
    if (opened.integrityChecked) await writtenFiles(ctx).remember(path, opened.identity).catch(() => undefined);
    return session.state();
  },

  'project/save': async (_args, ctx) => {
    const session = ctx.state.requireSession();
    if (session.path === null) {
      throw new EngineError('REFUSED', 'This project has never been saved: choose a file with Save As.');
    }
    await saveTo(session.path, ctx, { wholeFile: false });
    return session.state();
  },

  'project/saveAs': async ({ path, overwrite }, ctx) => {
    const session = ctx.state.requireSession();
    if (!overwrite) {
      const exists = await ctx.deps.fs.stat(path).then(
        () => true,
        () => false,
      );
      if (exists) {
        throw new EngineError('ALREADY_EXISTS', `"${basename(path)}" already exists. Confirm to replace it.`, { path });
      }
    }
    // Save As writes a whole new file, even over the project's own file.
    await saveTo(path, ctx, { wholeFile: true });
    return session.state();
  },

  'project/close': async ({ discard }, { state }) => {
    state.ensureCanDrop(discard);
    await state.replaceSession(null);
    return { open: false as const };
  },

  'project/update': ({ name, description }, { state }) => {
    const session = state.requireSession();
    writeMeta(session.db, { name, description });
    return session.state();
  },

  'project/info': async (_args, { state, deps }) => {
    const session = state.requireSession();
    const meta = readMeta(session.db, session.path);
    const sizeBytes =
      session.path === null ? null : await deps.fs.stat(session.path).then((s) => s.size, () => null);
    const databases = session.db
      .all<{ id: number; name: string }>('SELECT id, name FROM databases ORDER BY name COLLATE NOCASE, id')
      .map((d) => ({ id: Number(d.id), name: String(d.name), profileCount: countProfiles(session.db, Number(d.id)) }));
    const campaigns = session.db
      .all<{ id: number; name: string; status: string; database_name: string }>(
        `SELECT c.id, c.name, c.status, d.name AS database_name
           FROM campaigns c JOIN databases d ON d.id = c.database_id
          WHERE c.deleted_at IS NULL
          ORDER BY c.name COLLATE NOCASE, c.id`,
      )
      .map((c) => ({
        id: Number(c.id),
        name: String(c.name),
        status: String(c.status) as CampaignStatus,
        databaseName: String(c.database_name),
      }));
    const info: ProjectInfo = {
      name: meta.name,
      description: meta.description,
      path: session.path,
      sizeBytes,
      schemaVersion: schemaVersionOf(session.db),
      fileSchemaVersion: session.fileSchemaVersion,
      createdWith: meta.createdWith,
      createdAt: meta.createdAt,
      clock: meta.clock,
      databases,
      campaigns,
    };
    return info;
  },

  'project/recover': async ({ id, discard }, ctx) => {
    const { state } = ctx;
    state.ensureCanDrop(discard);
    if (state.session?.id === id) {
      throw new EngineError('REFUSED', 'That recovery copy belongs to the project that is open now.', { id });
    }
    const copy = await state.recovery.find(id);
    const opened = await openFromDisk(copy.path, ctx);
    // The session keeps the copy's id, so the next recovery write replaces the copy
    // instead of adding a second one; the copy goes when the project is saved.
    const session = new ProjectSession(id, opened.db, copy.originalPath, null, true);
    session.markChanged();
    session.hasRecoveryCopy = true;
    await state.replaceSession(session);
    return session.state();
  },
});
