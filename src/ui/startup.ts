import type { RunSummary } from '../engine/run-summary.js';
import type { RunController } from './run-controller.js';

/** What the terminal was started for (the CLI's command). */
export type TuiCommand = 'dashboard' | 'failover' | 'resume' | 'rollback' | 'drill';

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

/**
 * Runs what the terminal was started for. A drill is a failover; with `--yes` a successful drill is
 * rolled back at once, without it the operator presses b when ready.
 */
export async function runStartCommand(command: TuiCommand, controller: RunController, yes: boolean): Promise<void> {
  switch (command) {
    case 'dashboard':
      return;
    case 'failover':
    case 'resume':
    case 'rollback':
      await controller.run(command);
      return;
    case 'drill': {
      const outcome = await controller.run('failover');
      if (yes && outcome === 'failed-over') await controller.run('rollback');
      return;
    }
  }
}
