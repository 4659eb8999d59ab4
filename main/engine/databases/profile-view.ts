import type { Field } from '../../../shared/contract/databases';
import { EngineError } from '../../../shared/contract/errors';
import type { ProfileCard, ProfilePage, ProfileSearch, ProfileSortKey } from '../../../shared/contract/profiles';
import type { SubscriptionStatus } from '../../../shared/domain/profiles';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { decodeValue, fieldColumn, profileTable } from './profile-table';
import { listFields, requireDatabase } from './repository';

export interface ViewSpec {
  readonly databaseId: number;
  readonly sort?: { readonly by: ProfileSortKey; readonly direction: 'asc' | 'desc' } | undefined;
  readonly search?: ProfileSearch | undefined;
  /**
   * Only the profiles whose rowid this query selects: our own SQL over integer ids, never
   * user text (a segment's members, the global control group).
   */
  readonly within?: string | undefined;
}

interface CachedView {
  readonly table: string;
  readonly total: number;
  /** The data version when the view was built; any change to the data makes it stale. */
  readonly version: number;
}

const MAX_VIEWS = 4;
/**
 * A page of a new order this near the top is answered without ordering every row: SQLite's
 * sort with a LIMIT keeps only the top rows in one pass (a quarter of a second for a million
 * rows, against seconds for the whole order). The whole order is built when the user
 * scrolls past these rows.
 */
const QUICK_ROWS = 1000;
/**
 * Those top rows are found in steps of this many rowids (the top rows of each step, then of
 * them all): between two steps the engine lets a short read waiting behind it run (a page of
 * members), which waits a step (30-60 ms on a 1M-profile table), not the whole pass. Each
 * step costs a few milliseconds of its own: smaller steps made the first page slower.
 */
const STEP_ROWS = 131_072;

/**
 * Pages of a sorted, searched profile table at any offset, fast: the order is computed
 * once into a temporary table (position -> rowid), then every page is a range lookup,
 * however deep the user scrolls. Temporary tables are not part of the saved file. A view
 * is rebuilt after any change to the data (SqlDb.dataChanges).
 */
export class ProfileViews {
  private readonly views = new Map<string, CachedView>();
  private readonly counts = new Map<string, { readonly total: number; readonly version: number }>();
  /** The first keys of a new order (its whole order not built yet), by view: its next page comes from the same pass. */
  private readonly tops = new Map<string, { readonly keys: readonly number[]; readonly rows: number; readonly version: number }>();
  private counter = 0;

  /** Views are versioned by SqlDb.dataChanges; their own temporary tables are filled `untracked`, so they do not move it. */
  constructor(private readonly db: SqlDb) {}

  page(spec: ViewSpec, offset: number, limit: number): ProfilePage {
    const steps = this.pageSteps(spec, offset, limit);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /** A page as `page` gives it, calling `pause` between two steps of a long pass (see STEP_ROWS). */
  async pageWithPauses(spec: ViewSpec, offset: number, limit: number, pause: () => Promise<void>): Promise<ProfilePage> {
    const steps = this.pageSteps(spec, offset, limit);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      await pause();
    }
  }

  /** The work of a page; it yields where it may pause (no statement open, nothing half-stored). */
  private *pageSteps(spec: ViewSpec, offset: number, limit: number): Generator<void, ProfilePage> {
    requireDatabase(this.db, spec.databaseId);
    const fields = listFields(this.db, spec.databaseId);
    const table = profileTable(spec.databaseId);
    const columns = fields.map((f) => `p.${fieldColumn(f.id)}`);
    const select = `SELECT p.rowid AS key, p.profile_id, p.subscription${columns.map((c, i) => `, ${c} AS v${i}`).join('')}`;
    const toRow = (r: Record<string, SqlValue>) => ({
      key: Number(r.key),
      profileId: String(r.profile_id),
      subscription: String(r.subscription) as SubscriptionStatus,
      values: fields.map((f, i) => decodeValue(f.type, r[`v${i}`])),
    });
    const page = (total: number, rows: Record<string, SqlValue>[]): ProfilePage => ({ databaseId: spec.databaseId, total, offset, fieldIds: fields.map((f) => f.id), rows: rows.map(toRow) });
    // A sorted page near the top of an order not built yet: the top rows only (see QUICK_ROWS).
    // A search keeps the whole view: its filter passes over every row either way.
    const key = viewKey(spec, fields);
    if (spec.sort && !spec.search && offset + limit <= QUICK_ROWS && !this.fresh(key)) {
      const { where, params } = filterOf(spec, fields);
      const keys = (yield* this.topKeys(spec, fields, key, { where, params }, offset + limit)).slice(offset, offset + limit);
      const byKey = new Map(
        this.db.all<Record<string, SqlValue>>(`${select} FROM ${table} p WHERE p.rowid IN (SELECT value FROM json_each(?))`, [JSON.stringify(keys)]).map((r) => [Number(r.key), r]),
      );
      const rows = keys.map((k) => byKey.get(k)).filter((row): row is Record<string, SqlValue> => row !== undefined);
      return page(this.count(spec, where, params), rows);
    }
    const view = this.view(spec, fields);
    const rows = this.db.all<Record<string, SqlValue>>(
      `${select} FROM temp.${view.table} v JOIN ${table} p ON p.rowid = v.r WHERE v.pos > ? ORDER BY v.pos LIMIT ?`,
      [offset, limit],
    );
    return page(view.total, rows);
  }

  /**
   * The first `wanted` keys of an order (twice that, up to QUICK_ROWS: the next page comes
   * from the same pass), in order: the top rows of each step of rowids, then the top rows
   * of those (the same rows as one ORDER BY ... LIMIT over the table). Kept until the data
   * changes.
   */
  private *topKeys(spec: ViewSpec, fields: readonly Field[], key: string, filter: { where: string; params: SqlValue[] }, wanted: number): Generator<void, readonly number[]> {
    const version = this.db.dataChanges();
    const known = this.tops.get(key);
    // Enough rows known, or all there are.
    if (known && known.version === version && (known.rows >= wanted || known.keys.length < known.rows)) return known.keys;
    const rows = Math.min(QUICK_ROWS, 2 * wanted);
    const table = profileTable(spec.databaseId);
    const order = orderClause(spec.sort, fields);
    const inStep = `${filter.where === '' ? 'WHERE' : `${filter.where} AND`} rowid > ? AND rowid <= ?`;
    const last = Number(this.db.scalar(`SELECT COALESCE(MAX(rowid), 0) FROM ${table}`));
    const candidates: number[] = [];
    for (let from = 0; from < last; from += STEP_ROWS) {
      if (from > 0) yield;
      const top = this.db.all<{ k: number }>(`SELECT rowid AS k FROM ${table} ${inStep} ORDER BY ${order} LIMIT ?`, [...filter.params, from, from + STEP_ROWS, rows]);
      for (const row of top) candidates.push(Number(row.k));
    }
    const keys = this.db
      .all<{ k: number }>(`SELECT rowid AS k FROM ${table} WHERE rowid IN (SELECT value FROM json_each(?)) ORDER BY ${order} LIMIT ?`, [JSON.stringify(candidates), rows])
      .map((row) => Number(row.k));
    if (this.tops.size >= MAX_VIEWS) this.tops.clear();
    this.tops.set(key, { keys, rows, version });
    return keys;
  }

  /** Is the view of `key` built, and built on the data as it is now? */
  private fresh(key: string): boolean {
    return this.views.get(key)?.version === this.db.dataChanges();
  }

  /** How many profiles a filter selects, kept until the data changes (a new order of the same rows asks again). */
  private count(spec: ViewSpec, where: string, params: SqlValue[]): number {
    const key = JSON.stringify([spec.databaseId, where, params]);
    const version = this.db.dataChanges();
    const known = this.counts.get(key);
    if (known && known.version === version) return known.total;
    const total = Number(this.db.scalar(`SELECT COUNT(*) FROM ${profileTable(spec.databaseId)} p ${where}`, params));
    if (this.counts.size >= MAX_VIEWS) this.counts.clear();
    this.counts.set(key, { total, version });
    return total;
  }

  /** Drops every cached view (the project closes, or a table is dropped). */
  clear(): void {
    this.counts.clear();
    this.tops.clear();
    for (const [key, view] of [...this.views]) this.drop(key, view);
  }

  private view(spec: ViewSpec, fields: readonly Field[]): CachedView {
    const key = viewKey(spec, fields);
    const version = this.db.dataChanges();
    const cached = this.views.get(key);
    if (cached && cached.version === version) {
      this.views.delete(key);
      this.views.set(key, cached); // most recently used last
      return cached;
    }
    if (cached) this.drop(key, cached);
    while (this.views.size >= MAX_VIEWS) {
      const [oldestKey, oldest] = this.views.entries().next().value as [string, CachedView];
      this.drop(oldestKey, oldest);
    }
    this.counter += 1;
    const name = `profile_view_${this.counter}`;
    const table = profileTable(spec.databaseId);
    const { where, params } = filterOf(spec, fields);
    const order = orderClause(spec.sort, fields);
    this.db.untracked(() => {
      this.db.exec(`CREATE TEMP TABLE ${name} (pos INTEGER PRIMARY KEY, r INTEGER NOT NULL)`);
      this.db.run(`INSERT INTO temp.${name} (r) SELECT rowid FROM ${table} ${where} ORDER BY ${order}`, params);
    });
    const total = Number(this.db.scalar(`SELECT COUNT(*) FROM temp.${name}`));
    const view = { table: name, total, version };
    this.views.set(key, view);
    return view;
  }

  private drop(key: string, view: CachedView): void {
    this.db.untracked(() => this.db.exec(`DROP TABLE IF EXISTS temp.${view.table}`));
    this.views.delete(key);
  }
}

const viewKey = (spec: ViewSpec, fields: readonly Field[]) =>
  JSON.stringify([spec.databaseId, spec.sort ?? null, spec.search ?? null, fields.map((f) => f.id), spec.within ?? null]);

/** The WHERE clause of a view: its search, within its rows (`within`). */
function filterOf(spec: ViewSpec, fields: readonly Field[]): { where: string; params: SqlValue[] } {
  const search = searchClause(spec.search, fields);
  if (spec.within === undefined) return search;
  return { where: `WHERE rowid IN (${spec.within})${search.where === '' ? '' : ` AND (${search.where.slice('WHERE '.length)})`}`, params: search.params };
}

function orderClause(sort: ViewSpec['sort'], fields: readonly Field[]): string {
  if (!sort) return 'rowid';
  const dir = sort.direction === 'desc' ? 'DESC' : 'ASC';
  let column: string;
  if (sort.by === 'profileId') column = 'profile_id';
  else if (sort.by === 'subscription') column = 'subscription';
  else {
    const field = fields.find((f) => f.id === sort.by);
    if (!field) throw new EngineError('NOT_FOUND', `There is no field with id ${String(sort.by)} in this database.`);
    column = fieldColumn(field.id);
  }
  // Empty values last in both directions; ties in the stable order of arrival.
  return `${column} ${dir} NULLS LAST, rowid`;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The WHERE clause of a search, with its parameters; the text is always a parameter.
 * Text matching ignores case for ASCII letters (SQLite's LIKE); other scripts match as typed.
 */
function searchClause(search: ProfileSearch | undefined, fields: readonly Field[]): { where: string; params: SqlValue[] } {
  if (!search) return { where: '', params: [] };
  const text = search.text;
  if (search.in === 'profileId') {
    // A prefix range uses the unique index on profile_id.
    return { where: 'WHERE profile_id >= ? AND profile_id < ?', params: [text, `${text}\u{10FFFF}`] };
  }
  const like = `%${escapeLike(text)}%`;
  if (search.in === 'any') {
    const textColumns = fields.filter((f) => f.type === 'string' || f.type === 'enum').map((f) => fieldColumn(f.id));
    const parts = ['profile_id', ...textColumns].map((c) => `${c} LIKE ? ESCAPE '\\'`);
    return { where: `WHERE ${parts.join(' OR ')}`, params: parts.map(() => like) };
  }
  const field = fields.find((f) => f.id === search.in);
  if (!field) throw new EngineError('NOT_FOUND', `There is no field with id ${String(search.in)} in this database.`);
  const column = fieldColumn(field.id);
  switch (field.type) {
    case 'number': {
      const value = Number(text.replace(/\s/g, '').replace(',', '.'));
      if (!Number.isFinite(value)) throw new EngineError('INVALID_ARGUMENT', `"${text}" is not a number.`);
      return { where: `WHERE ${column} = ?`, params: [value] };
    }
    case 'boolean': {
      const yes = /^(yes|y|true|1|да)$/i.test(text);
      const no = /^(no|n|false|0|нет)$/i.test(text);
      if (!yes && !no) throw new EngineError('INVALID_ARGUMENT', `Search a yes/no field with "yes" or "no", not "${text}".`);
      return { where: `WHERE ${column} = ?`, params: [yes ? 1 : 0] };
    }
    case 'date':
    case 'datetime':
      // "2024", "2024-03", "2024-03-08": dates stored as ISO text match by prefix.
      return { where: `WHERE ${column} LIKE ? ESCAPE '\\'`, params: [`${escapeLike(text)}%`] };
    default:
      return { where: `WHERE ${column} LIKE ? ESCAPE '\\'`, params: [like] };
  }
}

export function profileCard(db: SqlDb, databaseId: number, profileId: string): ProfileCard {
  requireDatabase(db, databaseId);
  const fields = listFields(db, databaseId);
  const columns = fields.map((f, i) => `, ${fieldColumn(f.id)} AS v${i}`).join('');
  const row = db.get<Record<string, SqlValue>>(
    `SELECT rowid AS key, profile_id, subscription, added_import, updated_import${columns}
       FROM ${profileTable(databaseId)} WHERE profile_id = ?`,
    [profileId],
  );
  if (!row) throw new EngineError('NOT_FOUND', `No profile with ID "${profileId}" in this database.`, { databaseId, profileId });
  return {
    databaseId,
    key: Number(row.key),
    profileId: String(row.profile_id),
    subscription: String(row.subscription) as SubscriptionStatus,
    values: fields.map((f, i) => ({ fieldId: f.id, value: decodeValue(f.type, row[`v${i}`]) })),
    addedByImport: row.added_import === null ? null : Number(row.added_import),
    updatedByImport: row.updated_import === null ? null : Number(row.updated_import),
  };
}
