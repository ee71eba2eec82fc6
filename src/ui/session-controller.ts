import type { RunOutcome } from '../engine/events.js';
import { performSessionAction, type SessionAction, type SessionActionOptions } from '../engine/session-action.js';
import type { Session } from '../engine/session-types.js';
import { HotspareError } from '../domain/errors.js';
import type { AppStore } from '../store/app-store.js';

/** How the last command ended: its outcome, or the error it threw; `running` while one still runs. */
export interface Ended {
  readonly outcome?: RunOutcome | undefined;
  readonly error?: unknown;
  readonly running: boolean;
}

/** Performs the session's actions for the terminal: one at a time, errors shown as a banner, never thrown. */
export interface SessionController {
  /** Performs an action unless one is running; resolves with its outcome, or undefined if it threw or was refused. */
  perform(action: SessionAction): Promise<RunOutcome | undefined>;
  /** How the last command ended (the CLI turns it into the exit code). */
  ended(): Ended;
}

/**
 * How the session's commands ended, as the exit code should see it. A refusal after a run has ended
 * (r with nothing to resume, b after a rollback) changed nothing, so the run's outcome stands: q
 * after a clean finish exits 0.
 */
export function endedFor(
  last: { readonly outcome?: RunOutcome | undefined; readonly error?: unknown },
  running: boolean,
): Ended {
  const refusedAfterRun =
    last.outcome !== undefined && last.error instanceof HotspareError && last.error.kind === 'refused';
  return refusedAfterRun ? { outcome: last.outcome, running } : { ...last, running };
}

/** What a command's outcome leaves as the session's last one: a declined rollback changed nothing, so the one before stands. */
export function lastAfter(previous: RunOutcome | undefined, outcome: RunOutcome): RunOutcome {
  return outcome === 'declined' && previous !== undefined ? previous : outcome;
}

export function createSessionController(
  store: AppStore,
  session: Session,
  options: SessionActionOptions,
): SessionController {
  let last: { readonly outcome?: RunOutcome | undefined; readonly error?: unknown } = {};
  const refreshLock = (): void => {
    try {
      store.getState().setLockHolder(session.lockHolder());
    } catch {
      // The lock file is advisory for the header; a read failure must not break the run.
    }
  };
  return {
    perform: async (command) => {
      const state = store.getState();
      if (state.ui.busy) {
        state.dispatch({
          type: 'log',
          level: 'warn',
          message: `A command is already running; ${command} ignored.`,
          at: options.clock.now(),
        });
        return undefined;
      }
      state.setBusy(true);
      state.clearError();
      refreshLock();
      try {
        const outcome = await performSessionAction(session, command, options);
        last = { outcome: lastAfter(last.outcome, outcome) };
        return outcome;
      } catch (error) {
        last = { outcome: last.outcome, error };
        store.getState().showError(error);
        return undefined;
      } finally {
        store.getState().setBusy(false);
        refreshLock();
      }
    },
    ended: () => endedFor(last, store.getState().ui.busy),
  };
}
