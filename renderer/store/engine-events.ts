import type { EngineClient } from '../../shared/client';
import type { Platform } from '../client/platform';
import type { AppStoreApi } from './types';

/**
 * The one place where pushed events enter the store: engine events through the typed
 * client, and the connection status of the platform. Returns a function that stops it all.
 */
export function connectEngineEvents(store: AppStoreApi, client: EngineClient, platform: Platform): () => void {
  const stops = [
    client.on('project/changed', (state) => store.getState().applyProjectState(state)),
    client.on('progress', (event) => store.getState().applyProgress(event)),
    client.on('progress', (event) => store.getState().applyCampaignWork(event)),
    client.on('engine/restarted', (event) => store.getState().applyEngineRestarted(event)),
    platform.connection.onChange((status) => store.getState().setConnection(status)),
  ];
  // The status may have changed between the store's creation and this subscription.
  store.getState().setConnection(platform.connection.status());
  return () => {
    for (const stop of stops) stop();
  };
}
