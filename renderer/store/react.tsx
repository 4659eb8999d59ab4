import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AppState, AppStoreApi } from './types';

const StoreContext = createContext<AppStoreApi | null>(null);

export function StoreProvider({ store, children }: { store: AppStoreApi; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useStoreApi(): AppStoreApi {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp needs a <StoreProvider> above it.');
  return store;
}

/** Reads from the app store; re-renders when the selected value changes (Object.is). */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useStoreApi(), selector);
}

/** For selectors that build a new array or object each time: compares shallowly. */
export function useAppShallow<T>(selector: (state: AppState) => T): T {
  return useStore(useStoreApi(), useShallow(selector));
}

/** The store's actions never change: components take them from here without subscribing. */
export function useActions(): AppState {
  return useStoreApi().getState();
}
