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
 * Pages of a sorted, searched profile table at any offset, fast: the order is computed
 * once into a temporary table (position -> rowid), then every page is a range lookup,
 * however deep the user scrolls. Temporary tables are not part of the saved file. A view
 * is rebuilt after any change to the data (SQLite's total_changes()).
 */
export class ProfileViews {
  private readonly views = new Map<string, CachedView>();
  private readonly counts = new Map<string, { readonly total: number; readonly version: number }>();
  private counter = 0;
  /** Rows our own temporary tables added to SQLite's change counter. */
  private ownChanges = 0;

  constructor(private readonly db: SqlDb) {}

  /** SQLite's count of changed rows on this connection, minus those of the views themselves. */
  private dataVersion(): number {
    return Number(this.db.scalar('SELECT total_changes()')) - this.ownChanges;
  }

  /** Runs work on temporary tables without it counting as a change of the data. */
  private untracked(work: () => void): void {
    const before = Number(this.db.scalar('SELECT total_changes()'));
    work();
    this.ownChanges += Number(this.db.scalar('SELECT total_changes()')) - before;
  }

  page(spec: ViewSpec, offset: number, limit: number): ProfilePage {
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
    if (spec.sort && !spec.search && offset + limit <= QUICK_ROWS && !this.fresh(viewKey(spec, fields))) {
      const { where, params } = filterOf(spec, fields);
      const rows = this.db.all<Record<string, SqlValue>>(`${select} FROM ${table} p ${where} ORDER BY ${orderClause(spec.sort, fields)} LIMIT ? OFFSET ?`, [...params, limit, offset]);
      return page(this.count(spec, where, params), rows);
    }
    const view = this.view(spec, fields);
    const rows = this.db.all<Record<string, SqlValue>>(
      `${select} FROM temp.${view.table} v JOIN ${table} p ON p.rowid = v.r WHERE v.pos > ? ORDER BY v.pos LIMIT ?`,
      [offset, limit],
    );
    return page(view.total, rows);
  }

  /** Is the view of `key` built, and built on the data as it is now? */
  private fresh(key: string): boolean {
    return this.views.get(key)?.version === this.dataVersion();
  }

  /** How many profiles a filter selects, kept until the data changes (a new order of the same rows asks again). */
  private count(spec: ViewSpec, where: string, params: SqlValue[]): number {
    const key = JSON.stringify([spec.databaseId, where, params]);
    const version = this.dataVersion();
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
    for (const [key, view] of [...this.views]) this.drop(key, view);
  }

  private view(spec: ViewSpec, fields: readonly Field[]): CachedView {
    const key = viewKey(spec, fields);
    const version = this.dataVersion();
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
    this.untracked(() => {
      this.db.exec(`CREATE TEMP TABLE ${name} (pos INTEGER PRIMARY KEY, r INTEGER NOT NULL)`);
      this.db.run(`INSERT INTO temp.${name} (r) SELECT rowid FROM ${table} ${where} ORDER BY ${order}`, params);
    });
    const total = Number(this.db.scalar(`SELECT COUNT(*) FROM temp.${name}`));
    const view = { table: name, total, version };
    this.views.set(key, view);
    return view;
  }

  private drop(key: string, view: CachedView): void {
    this.untracked(() => this.db.exec(`DROP TABLE IF EXISTS temp.${view.table}`));
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
