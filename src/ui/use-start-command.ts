import { useEffect, useState } from 'react';
import { ownRunOf } from '../engine/own-run.js';
import type { RunSummary } from '../engine/run-summary.js';
import type { Session } from '../engine/session-types.js';
import { useAppStoreApi } from '../store/context.js';
import type { SessionController } from './session-controller.js';
import { shouldOffer, type TuiCommand } from './startup.js';

export interface StartCommandOptions {
  readonly session: Session;
  readonly controller: SessionController;
  readonly command: TuiCommand;
  readonly yes: boolean;
  /** Called when a `--yes` command is done (the app then quits by itself). */
  readonly onDone: () => void;
}

/**
 * On mount: show the plan, then either offer the unfinished run (resume / roll back / leave) or
 * start the command the terminal was opened for. Returns the run being offered, if any.
 */
export function useStartCommand({
  session,
  controller,
  command,
  yes,
  onDone,
}: StartCommandOptions): RunSummary | undefined {
  const store = useAppStoreApi();
  const [offer, setOffer] = useState<RunSummary | undefined>(undefined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once, on mount
  useEffect(() => {
    const s = store.getState();
    try {
      if (s.run.steps.length === 0) s.loadPlan(session.plan);
      s.setLockHolder(session.lockHolder());
      const unfinished = session.unfinishedRun();
      s.setOwnRun(ownRunOf(unfinished));
      if (shouldOffer(command, yes, unfinished)) {
        setOffer(unfinished);
        s.setOverlay('offer');
        return;
      }
    } catch (error) {
      s.showError(error);
      return;
    }
    if (command === 'dashboard') return;
    void controller.perform(command).then(() => {
      if (yes) onDone();
    });
    // Runs once, on mount: the command the terminal was started for.
  }, []);
  return offer;
}
