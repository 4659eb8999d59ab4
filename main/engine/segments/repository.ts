/**
 * Segments: a named list of profiles of one database, kept as profile keys (rowids of
 * profiles_<database>) in segment_members: static (a fixed list), updatable (its condition's
 * profiles as of its last recalculation, recalculations.ts) or dynamic (as of its last
 * evaluation, dynamic.ts). Every membership change is one
 * set-based statement over a list of IDs (JSON bound as a parameter, or a temporary table
 * for a CSV file), so a million members cost a few statements, not a million calls.
 */
import { EngineError } from '../../../shared/contract/errors';
import { segmentKindOf } from '../../../shared/domain/campaign-status';
import { SegmentSource, type MembershipChange, type Segment } from '../../../shared/contract/segments';
import { isClockTime } from '../../../shared/domain/clock';
import { nextDue, parseSchedule } from '../../../shared/domain/schedule';
import { profileTable } from '../databases/profile-table';
import { requireDatabase } from '../databases/repository';
import { sameName } from '../import/mapping';
import { trimCell, unescapeFormulaGuard } from '../import/convert';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { latestRecalculation } from './recalculations';

/** IDs shown to the user as "not in the database", at most. */
export const NOT_FOUND_SHOWN = 100;

type SegmentRow = {
  id: number;
  database_id: number;
  name: string;
  kind: string;
  source: string;
  created_at: string;
  created_clock: string;
  condition: string | null;
  schedule: string | null;
  schedule_anchor: string | null;
  evaluated_clock: string | null;
};

const SEGMENT_COLUMNS = 'id, database_id, name, kind, source, created_at, created_clock, condition, schedule, schedule_anchor, evaluated_clock';

/** A text of the file as it is, or null (a file comes from someone else: values are checked when used). */
const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const clockOrNull = (value: unknown): string | null => (typeof value === 'string' && isClockTime(value) ? value : null);

/** When an updatable segment's schedule falls due next after the clock; null when its schedule or anchor in the file do not read. */
function nextRecalculation(schedule: string | null, anchor: string | null, clock: string): string | null {
  if (schedule === null || anchor === null || !isClockTime(clock)) return null;
  const reading = parseSchedule(schedule);
  return reading.ok ? nextDue(reading.schedule, clock, anchor) : null;
}

function checkedId(segmentId: number): number {
  if (!Number.isSafeInteger(segmentId) || segmentId <= 0) throw new Error(`bad segment id ${segmentId}`);
  return segmentId;
}

/** SQL selecting the profile_key of every member of a segment. segmentId is our own integer. */
export function segmentMembersSql(segmentId: number): string {
  return `SELECT profile_key FROM segment_members WHERE segment_id = ${checkedId(segmentId)}`;
}

function parseSource(text: string): SegmentSource {
  try {
    const parsed = SegmentSource.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // a damaged or hand-made value: shown as made by hand
  }
  return { kind: 'manual' };
}

function toSegment(db: SqlDb, row: SegmentRow): Segment {
  const id = Number(row.id);
  const kind = segmentKindOf(row.kind);
  const where = kind === 'static' ? null : textOrNull(row.condition);
  const schedule = kind === 'updatable' ? textOrNull(row.schedule) : null;
  const clock = String(db.scalar("SELECT value FROM meta WHERE key = 'clock'") ?? '');
  return {
    id,
    databaseId: Number(row.database_id),
    name: String(row.name),
    kind,
    source: parseSource(String(row.source)),
    where,
    schedule,
    nextRecalculation: kind === 'updatable' ? nextRecalculation(schedule, clockOrNull(row.schedule_anchor), clock) : null,
    lastRecalculation: kind === 'updatable' ? latestRecalculation(db, id) : null,
    evaluatedClock: kind === 'dynamic' ? clockOrNull(row.evaluated_clock) : null,
    size: Number(db.scalar('SELECT COUNT(*) FROM segment_members WHERE segment_id = ?', [id]) ?? 0),
    createdAt: String(row.created_at),
    createdClock: String(row.created_clock),
    usedBy: {
      campaigns: Number(db.scalar('SELECT COUNT(*) FROM campaigns WHERE segment_id = ? AND deleted_at IS NULL', [id]) ?? 0),
      activities: Number(db.scalar('SELECT COUNT(*) FROM activities WHERE segment_id = ?', [id]) ?? 0),
    },
  };
}

const noSuchSegment = (segmentId: number) => new EngineError('NOT_FOUND', `There is no segment with id ${segmentId}.`, { segmentId });

export function requireSegment(db: SqlDb, segmentId: number): Segment {
  const row = db.get<SegmentRow>(`SELECT ${SEGMENT_COLUMNS} FROM segments WHERE id = ?`, [segmentId]);
  if (!row) throw noSuchSegment(segmentId);
  return toSegment(db, row);
}

/** A segment's row only (its database, name and kind): its facts count its members, a pass over them. */
export function requireSegmentRow(db: SqlDb, segmentId: number): { id: number; databaseId: number; name: string; kind: Segment['kind'] } {
  const row = db.get<{ database_id: number; name: string; kind: string }>('SELECT database_id, name, kind FROM segments WHERE id = ?', [segmentId]);
  if (!row) throw noSuchSegment(segmentId);
  return { id: segmentId, databaseId: Number(row.database_id), name: String(row.name), kind: segmentKindOf(row.kind) };
}

/**
 * The segments with their facts, one segment a step: each counts its members (a pass over
 * them), and the caller may let other calls run between two (the segment/list handler).
 */
export function* listSegmentSteps(db: SqlDb, databaseId?: number): Generator<void, Segment[]> {
  if (databaseId !== undefined) requireDatabase(db, databaseId);
  const rows =
    databaseId === undefined
      ? db.all<SegmentRow>(`SELECT ${SEGMENT_COLUMNS} FROM segments ORDER BY database_id, name COLLATE NOCASE, id`)
      : db.all<SegmentRow>(`SELECT ${SEGMENT_COLUMNS} FROM segments WHERE database_id = ? ORDER BY name COLLATE NOCASE, id`, [databaseId]);
  const segments: Segment[] = [];
  for (const row of rows) {
    if (segments.length > 0) yield;
    segments.push(toSegment(db, row));
  }
  return segments;
}

/** Segment names are unique in their database, compared without case in any script ("Клиенты" = "КЛИЕНТЫ"). */
export function ensureSegmentNameFree(db: SqlDb, databaseId: number, name: string, exceptId?: number): void {
  const taken = db
    .all<{ id: number; name: string }>('SELECT id, name FROM segments WHERE database_id = ?', [databaseId])
    .find((s) => Number(s.id) !== exceptId && sameName(String(s.name), name));
  if (taken) throw new EngineError('ALREADY_EXISTS', `The database already has a segment named "${String(taken.name)}".`, { name });
}

/** What makes an updatable or dynamic segment: its condition (canonical text) and, updatable, its schedule (canonical text). */
export interface SegmentRule {
  readonly kind: 'updatable' | 'dynamic';
  readonly where: string;
  readonly schedule: string | null;
}

/** A new segment; `rule` for an updatable or dynamic one (its schedule counts from the clock of its creation). */
export function insertSegment(db: SqlDb, databaseId: number, name: string, source: SegmentSource, createdAt: string, clock: string, rule?: SegmentRule): number {
  db.run(
    'INSERT INTO segments (database_id, name, kind, source, created_at, created_clock, condition, schedule, schedule_anchor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [databaseId, name, rule?.kind ?? 'static', JSON.stringify(source), createdAt, clock, rule?.where ?? null, rule?.schedule ?? null, rule?.schedule ? clock : null],
  );
  return Number(db.scalar('SELECT last_insert_rowid()'));
}

export function renameSegment(db: SqlDb, segmentId: number, name: string): Segment {
  // Its row only: a segment's facts count its members, a pass over them, done once, after.
  ensureSegmentNameFree(db, requireSegmentRow(db, segmentId).databaseId, name, segmentId);
  db.run('UPDATE segments SET name = ? WHERE id = ?', [name, segmentId]);
  return requireSegment(db, segmentId);
}

const quotedList = (names: readonly string[]): string => {
  const shown = names.slice(0, 5).map((n) => `"${n}"`);
  const more = names.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
};

/**
 * Deletes a segment no campaign or activity uses. A campaign in the recycle bin keeps its
 * segment too: it comes back (as Completed) with it, and the file's foreign keys hold it.
 */
export function deleteSegment(db: SqlDb, segmentId: number): { segmentId: number; members: number } {
  const segment = requireSegment(db, segmentId);
  const names = (sql: string) => db.all<{ name: string }>(sql, [segmentId]).map((r) => String(r.name));
  const campaigns = names('SELECT name FROM campaigns WHERE segment_id = ? AND deleted_at IS NULL ORDER BY id');
  const activities = names('SELECT name FROM activities WHERE segment_id = ? ORDER BY id');
  const binned = names('SELECT name FROM campaigns WHERE segment_id = ? AND deleted_at IS NOT NULL ORDER BY id');
  if (campaigns.length > 0 || activities.length > 0) {
    const users = [
      ...(campaigns.length > 0 ? [`campaign${campaigns.length === 1 ? '' : 's'} ${quotedList(campaigns)}`] : []),
      ...(activities.length > 0 ? [`activit${activities.length === 1 ? 'y' : 'ies'} ${quotedList(activities)}`] : []),
    ];
    throw new EngineError('REFUSED', `"${segment.name}" is used by ${users.join(' and ')}; it cannot be deleted while they use it.`, {
      segmentId,
      campaigns,
      activities,
    });
  }
  if (binned.length > 0) {
    throw new EngineError(
      'REFUSED',
      `"${segment.name}" belongs to ${binned.length === 1 ? 'campaign' : 'campaigns'} ${quotedList(binned)} in the recycle bin, which would come back without it; it cannot be deleted.`,
      { segmentId, campaigns: binned, activities: [] },
    );
  }
  db.transaction(() => {
    db.run('DELETE FROM segment_members WHERE segment_id = ?', [segmentId]);
    // Its recalculations go with it (ON DELETE CASCADE); the changes have no foreign key.
    db.run('DELETE FROM segment_changes WHERE segment_id = ?', [segmentId]);
    db.run('DELETE FROM segments WHERE id = ?', [segmentId]);
  });
  return { segmentId, members: segment.size };
}

/**
 * A list of IDs to match against a database: a relation with a column `id` (distinct,
 * trimmed, non-empty) and a column `pos` (their order, for the IDs shown as not found).
 */
export interface IdList {
  readonly sql: string;
  readonly params: readonly SqlValue[];
  /** How many IDs it holds. */
  readonly count: number;
}

/** IDs given in a call, as the import takes them (trimmed, an export's formula guard removed); blanks dropped, each once in the order first given. */
export function idListOf(ids: readonly string[]): IdList {
  const unique = [...new Set(ids.map((id) => unescapeFormulaGuard(trimCell(id))).filter((id) => id !== ''))];
  return { sql: '(SELECT value AS id, key AS pos FROM json_each(?))', params: [JSON.stringify(unique)], count: unique.length };
}

export interface MatchCounts {
  readonly changed: number;
  readonly found: number;
  readonly notFoundCount: number;
  readonly notFound: string[];
}

/**
 * Adds the profiles of `ids` to a segment, or removes them; counts what happened and what
 * was not found. Profile IDs are unique, so each ID finds at most one profile. `empty`: the
 * segment has no members yet, so every profile found is added (one join fewer).
 */
export function changeMembers(db: SqlDb, segmentId: number, databaseId: number, ids: IdList, op: 'add' | 'remove', empty = false): MatchCounts {
  const table = profileTable(databaseId);
  const matched = `SELECT p.rowid FROM ${ids.sql} l JOIN ${table} p ON p.profile_id = l.id`;
  const changed =
    op === 'add'
      ? db.run(`INSERT OR IGNORE INTO segment_members (segment_id, profile_key) SELECT ?, rowid FROM (${matched}) ORDER BY rowid`, [segmentId, ...ids.params])
      : db.run(`DELETE FROM segment_members WHERE segment_id = ? AND profile_key IN (${matched})`, [segmentId, ...ids.params]);
  const found = empty && op === 'add' ? changed : Number(db.scalar(`SELECT COUNT(*) FROM (${matched})`, [...ids.params]) ?? 0);
  const notFoundCount = ids.count - found;
  const notFound =
    notFoundCount === 0
      ? []
      : db
          .all<{ id: string }>(
            `SELECT l.id AS id FROM ${ids.sql} l WHERE NOT EXISTS (SELECT 1 FROM ${table} p WHERE p.profile_id = l.id) ORDER BY l.pos LIMIT ${NOT_FOUND_SHOWN}`,
            [...ids.params],
          )
          .map((r) => String(r.id));
  return { changed, found, notFoundCount, notFound };
}

export function membershipChange(db: SqlDb, segmentId: number, counts: MatchCounts): MembershipChange {
  return {
    segment: requireSegment(db, segmentId),
    changed: counts.changed,
    unchanged: counts.found - counts.changed,
    notFoundCount: counts.notFoundCount,
    notFound: counts.notFound,
  };
}
