import type { StateCreator, StoreApi } from 'zustand/vanilla';
import type { EngineClient } from '../../shared/client';
import type { Platform } from '../client/platform';
import type { ActivitiesSlice } from './activities/slice';
import type { AnalyticsSlice } from './analytics/slice';
import type { AgendaSlice } from './agenda/slice';
import type { AttributesSlice } from './attributes/slice';
import type { CampaignsSlice } from './campaigns/slice';
import type { ClockSlice } from './clock/slice';
import type { ConditionsSlice } from './conditions/slice';
import type { DatabasesSlice } from './databases/slice';
import type { DialogsSlice } from './dialogs/slice';
import type { EngineSlice } from './engine/slice';
import type { ExportDialogSlice } from './export-dialog/slice';
import type { GcgSlice } from './gcg/slice';
import type { ImportWizardSlice } from './import-wizard/slice';
import type { NavigationSlice } from './navigation/slice';
import type { NoticesSlice } from './notices/slice';
import type { OperationsSlice } from './operations/slice';
import type { ProfilesSlice } from './profiles/slice';
import type { ProjectSlice } from './project/slice';
import type { SegmentRecalcSlice } from './segments/recalc-slice';
import type { SegmentsSlice } from './segments/slice';
import type { SimulatorSlice } from './simulator/slice';
import type { StartSlice } from './start/slice';
import type { TimelineSlice } from './timeline/slice';
import type { WarehouseSlice } from './warehouse/slice';

/** The whole UI state: one store composed from the slices below. */
export type AppState = ProjectSlice &
  StartSlice &
  OperationsSlice &
  NoticesSlice &
  DialogsSlice &
  EngineSlice &
  NavigationSlice &
  DatabasesSlice &
  ProfilesSlice &
  ImportWizardSlice &
  ExportDialogSlice &
  SegmentsSlice &
  ConditionsSlice &
  SegmentRecalcSlice &
  GcgSlice &
  AttributesSlice &
  CampaignsSlice &
  ActivitiesSlice &
  ClockSlice &
  AgendaSlice &
  SimulatorSlice &
  TimelineSlice &
  AnalyticsSlice &
  WarehouseSlice;

/** The middleware applied (once) where the slices are combined, as zustand types it. */
export type AppMutators = [['zustand/subscribeWithSelector', never]];

/** What every slice may use from outside the store. */
export interface StoreDeps {
  readonly client: EngineClient;
  readonly platform: Platform;
  /** Milliseconds for progress rates; tests pass their own clock. */
  readonly now: () => number;
}

/** A slice gets the whole store (slices call each other's actions) and returns its part. */
export type SliceCreator<T> = StateCreator<AppState, AppMutators, [], T>;

export type AppStoreApi = StoreApi<AppState> & {
  subscribe: {
    (listener: (state: AppState, previous: AppState) => void): () => void;
    <U>(
      selector: (state: AppState) => U,
      listener: (selected: U, previous: U) => void,
      options?: { equalityFn?: (a: U, b: U) => boolean; fireImmediately?: boolean },
    ): () => void;
  };
};
