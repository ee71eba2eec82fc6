import type { OwnRun } from '../plan/hotspare-targets.js';
import { isUnfinished, type RunSummary } from './run-summary.js';

/**
 * What this journal directory's latest run accounts for in AWS: while it is not rolled back or
 * abandoned, its run id (the `hotspare:run` tag of what it launched) and every instance id its
 * steps journaled (a started spare keeps its preparation's tags). Nothing once it is over: a tagged
 * instance still registered then was left behind.
 */
export function ownRunOf(run: RunSummary | undefined): OwnRun {
  if (run === undefined || !isUnfinished(run)) return {};
  const ids = new Set<string>();
  for (const step of run.steps) {
    for (const outputs of [step.outputs, ...step.calls.map((c) => c.outputs)]) {
      const id = outputs?.['instanceId'];
      if (typeof id === 'string') ids.add(id);
    }
  }
  return { runId: run.runId, instanceIds: [...ids] };
}
