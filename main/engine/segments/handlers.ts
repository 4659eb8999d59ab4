import type { ParsedArgsOf } from '../../../shared/contract/index';
import type { MembershipChange, Segment } from '../../../shared/contract/segments';
import { refreshDynamic } from './dynamic';
import { checkSegmentType, evaluateNewSegment, recalculateSegment } from './evaluation';
import { listRecalculations, membersAsOfSql } from './recalculations';
import { EngineError } from '../../../shared/contract/errors';
import { membershipEditRefusal } from '../../../shared/domain/campaign-status';
import { profileViews } from '../databases/handlers';
import { profileTable } from '../databases/profile-table';
import { requireDatabase } from '../databases/repository';
import { readMeta } from '../project/project-file';
import { defineHandlers, type HandlerContext } from '../registry';
import { followAudienceChange } from '../campaigns/audience';
import type { SqlDb } from '../sqlite/database';
import { readCsvIds } from './csv-ids';
import { insertMatching, prepareCondition, previewCondition } from '../conditions/evaluate';
import {
  changeMembers,
  deleteSegment,
  ensureSegmentNameFree,
  idListOf,
  insertSegment,
  listSegmentSteps,
  membershipChange,
  renameSegment,
  requireSegment,
  requireSegmentRow,
  segmentMembersSql,
} from './repository';

type CreateArgs = ParsedArgsOf<'segment/create'>;
type CsvFrom = Extract<CreateArgs['from'], { kind: 'csv' }>;
type ConditionFrom = Extract<CreateArgs['from'], { kind: 'condition' }>;

/**
 * A new segment of the profiles a condition gives now, on the project clock: static (a
 * snapshot), updatable (recalculation 1, with its schedule) or dynamic (its first evaluation).
 */
function createFromCondition(
  ctx: HandlerContext,
  db: SqlDb,
  request: { databaseId: number; name: string; type: CreateArgs['type']; schedule: string | null },
  from: ConditionFrom,
  stamp: { at: string; clock: string },
): MembershipChange {
  const { databaseId, name, type } = request;
  const ready = prepareCondition(db, databaseId, from);
  ctx.progress('Adding profiles', 0, null, 'items');
  return db.transaction(() => {
    const source = { kind: 'condition' as const, where: ready.where, clock: stamp.clock };
    if (type === 'static') {
      const segmentId = insertSegment(db, databaseId, name, source, stamp.at, stamp.clock);
      const changed = insertMatching(db, databaseId, segmentId, ready);
      return membershipChange(db, segmentId, { changed, found: changed, notFoundCount: 0, notFound: [] });
    }
    const segmentId = insertSegment(db, databaseId, name, source, stamp.at, stamp.clock, { kind: type, where: ready.where, schedule: request.schedule });
    const { size } = evaluateNewSegment(db, segmentId, stamp.at);
    return membershipChange(db, segmentId, { changed: size, found: size, notFoundCount: 0, notFound: [] });
  });
}

/** Hand edits are for static segments: the others are what their condition gives. */
function requireHandEditable(segment: Segment): void {
  const why = membershipEditRefusal(segment.kind);
  if (why === null) return;
  throw new EngineError('REFUSED', `${why} Change the condition of "${segment.name}" instead, or make a static segment.`, { segmentId: segment.id, kind: segment.kind });
}

/** The IDs of a CSV file while it is read: each once, in file order. */
const CSV_IDS = 'segment_csv_ids';

/** A new segment with the profiles of a CSV list of IDs; IDs not in the database are reported, not added. */
async function createFromCsv(ctx: HandlerContext, db: SqlDb, databaseId: number, name: string, from: CsvFrom, stamp: { at: string; clock: string }): Promise<MembershipChange> {
  const table = profileTable(databaseId);
  db.exec(`DROP TABLE IF EXISTS temp.${CSV_IDS}`);
  db.exec(`CREATE TEMP TABLE ${CSV_IDS} (pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE)`);
  try {
    return await db.transactionAsync(async () => {
      const phase = 'Reading profile IDs';
      const read = await readCsvIds(
        ctx.deps.fs,
        { path: from.path, column: from.column, options: from.options },
        {
          signal: ctx.signal,
          progress: (done, size) => ctx.progress(phase, done, size, 'bytes'),
          checkpoint: () => ctx.checkpoint(),
          isProfileId: (id) => db.scalar(`SELECT 1 FROM ${table} WHERE profile_id = ?`, [id]) !== undefined,
          // Repeats in the file are ignored: the first occurrence keeps its place.
          take: (ids) => void db.run(`INSERT OR IGNORE INTO temp.${CSV_IDS} (id) SELECT value FROM json_each(?)`, [JSON.stringify(ids)]),
        },
      );
      ctx.progress('Adding profiles', 0, null, 'items');
      const segmentId = insertSegment(db, databaseId, name, { kind: 'csv', fileName: read.fileName }, stamp.at, stamp.clock);
      const count = Number(db.scalar(`SELECT COUNT(*) FROM temp.${CSV_IDS}`) ?? 0);
      const counts = changeMembers(db, segmentId, databaseId, { sql: `temp.${CSV_IDS}`, params: [], count }, 'add', true);
      return membershipChange(db, segmentId, counts);
    });
  } finally {
    db.exec(`DROP TABLE IF EXISTS temp.${CSV_IDS}`);
  }
}

/** A new segment of every profile of the database now, of one import's profiles, or empty. */
function createFromDatabase(ctx: HandlerContext, db: SqlDb, databaseId: number, name: string, from: Exclude<CreateArgs['from'], CsvFrom | ConditionFrom>, stamp: { at: string; clock: string }): MembershipChange {
  const table = profileTable(databaseId);
  if (from.kind === 'import') {
    const known = db.scalar('SELECT 1 FROM imports WHERE id = ? AND database_id = ?', [from.importId, databaseId]);
    if (known === undefined) throw new EngineError('NOT_FOUND', `There is no import with id ${from.importId} in this database.`, { importId: from.importId });
  }
  ctx.progress('Adding profiles', 0, null, 'items');
  return db.transaction(() => {
    const source = from.kind === 'empty' ? { kind: 'manual' as const } : from;
    const segmentId = insertSegment(db, databaseId, name, source, stamp.at, stamp.clock);
    let changed = 0;
    if (from.kind === 'all') {
      changed = db.run(`INSERT INTO segment_members (segment_id, profile_key) SELECT ?, rowid FROM ${table} ORDER BY rowid`, [segmentId]);
    } else if (from.kind === 'import') {
      // The profiles the import added, and those it changed (updated_import: the last import that did).
      changed = db.run(
        `INSERT INTO segment_members (segment_id, profile_key) SELECT ?, rowid FROM ${table} WHERE added_import = ? OR updated_import = ? ORDER BY rowid`,
        [segmentId, from.importId, from.importId],
      );
    }
    return membershipChange(db, segmentId, { changed, found: changed, notFoundCount: 0, notFound: [] });
  });
}

export const segmentHandlers = defineHandlers({
  // Each segment counts its members: between two, the calls waiting behind run (a write of a
  // few rows does not wait for a million members to be counted); when one changed anything,
  // the list is read again from the start, so it never mixes before and after.
  'segment/list': async ({ databaseId }, { state, letWaitingCallsPass }) => {
    for (;;) {
      const db = state.requireSession().db;
      const changes = () => db.dataChanges();
      const before = changes();
      const steps = listSegmentSteps(db, databaseId);
      for (let step = steps.next(); ; step = steps.next()) {
        if (step.done) return step.value;
        await letWaitingCallsPass?.();
        if (state.session?.db !== db || changes() !== before) break;
      }
    }
  },

  'segment/get': ({ segmentId }, { state }) => requireSegment(state.requireSession().db, segmentId),

  'segment/create': async ({ databaseId, name, type, schedule, from }, ctx) => {
    const { db } = ctx.state.requireSession();
    requireDatabase(db, databaseId);
    const canonicalSchedule = checkSegmentType(type, from.kind, schedule);
    ensureSegmentNameFree(db, databaseId, name);
    const stamp = { at: ctx.deps.now().toISOString(), clock: readMeta(db).clock };
    if (from.kind === 'csv') return createFromCsv(ctx, db, databaseId, name, from, stamp);
    if (from.kind === 'condition') return createFromCondition(ctx, db, { databaseId, name, type, schedule: canonicalSchedule }, from, stamp);
    return createFromDatabase(ctx, db, databaseId, name, from, stamp);
  },

  'segment/rename': ({ segmentId, name }, { state }) => renameSegment(state.requireSession().db, segmentId, name),

  'segment/delete': ({ segmentId }, { state }) => deleteSegment(state.requireSession().db, segmentId),

  'segment/recalculate': ({ segmentId }, ctx) => recalculateSegment(ctx, segmentId, 'manual'),

  'segment/history': ({ segmentId }, { state }) => {
    const { db } = state.requireSession();
    const segment = requireSegment(db, segmentId);
    if (segment.kind !== 'updatable') {
      throw new EngineError('REFUSED', `"${segment.name}" is a ${segment.kind} segment: only an updatable segment has recalculations.`, { segmentId, kind: segment.kind });
    }
    return listRecalculations(db, segment);
  },

  'segment/addProfiles': async ({ segmentId, profileIds }, ctx) => {
    const { db } = ctx.state.requireSession();
    const segment = requireSegment(db, segmentId);
    requireHandEditable(segment);
    // Active campaigns on the segment follow it at once: new members are split, removed ones leave.
    const counts = await db.transactionAsync(async () => {
      const changed = changeMembers(db, segmentId, segment.databaseId, idListOf(profileIds), 'add');
      if (changed.changed > 0) await followAudienceChange(ctx, { segmentId });
      return changed;
    });
    if (counts.changed === 0) ctx.unchanged?.();
    return membershipChange(db, segmentId, counts);
  },

  'segment/removeProfiles': async ({ segmentId, profileIds }, ctx) => {
    const { db } = ctx.state.requireSession();
    const segment = requireSegment(db, segmentId);
    requireHandEditable(segment);
    // Active campaigns on the segment follow it at once: new members are split, removed ones leave.
    const counts = await db.transactionAsync(async () => {
      const changed = changeMembers(db, segmentId, segment.databaseId, idListOf(profileIds), 'remove');
      if (changed.changed > 0) await followAudienceChange(ctx, { segmentId });
      return changed;
    });
    if (counts.changed === 0) ctx.unchanged?.();
    return membershipChange(db, segmentId, counts);
  },

  'segment/preview': ({ databaseId, condition, where, limit }, { state }) => {
    const { db } = state.requireSession();
    const ready = prepareCondition(db, databaseId, { condition, where });
    return { where: ready.where, clock: readMeta(db).clock, ...previewCondition(db, databaseId, ready, limit) };
  },

  'segment/members': ({ segmentId, recalculation, offset, limit, search }, { state }) => {
    const session = state.requireSession();
    // A dynamic segment is evaluated at each use; an updatable one may be read as of a past recalculation.
    refreshDynamic(session.db, segmentId);
    // Its row only: a page must not pay for counting a million members.
    const segment = requireSegmentRow(session.db, segmentId);
    const within = recalculation === undefined ? segmentMembersSql(segmentId) : membersAsOfSql(session.db, segment, recalculation);
    return profileViews(session).page({ databaseId: segment.databaseId, search, within }, offset, limit);
  },
});
