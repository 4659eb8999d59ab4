import type { ProfileCard, ProfileEvent, ProfileInteractions, ProfileSearch, ProfileSortKey } from '../../../shared/contract/index';
import { describeError } from '../notices/messages';
import type { SliceCreator, StoreDeps } from '../types';
import { MAX_PAGES_IN_FLIGHT, PROFILE_PAGE_SIZE, prunePages, wantedPages, type RowRange } from './page-cache';
import { fetchSourcePage, sameSource, sourceCanSearch, sourceCanSort, type ProfileSource, type TableRow } from './sources';

export interface ProfileSort {
  readonly by: ProfileSortKey;
  readonly direction: 'asc' | 'desc';
}

/** The profile table of one database (or of a segment, a group, a run of it): its query, and the pages loaded for it. */
export interface ProfileTableState {
  readonly databaseId: number;
  /** Which profiles of the database: all of them, a segment's, the GCG, a campaign's audience, a run's recipients. */
  readonly source: ProfileSource;
  /** Null: the order of arrival (import order). */
  readonly sort: ProfileSort | null;
  readonly search: ProfileSearch | null;
  /** Bumped when the query or the data change; answers for an older generation are dropped. */
  readonly generation: number;
  /** Profiles matching the query; null until the first page arrives. */
  readonly total: number | null;
  /** The field order of the pages' `values`. */
  readonly fieldIds: readonly number[];
  /** Loaded pages of PROFILE_PAGE_SIZE rows, by page number. */
  readonly pages: Readonly<Record<number, readonly TableRow[]>>;
  /**
   * After a new sort: the pages of the order before it, shown (marked as being re-sorted)
   * until the first page of the new order arrives, so the table never empties while the
   * engine orders many rows. Null otherwise.
   */
  readonly previousPages: Readonly<Record<number, readonly TableRow[]>> | null;
  /** Why the query failed (a search the engine refused); nothing more is fetched until it changes. */
  readonly error: string | null;
}

/** The card of one profile of the table in view: it closes when that table or the page changes. */
export interface ProfileCardState {
  readonly databaseId: number;
  /** The table it was opened from (a database, a segment, a campaign group, a run). */
  readonly source: ProfileSource;
  readonly profileId: string;
  readonly card: ProfileCard | null;
  /** Its segments and campaigns, with its group in each. */
  readonly interactions: ProfileInteractions | null;
  /** Its events at or before the project clock, newest first: the pages loaded so far. */
  readonly events: ProfileEventsState | null;
  readonly loading: boolean;
  readonly error: string | null;
}

export interface ProfileEventsState {
  readonly total: number;
  readonly items: readonly ProfileEvent[];
  /** The next page is on its way. */
  readonly loadingMore: boolean;
}

/** Events shown on the card at first, and added by each "Show more". */
export const CARD_EVENTS_PAGE = 20;

export interface ProfilesSlice {
  profileTable: ProfileTableState | null;
  profileCard: ProfileCardState | null;
  /** Shows a database's profiles (or those of a source in it); the same table keeps its sort and search. */
  openProfileTable(databaseId: number, source?: ProfileSource): void;
  /** A click on a column header: sort by it ascending, or reverse the current order. */
  toggleProfileSort(by: ProfileSortKey): void;
  setProfileSort(sort: ProfileSort | null): void;
  /** Null or empty text: no search. */
  searchProfiles(search: { text: string; in: ProfileSearch['in'] } | null): void;
  /** The rows on screen changed: load the pages they need (and drop far-away ones). */
  showProfileRows(range: RowRange): void;
  /** The database's data changed: load what is on screen again (any table of that database). */
  refreshProfileTable(databaseId: number): void;
  /** The database is gone. */
  forgetProfileTable(databaseId: number): void;
  /** A field was removed: a sort or search by it ends (before the table is loaded again). */
  forgetProfileField(databaseId: number, fieldId: number): void;
  openProfileCard(profileId: string): Promise<void>;
  closeProfileCard(): void;
  /** The card's next page of events. */
  loadMoreProfileEvents(): Promise<void>;
  resetProfiles(): void;
}

/** Rows the table asks for before it has measured itself: a tall screen's worth. */
const INITIAL_RANGE: RowRange = { first: 0, last: 60 };

export const createProfilesSlice =
  (deps: StoreDeps): SliceCreator<ProfilesSlice> =>
  (set, get) => {
    let generation = 0;
    /** What is on screen: kept outside the state, since scrolling must not re-render the store's readers. */
    let range: RowRange = INITIAL_RANGE;
    const inFlight = new Set<string>();

    const patchTable = (expected: number, patch: Partial<ProfileTableState>) => {
      const table = get().profileTable;
      if (table && table.generation === expected) set({ profileTable: { ...table, ...patch } });
    };

    /**
     * The query changed (or its data): load it again. `keep`: 'total' when the rows stay
     * where they are (a refresh); 'rows' for a new order of the same rows (a sort): the old
     * rows stay on screen until the new order's first page comes; 'nothing' otherwise.
     */
    const requery = (change: Partial<Pick<ProfileTableState, 'databaseId' | 'sort' | 'search'>>, keep: 'total' | 'rows' | 'nothing') => {
      const table = get().profileTable;
      if (!table) return;
      generation += 1;
      const shown = Object.keys(table.pages).length > 0 ? table.pages : table.previousPages;
      set({
        profileTable: {
          ...table,
          ...change,
          generation,
          total: keep === 'nothing' ? null : table.total,
          pages: {},
          previousPages: keep === 'rows' && table.error === null ? shown : null,
          error: null,
        },
      });
      if (keep !== 'total') range = INITIAL_RANGE;
      pump();
    };

    const fetchPage = async (table: ProfileTableState, page: number, key: string) => {
      try {
        const result = await fetchSourcePage(deps.client, table, page * PROFILE_PAGE_SIZE, PROFILE_PAGE_SIZE);
        const current = get().profileTable;
        if (current?.generation === table.generation) {
          patchTable(table.generation, {
            total: result.total,
            fieldIds: result.fieldIds,
            pages: prunePages({ ...current.pages, [page]: result.rows }, range),
            previousPages: null,
          });
        }
      } catch (error) {
        const { message } = describeError(error);
        patchTable(table.generation, { error: message, total: get().profileTable?.total ?? 0, previousPages: null });
      } finally {
        inFlight.delete(key);
      }
      pump();
    };

    /** Starts the calls for the missing pages of what is on screen, a few at a time. */
    const pump = () => {
      const table = get().profileTable;
      if (!table || table.error !== null) return;
      const prefix = `${table.generation}:`;
      let running = [...inFlight].filter((k) => k.startsWith(prefix)).length;
      for (const page of wantedPages(range, table.total)) {
        if (running >= MAX_PAGES_IN_FLIGHT) break;
        const key = `${prefix}${page}`;
        if (table.pages[page] !== undefined || inFlight.has(key)) continue;
        inFlight.add(key);
        running += 1;
        void fetchPage(table, page, key);
      }
    };

    return {
      profileTable: null,
      profileCard: null,

      openProfileTable(databaseId, source = { kind: 'database' }) {
        const table = get().profileTable;
        if (table?.databaseId === databaseId && sameSource(table.source, source)) {
          // Coming back to the same table: show what may have changed meanwhile.
          requery({}, 'total');
          return;
        }
        generation += 1;
        range = INITIAL_RANGE;
        // Another table: the card of the last one goes with it (it showed a profile that may not be in this one).
        set({
          profileTable: { databaseId, source, sort: null, search: null, generation, total: null, fieldIds: [], pages: {}, previousPages: null, error: null },
          profileCard: null,
        });
        pump();
      },

      toggleProfileSort(by) {
        const current = get().profileTable;
        if (!current || !sourceCanSort(current.source)) return;
        const sort = current.sort;
        get().setProfileSort({ by, direction: sort?.by === by && sort.direction === 'asc' ? 'desc' : 'asc' });
      },

      setProfileSort(sort) {
        requery({ sort }, 'rows');
      },

      searchProfiles(search) {
        const text = search?.text.trim() ?? '';
        const table = get().profileTable;
        if (table && !sourceCanSearch(table.source)) return;
        const next: ProfileSearch | null = search && text !== '' ? { text: text.slice(0, 500), in: search.in } : null;
        const current = get().profileTable?.search ?? null;
        if (JSON.stringify(next) === JSON.stringify(current)) return;
        requery({ search: next }, 'nothing');
      },

      showProfileRows(next) {
        range = next;
        const table = get().profileTable;
        if (!table) return;
        pump();
      },

      refreshProfileTable(databaseId) {
        const table = get().profileTable;
        if (table?.databaseId !== databaseId) return;
        requery({}, 'total');
        const card = get().profileCard;
        if (card?.databaseId === databaseId) void get().openProfileCard(card.profileId);
      },

      forgetProfileTable(databaseId) {
        if (get().profileTable?.databaseId === databaseId) {
          generation += 1;
          set({ profileTable: null });
        }
        if (get().profileCard?.databaseId === databaseId) set({ profileCard: null });
      },

      forgetProfileField(databaseId, fieldId) {
        const table = get().profileTable;
        if (table?.databaseId !== databaseId) return;
        const sort = table.sort?.by === fieldId ? null : table.sort;
        const search = table.search?.in === fieldId ? null : table.search;
        if (sort !== table.sort || search !== table.search) set({ profileTable: { ...table, sort, search } });
      },

      async openProfileCard(profileId) {
        const table = get().profileTable;
        if (!table) return;
        const { databaseId, source } = table;
        const previous = get().profileCard;
        const same = previous?.databaseId === databaseId && previous.profileId === profileId;
        const kept = { card: same ? previous.card : null, interactions: same ? previous.interactions : null, events: same ? previous.events : null };
        set({ profileCard: { databaseId, source, profileId, ...kept, loading: true, error: null } });
        const isCurrent = () => {
          const card = get().profileCard;
          return card?.databaseId === databaseId && card.profileId === profileId && sameSource(card.source, source);
        };
        try {
          const [card, interactions, page] = await Promise.all([
            deps.client.call('profile/get', { databaseId, profileId }),
            deps.client.call('profile/interactions', { databaseId, profileId }),
            deps.client.call('events/list', { databaseId, profileId, offset: 0, limit: CARD_EVENTS_PAGE }),
          ]);
          const events = { total: page.total, items: page.events, loadingMore: false };
          if (isCurrent()) set({ profileCard: { databaseId, source, profileId, card, interactions, events, loading: false, error: null } });
        } catch (error) {
          const empty = { card: null, interactions: null, events: null };
          if (isCurrent()) set({ profileCard: { databaseId, source, profileId, ...empty, loading: false, error: describeError(error).message } });
        }
      },

      closeProfileCard() {
        set({ profileCard: null });
      },

      async loadMoreProfileEvents() {
        const card = get().profileCard;
        const events = card?.events;
        if (!card || !events || events.loadingMore || events.items.length >= events.total) return;
        const patchEvents = (change: Partial<ProfileEventsState>) => {
          const now = get().profileCard;
          if (now?.databaseId === card.databaseId && now.profileId === card.profileId && now.events) set({ profileCard: { ...now, events: { ...now.events, ...change } } });
        };
        patchEvents({ loadingMore: true });
        try {
          const page = await deps.client.call('events/list', {
            databaseId: card.databaseId,
            profileId: card.profileId,
            offset: events.items.length,
            limit: CARD_EVENTS_PAGE,
          });
          patchEvents({ total: page.total, items: [...events.items, ...page.events], loadingMore: false });
        } catch (error) {
          patchEvents({ loadingMore: false });
          get().reportError(error);
        }
      },

      resetProfiles() {
        generation += 1;
        range = INITIAL_RANGE;
        set({ profileTable: null, profileCard: null });
      },
    };
  };
