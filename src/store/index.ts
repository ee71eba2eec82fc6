export { createAppStore, fitsPrompt, moveSelection, selectedIndex } from './app-store.js';
export type { AppActions, AppState, AppStore, PromptDecision } from './app-store.js';
export { createStoreOperator } from './store-operator.js';
export type { StoreOperatorOptions } from './store-operator.js';
export { reduce, logLineFor } from './reduce.js';
export * from './state.js';
