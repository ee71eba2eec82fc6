import { Box, Text } from 'ink';
import { memo, useMemo, type ReactNode } from 'react';
import { useAppStore } from '../store/context.js';
import { colorForTargetState, describeListenerActions, headerRow, healthSummary, orderTargets, targetColumns, targetRow, updatedAgo, windowTargets } from './target-table.js';
import { useNow } from './use-now.js';

export interface TargetTableProps {
  /** Rows for targets (the summary and header lines come on top). */
  readonly rows: number;
  readonly width: number;
}

/** The target group's targets (joining and failing first), windowed to `rows` so 500 targets cost as much as a screenful. */
export const TargetTable = memo(function TargetTable({ rows, width }: TargetTableProps): ReactNode {
  const targets = useAppStore((s) => s.dashboard.targets);
  const instances = useAppStore((s) => s.dashboard.instances);
  const listener = useAppStore((s) => s.dashboard.listener);
  const updatedAt = useAppStore((s) => s.dashboard.updatedAt);
  const offset = useAppStore((s) => s.ui.targetOffset);
  const now = useNow(1000);
  const cols = targetColumns(width);
  const ordered = useMemo(() => orderTargets(targets), [targets]);
  const summary = useMemo(() => healthSummary(targets), [targets]);
  const { shown, from } = windowTargets(ordered, offset, rows);
  const more = targets.length > rows ? ` · ${from + 1}-${from + shown.length} of ${targets.length} (PgUp/PgDn)` : '';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>Targets </Text>
        {summary}
        {listener === undefined ? '' : ` · listener: ${describeListenerActions(listener.defaultActions)}`}
        <Text dimColor>{` · ${updatedAgo(updatedAt, now)}${more}`}</Text>
      </Text>
      <Text wrap="truncate-end" dimColor>
        {headerRow(cols)}
      </Text>
      {shown.map((t) => {
        const [left, state, reason] = targetRow(t, instances[t.id], cols);
        return (
          <Text key={t.id} wrap="truncate-end">
            {left}
            <Text color={colorForTargetState(t.state)}>{state}</Text>
            <Text dimColor>{reason}</Text>
          </Text>
        );
      })}
    </Box>
  );
});
