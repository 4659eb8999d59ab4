import { subscribeWithSelector } from 'zustand/middleware';
import { createStore } from 'zustand/vanilla';
import type { EngineClient } from '../../shared/client';
import type { Platform } from '../client/platform';
import { connectMenuCommands } from './commands';
import { createActivitiesSlice } from './activities/slice';
import { createAnalyticsSlice } from './analytics/slice';
import { createAgendaSlice } from './agenda/slice';
import { createAttributesSlice } from './attributes/slice';
import { createCampaignsSlice } from './campaigns/slice';
import { createClockSlice } from './clock/slice';
import { createConditionsSlice } from './conditions/slice';
import { createDatabasesSlice } from './databases/slice';
import { createDialogsSlice } from './dialogs/slice';
import { connectEngineEvents } from './engine-events';
import { createEngineSlice } from './engine/slice';
import { createExportDialogSlice } from './export-dialog/slice';
import { createGcgSlice } from './gcg/slice';
import { createImportWizardSlice } from './import-wizard/slice';
import { createNavigationSlice } from './navigation/slice';
import { createNoticesSlice } from './notices/slice';
import { createOperationsSlice } from './operations/slice';
import { createProfilesSlice } from './profiles/slice';
import { createProjectSlice } from './project/slice';
import { createSegmentRecalcSlice } from './segments/recalc-slice';
import { createSegmentsSlice } from './segments/slice';
import { createSimulatorSlice } from './simulator/slice';
import { createStartSlice } from './start/slice';
import { createTimelineSlice } from './timeline/slice';
import type { AppState, AppStoreApi, StoreDeps } from './types';
import { createWarehouseSlice } from './warehouse/slice';

export type AppStore = AppStoreApi & {
  /** Stops the event and menu subscriptions (tests, hot reload). */
  dispose(): void;
};

export interface AppStoreOptions {
  readonly now?: () => number;
}

/**
 * The one store of the window, composed from its slices, with the middleware applied once
 * here. Each call makes a fresh store, so every test starts from a clean state.
 */
export function createAppStore(client: EngineClient, platform: Platform, options: AppStoreOptions = {}): AppStore {
  const deps: StoreDeps = { client, platform, now: options.now ?? (() => performance.now()) };
  const store = createStore<AppState>()(
    subscribeWithSelector((...a) => ({
      ...createProjectSlice(deps)(...a),
      ...createStartSlice(deps)(...a),
      ...createOperationsSlice(deps)(...a),
      ...createNoticesSlice()(...a),
      ...createDialogsSlice(deps)(...a),
      ...createEngineSlice(deps)(...a),
      ...createNavigationSlice()(...a),
      ...createDatabasesSlice(deps)(...a),
      ...createProfilesSlice(deps)(...a),
      ...createImportWizardSlice(deps)(...a),
      ...createExportDialogSlice(deps)(...a),
      ...createSegmentsSlice(deps)(...a),
      ...createConditionsSlice(deps)(...a),
      ...createSegmentRecalcSlice(deps)(...a),
      ...createGcgSlice(deps)(...a),
      ...createAttributesSlice(deps)(...a),
      ...createCampaignsSlice(deps)(...a),
      ...createActivitiesSlice(deps)(...a),
      ...createClockSlice(deps)(...a),
      ...createAgendaSlice(deps)(...a),
      ...createSimulatorSlice(deps)(...a),
      ...createTimelineSlice(deps)(...a),
      ...createAnalyticsSlice(deps)(...a),
      ...createWarehouseSlice(deps)(...a),
    })),
  );
  const stopEvents = connectEngineEvents(store, client, platform);
  const stopMenu = connectMenuCommands(store, platform);
  return Object.assign(store, {
    dispose() {
      stopEvents();
      stopMenu();
    },
  });
}

export type { AppState, AppStoreApi } from './types';
