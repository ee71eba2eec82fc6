import type { SessionAction } from '../engine/session-action.js';
import type { RunSummary } from '../engine/run-summary.js';

/** What the terminal was started for (the CLI's command). */
export type TuiCommand = 'dashboard' | Exclude<SessionAction, 'abandon'>;

/** Whether to offer the unfinished run (resume / roll back / leave) instead of starting the command. */
export function shouldOffer(command: TuiCommand, yes: boolean, unfinished: RunSummary | undefined): boolean {
  if (unfinished === undefined || yes) return false;
  switch (command) {
    case 'dashboard':
    case 'failover':
    case 'drill':
      return true;
    case 'resume':
    case 'rollback':
      return false;
  }
}
