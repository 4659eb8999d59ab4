/** A project with one profile database, filled directly in its table (the import has its own tests). */
import type { Field, FieldDraft } from '../../../../shared/contract/databases';
import type { FieldValue, SubscriptionStatus } from '../../../../shared/domain/profiles';
import { encodeValue, fieldColumn, profileTable } from '../../../../main/engine/databases/profile-table';
import { listFields } from '../../../../main/engine/databases/repository';
import type { SqlDb } from '../../../../main/engine/sqlite/database';
import { startTestEngine, type TestEngine } from '../../../helpers/engine';

export interface ProfileDraft {
  readonly id: string;
  readonly subscription?: SubscriptionStatus;
  /** Values by field name; missing fields have no value. */
  readonly values?: Readonly<Record<string, FieldValue>>;
}

export interface DatabaseProject extends TestEngine {
  readonly databaseId: number;
  /** The open project's database connection (to fill tables and look inside them). */
  db(): SqlDb;
  /** A field of the database by name, as it is now. */
  field(name: string): Field;
  /** Inserts profiles straight into the table, in this order, stored as an import stores them. */
  insert(profiles: readonly ProfileDraft[], databaseId?: number): void;
}

/** Every field type once. */
export const ALL_TYPES: readonly FieldDraft[] = [
  { name: 'name', type: 'string' },
  { name: 'age', type: 'number' },
  { name: 'born', type: 'date' },
  { name: 'seen', type: 'datetime' },
  { name: 'vip', type: 'boolean' },
  { name: 'tier', type: 'enum', enumValues: ['gold', 'silver', 'bronze'] },
];

export async function startDatabaseProject(fields: readonly FieldDraft[] = ALL_TYPES, name = 'Customers'): Promise<DatabaseProject> {
  const t = await startTestEngine();
  await t.call('project/new', { name: 'Databases' });
  const { id } = await t.call('database/create', { name, fields: [...fields] });
  const db = () => t.engine.state.requireSession().db;
  return {
    ...t,
    databaseId: id,
    db,
    field(fieldName) {
      const field = listFields(db(), id).find((f) => f.name === fieldName);
      if (!field) throw new Error(`no field ${fieldName}`);
      return field;
    },
    insert(profiles, databaseId = id) {
      insertProfiles(db(), databaseId, profiles);
    },
  };
}

export function insertProfiles(db: SqlDb, databaseId: number, profiles: readonly ProfileDraft[]): void {
  const fields = listFields(db, databaseId);
  const columns = fields.map((f) => `, ${fieldColumn(f.id)}`).join('');
  const sql = `INSERT INTO ${profileTable(databaseId)} (profile_id, subscription${columns}) VALUES (?, ?${fields.map(() => ', ?').join('')})`;
  db.transaction(() => {
    for (const p of profiles) {
      db.run(sql, [p.id, p.subscription ?? 'subscribed', ...fields.map((f) => encodeValue(f.type, p.values?.[f.name] ?? null))]);
    }
  });
}
