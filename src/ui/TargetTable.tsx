import { Box, Text } from 'ink';
import { memo, useMemo, type ReactNode } from 'react';
import { useAppStore } from '../store/context.js';
import {
  colorForTargetState,
  describeListenerActions,
  scalingSummary,
  headerRow,
  moreTargets,
  orderTargets,
  ownRunNow,
  rolesSummary,
  targetCells,
  targetColumns,
  targetRow,
  updatedAgo,
  windowTargets,
} from './target-table.js';
import { useColor } from './use-color.js';
import { useNow } from './use-now.js';

export interface TargetTableProps {
  /** Rows for targets (the summary and header lines come on top); one says how many are hidden, if any are. */
  readonly rows: number;
  readonly width: number;
}

/** The target group's targets (joining and failing first), windowed to `rows` so 500 targets cost as much as a screenful. */
export const TargetTable = memo(function TargetTable({ rows, width }: TargetTableProps): ReactNode {
  const targets = useAppStore((s) => s.dashboard.targets);
  const instances = useAppStore((s) => s.dashboard.instances);
  const listener = useAppStore((s) => s.dashboard.listener);
  const scaling = useAppStore((s) => scalingSummary(s.run.env?.scalingGroups, s.run.steps));
  const updatedAt = useAppStore((s) => s.dashboard.updatedAt);
  const offset = useAppStore((s) => s.ui.targetOffset);
  const paint = useColor();
  const now = useNow(1000);
  const env = useAppStore((s) => s.run.env);
  const ownRun = useAppStore((s) => s.ownRun);
  const run = useAppStore((s) => s.run);
  const ordered = useMemo(() => orderTargets(targets), [targets]);
  // AWS's tags say what each target is; a hotspare instance no run here accounts for is a danger.
  const { summary, danger } = useMemo(
    () => rolesSummary(targets, instances, env, ownRunNow(ownRun, run)),
    [targets, instances, env, ownRun, run],
  );
  const targetRows = danger === undefined ? rows : Math.max(0, rows - 1);
  const hidden = targets.length > targetRows;
  const { shown, from } = windowTargets(ordered, offset, hidden ? Math.max(0, targetRows - 1) : targetRows);
  const cells = shown.map((t) => targetCells(t, instances[t.id]));
  const cols = targetColumns(width, cells);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>Targets </Text>
        {summary}
        {listener === undefined ? '' : ` · listener: ${describeListenerActions(listener.defaultActions)}`}
        {scaling === undefined ? '' : ` · ${scaling}`}
        <Text dimColor>{` · ${updatedAgo(updatedAt, now)}`}</Text>
      </Text>
      {danger === undefined ? null : (
        <Text wrap="truncate-end" color={paint('red')} bold>
          {danger}
        </Text>
      )}
      <Text wrap="truncate-end" dimColor>
        {headerRow(cols)}
      </Text>
      {shown.map((t, i) => {
        const [left, state, reason] = targetRow(cells[i] ?? targetCells(t, undefined), cols);
        return (
          <Text key={t.id} wrap="truncate-end">
            {left}
            <Text color={paint(colorForTargetState(t.state))}>{state}</Text>
            <Text dimColor>{reason}</Text>
          </Text>
        );
      })}
      {hidden ? <Text dimColor>{moreTargets(from, targets.length - from - shown.length)}</Text> : null}
    </Box>
  );
});
