import type { FailureDecision, Operator } from '../engine/operator.js';
import type { AppStore } from './app-store.js';

export interface StoreOperatorOptions {
  /**
   * `--yes` with a terminal: confirmations are answered `run` without asking (a pause (p) still
   * holds the run at the next one).
   */
  readonly autoConfirm?: boolean | undefined;
  /** Answer failures with this instead of asking (e.g. `stop` for `--yes`). */
  readonly autoFailure?: FailureDecision | undefined;
}

/**
 * The Operator port answered from the terminal: each question becomes the store's pending prompt and
 * the promise resolves when the UI calls `answerPrompt`. A typed-name prompt (live mode's first
 * mutating step) only accepts `run` with the exact runbook name.
 */
export function createStoreOperator(store: AppStore, options: StoreOperatorOptions = {}): Operator {
  const auto = options.autoConfirm === true;
  return {
    confirmStep: (request) =>
      store.getState().askConfirm(auto ? { ...request, typeToConfirm: undefined } : request, { auto }),
    onFailure: (request) => {
      if (options.autoFailure !== undefined) return Promise.resolve(options.autoFailure);
      return store.getState().askFailure(request);
    },
    confirmRollback: (request) => {
      if (options.autoConfirm === true) return Promise.resolve('run');
      return store.getState().askRollback(request);
    },
  };
}
