import type { DatabaseDetail, DatabaseSummary, DeletionImpact, Field, FieldDraft } from '../../../shared/contract/index';
import { countOf, listText } from '../../lib/text';
import { hasCode } from '../notices/messages';
import type { SliceCreator, StoreDeps } from '../types';
import { loadForProject } from '../load';

export interface DatabasesSlice {
  /** The project's databases with their counts; null until loaded. */
  databases: readonly DatabaseSummary[] | null;
  /** Databases loaded in full (fields, subscription counts, imports), by id. */
  databaseDetails: Readonly<Record<number, DatabaseDetail>>;
  loadDatabases(): Promise<void>;
  loadDatabase(databaseId: number): Promise<DatabaseDetail | null>;
  /** Creates an empty database and shows its page. Resolves with it, or null on failure. */
  createDatabase(name: string): Promise<DatabaseDetail | null>;
  renameDatabase(databaseId: number, name: string): Promise<boolean>;
  /** Asks first, stating what goes (profiles, fields, imports); the engine may refuse. */
  deleteDatabase(databaseId: number): Promise<boolean>;
  addField(databaseId: number, field: FieldDraft): Promise<boolean>;
  updateField(field: Field, change: { name?: string; enumValues?: string[] }): Promise<boolean>;
  /** Asks first, stating how many stored values go. */
  removeField(field: Field): Promise<boolean>;
  /** Reloads what shows a database after its data changed (list, page, table, overview). */
  databaseChanged(databaseId: number): Promise<void>;
  resetDatabases(): void;
}

/** "Deletes 50,000 profiles, 8 fields and 2 imports." ("no imports" rather than "0 imports"). */
export function deletionSentence(impact: DeletionImpact): string {
  const part = (n: number, word: string) => (n === 0 ? `no ${word}s` : countOf(n, word));
  return `Deletes ${listText([part(impact.profiles, 'profile'), part(impact.fields, 'field'), part(impact.imports, 'import')])}.`;
}

export const createDatabasesSlice =
  (deps: StoreDeps): SliceCreator<DatabasesSlice> =>
  (set, get) => {
    const { client } = deps;
    /** Bumped when the project changes: answers about the old one are dropped. */
    let epoch = 0;

    const storeDetail = (detail: DatabaseDetail) => {
      set({ databaseDetails: { ...get().databaseDetails, [detail.id]: detail } });
    };

    const forgetDetail = (databaseId: number) => {
      const { [databaseId]: _gone, ...rest } = get().databaseDetails;
      set({ databaseDetails: rest });
    };

    /** How many profiles hold a value in a field: what removing it takes away. */
    const countValues = async (field: Field): Promise<number> =>
      (await client.call('field/usage', { fieldId: field.id })).valuesStored;

    return {
      databases: null,
      databaseDetails: {},

      async loadDatabases() {
        await loadForProject(get, () => epoch, () => client.call('database/list', {}), (databases) => set({ databases }));
      },

      async loadDatabase(databaseId) {
        const at = epoch;
        try {
          const detail = await client.call('database/get', { databaseId });
          if (at !== epoch) return null;
          storeDetail(detail);
          return detail;
        } catch (error) {
          if (at !== epoch) return null;
          if (hasCode(error, 'NOT_FOUND')) {
            // Deleted meanwhile: its page has nothing left to show.
            forgetDetail(databaseId);
            const { route } = get();
            if (route.page === 'database' && route.databaseId === databaseId) get().navigate({ page: 'databases' });
            void get().loadDatabases();
          }
          get().reportError(error);
          return null;
        }
      },

      async createDatabase(name) {
        try {
          const detail = await client.call('database/create', { name: name.trim() });
          storeDetail(detail);
          await get().loadDatabases();
          void get().refreshInfo();
          get().navigate({ page: 'database', databaseId: detail.id, tab: 'fields' });
          return detail;
        } catch (error) {
          get().reportError(error);
          return null;
        }
      },

      async renameDatabase(databaseId, name) {
        const current = get().databases?.find((d) => d.id === databaseId);
        if (current && current.name === name.trim()) return true;
        try {
          storeDetail(await client.call('database/rename', { databaseId, name: name.trim() }));
          await get().loadDatabases();
          void get().refreshInfo();
          return true;
        } catch (error) {
          get().reportError(error);
          return false;
        }
      },

      async deleteDatabase(databaseId) {
        let impact: DeletionImpact;
        try {
          impact = await client.call('database/deletionImpact', { databaseId });
        } catch (error) {
          get().reportError(error);
          return false;
        }
        const blocked =
          impact.campaigns > 0 ? ` It is used by ${countOf(impact.campaigns, 'campaign')}, which may keep it from being deleted.` : '';
        const choice = await get().askConfirm({
          title: `Delete "${impact.name}"?`,
          message: `${deletionSentence(impact)}${blocked} This cannot be undone once the project is saved.`,
          choices: [
            { id: 'delete', label: 'Delete database', tone: 'danger' },
            { id: 'cancel', label: 'Cancel', tone: 'plain' },
          ],
          defaultChoice: 'cancel',
          cancelChoice: 'cancel',
        });
        if (choice !== 'delete') return false;
        try {
          const deleted = await client.call('database/delete', { databaseId });
          forgetDetail(databaseId);
          get().forgetProfileTable(databaseId);
          get().closeExportDialog({ databaseId, force: true });
          const { route } = get();
          if (route.page === 'database' && route.databaseId === databaseId) get().navigate({ page: 'databases' });
          await get().loadDatabases();
          void get().refreshInfo();
          get().notify({ tone: 'success', title: 'Database deleted', message: `"${deleted.name}" was deleted.` });
          return true;
        } catch (error) {
          // A refusal (campaigns use it) comes with the engine's reason.
          get().reportError(error);
          return false;
        }
      },

      async addField(databaseId, field) {
        try {
          await client.call('field/add', { databaseId, field });
          await get().databaseChanged(databaseId);
          return true;
        } catch (error) {
          get().reportError(error);
          return false;
        }
      },

      async updateField(field, change) {
        const args: { fieldId: number; name?: string; enumValues?: string[] } = { fieldId: field.id };
        if (change.name !== undefined && change.name.trim() !== field.name) args.name = change.name.trim();
        if (change.enumValues !== undefined && change.enumValues.join('\n') !== field.enumValues.join('\n')) {
          args.enumValues = change.enumValues;
        }
        if (args.name === undefined && args.enumValues === undefined) return true;
        try {
          await client.call('field/update', args);
          await get().databaseChanged(field.databaseId);
          return true;
        } catch (error) {
          // "These values are in use and cannot be removed: ..." names them, with counts.
          get().reportError(error);
          return false;
        }
      },

      async removeField(field) {
        let values: number;
        try {
          values = await countValues(field);
        } catch (error) {
          get().reportError(error);
          return false;
        }
        const choice = await get().askConfirm({
          title: `Remove the field "${field.name}"?`,
          message:
            values === 0
              ? 'No profile has a value in this field, so no data goes with it.'
              : `Removes ${countOf(values, 'stored value')}: the field's value in ${countOf(values, 'profile')}. This cannot be undone once the project is saved.`,
          choices: [
            { id: 'remove', label: 'Remove field', tone: 'danger' },
            { id: 'cancel', label: 'Cancel', tone: 'plain' },
          ],
          defaultChoice: 'cancel',
          cancelChoice: 'cancel',
        });
        if (choice !== 'remove') return false;
        try {
          await client.call('field/remove', { fieldId: field.id });
          get().forgetProfileField(field.databaseId, field.id);
          await get().databaseChanged(field.databaseId);
          return true;
        } catch (error) {
          get().reportError(error);
          return false;
        }
      },

      async databaseChanged(databaseId) {
        get().refreshProfileTable(databaseId);
        await Promise.all([get().loadDatabases(), get().loadDatabase(databaseId)]);
        void get().refreshInfo();
      },

      resetDatabases() {
        epoch += 1;
        set({ databases: null, databaseDetails: {} });
      },
    };
  };
