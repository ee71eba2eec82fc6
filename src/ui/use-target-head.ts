import { useMemo } from 'react';
import { useAppStore } from '../store/context.js';
import { questionTargets } from './target-head.js';
import { ownRunNow, rolesSummary, updatedAgo } from './target-table.js';
import { listenerPart, scalingParts, summaryLines, type Segment } from './target-summary.js';
import { useNow } from './use-now.js';

/** What the target table draws above its rows, and which targets the open question depends on. */
export interface TargetHead {
  /** The summary, one or two lines fitted to the width. */
  readonly summary: readonly (readonly Segment[])[];
  /** A hotspare instance in the target group that no run in progress here accounts for. */
  readonly danger?: string | undefined;
  /** Targets drawn first and kept on screen while the open question depends on them. */
  readonly pinned: readonly string[];
  /** Rows above the column header: the summary lines and the danger line. */
  readonly rows: number;
}

/** The target table's head at `width` (AWS's tags say what each target is). */
export function useTargetHead(width: number): TargetHead {
  const targets = useAppStore((s) => s.dashboard.targets);
  const instances = useAppStore((s) => s.dashboard.instances);
  const listener = useAppStore((s) => s.dashboard.listener);
  const updatedAt = useAppStore((s) => s.dashboard.updatedAt);
  const env = useAppStore((s) => s.run.env);
  const ownRun = useAppStore((s) => s.ownRun);
  const run = useAppStore((s) => s.run);
  const prompt = useAppStore((s) => s.prompt);
  const now = useNow(1000);
  const updated = updatedAgo(updatedAt, now);
  const { summary: roles, danger } = useMemo(
    () => rolesSummary(targets, instances, env, ownRunNow(ownRun, run)),
    [targets, instances, env, ownRun, run],
  );
  const summary = useMemo(
    () =>
      summaryLines(
        {
          roles,
          listener: listener === undefined ? undefined : listenerPart(listener.defaultActions),
          scaling: scalingParts(env?.scalingGroups, run.steps),
          updated,
        },
        width,
      ),
    [roles, listener, env, run.steps, updated, width],
  );
  const pinned = useMemo(() => questionTargets(prompt, targets, instances), [prompt, targets, instances]);
  return useMemo(
    () => ({ summary, danger, pinned, rows: summary.length + (danger === undefined ? 0 : 1) }),
    [summary, danger, pinned],
  );
}
