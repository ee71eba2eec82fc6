import type { Clock } from '../ports/index.js';
import type { RunOutcome } from './events.js';
import type { Session } from './session-types.js';

/** What an operator does to a session (journaled runs start, go on or end through these), from the CLI or from the dashboard's keys. */
export type SessionAction = 'failover' | 'resume' | 'rollback' | 'drill' | 'abandon';

export interface SessionActionOptions {
  /** `--dry-run`: failover and rollback show what they would do; nothing is sent. */
  readonly dryRun: boolean;
  /** Drill: seconds to stay in maintenance before rolling back. */
  readonly holdSeconds: number;
  readonly clock: Clock;
  /** Aborts the drill's hold (quit, Ctrl-C). */
  readonly signal?: AbortSignal | undefined;
  /** A line for the operator ("Holding in maintenance mode for 30 s"). */
  readonly log: (message: string) => void;
}

/**
 * The one place that decides what an action does; the headless printer and the dashboard both
 * call it, so they cannot disagree. Exit codes are the CLI's business (see `cli/output/exit-codes.ts`).
 */
export function performSessionAction(
  session: Session,
  command: SessionAction,
  options: SessionActionOptions,
): Promise<RunOutcome> {
  switch (command) {
    case 'failover':
      return options.dryRun ? session.dryRun('failover') : session.failover();
    case 'resume':
      return session.resume();
    case 'rollback':
      return options.dryRun ? session.dryRun('rollback') : session.rollback();
    case 'drill':
      return drill(session, options);
    case 'abandon':
      return session.abandon();
  }
}

/**
 * Failover, verify, hold, roll back: a game day in one run. A failover that failed, even when the
 * operator then rolled it back, is a failed drill.
 */
async function drill(session: Session, options: SessionActionOptions): Promise<RunOutcome> {
  const first = options.dryRun ? await session.dryRun('failover') : await session.failover();
  if (options.dryRun) return first;
  if (first !== 'failed-over') return first === 'rolled-back' ? 'failed' : first;
  if (options.holdSeconds > 0) {
    options.log(`Holding in maintenance mode for ${options.holdSeconds} s`);
    await options.clock.sleep(options.holdSeconds * 1000, options.signal);
  }
  return session.rollback();
}
