import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from './app-store.js';

const StoreContext = createContext<AppStore | undefined>(undefined);

/** Hands one store to the component tree (every test renders with a fresh one). */
export function StoreProvider({
  store,
  children,
}: {
  readonly store: AppStore;
  readonly children?: ReactNode;
}): ReactNode {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** The store itself, for actions and `getState()` in key handlers. */
export function useAppStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (store === undefined) throw new Error('useAppStore must be used inside <StoreProvider>');
  return store;
}

/**
 * Reads a slice of the store and re-renders when it changes. Selectors must return stable
 * references (a part of the state or a primitive); derive anything else with `useMemo`.
 */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}
