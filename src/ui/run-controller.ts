import { exitCodeForOutcome, type RunOutcome } from '../engine/events.js';
import type { Session } from '../engine/session-types.js';
import { exitCodeFor } from '../ports/errors.js';
import type { AppStore } from '../store/app-store.js';
import type { KeyCommand } from './keys.js';

/** Runs session commands for the terminal: one at a time, errors shown as a banner, never thrown. */
export interface RunController {
  /** Runs a command unless one is running; resolves with its outcome, or undefined if it threw or was refused. */
  run(command: KeyCommand): Promise<RunOutcome | undefined>;
  /** The exit code so far: 0 after success or nothing, 1 after a failure or an interrupted run, 2 usage, 3 refused. */
  exitCode(): number;
}

function invoke(session: Session, command: KeyCommand): Promise<RunOutcome> {
  switch (command) {
    case 'failover':
      return session.mode === 'dry-run' ? session.dryRun() : session.failover();
    case 'rollback':
      return session.rollback();
    case 'resume':
      return session.resume();
  }
}

export function createRunController(store: AppStore, session: Session): RunController {
  let last: { readonly outcome?: RunOutcome | undefined; readonly error?: unknown } = {};
  const refreshLock = (): void => {
    try {
      store.getState().setLockHolder(session.lockHolder());
    } catch {
      // The lock file is advisory for the header; a read failure must not break the run.
    }
  };
  return {
    run: async (command) => {
      const state = store.getState();
      if (state.ui.busy) {
        state.dispatch({ type: 'log', level: 'warn', message: `A command is already running; ${command} ignored.`, at: Date.now() });
        return undefined;
      }
      state.setBusy(true);
      state.clearError();
      refreshLock();
      try {
        const outcome = await invoke(session, command);
        last = { outcome };
        return outcome;
      } catch (error) {
        last = { error };
        store.getState().showError(error);
        return undefined;
      } finally {
        store.getState().setBusy(false);
        refreshLock();
      }
    },
    exitCode: () => {
      if (store.getState().ui.busy) return 1;
      return 'error' in last && last.error !== undefined ? exitCodeFor(last.error) : exitCodeForOutcome(last.outcome);
    },
  };
}
