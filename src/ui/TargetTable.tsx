import { Box, Text } from 'ink';
import { memo, useMemo, type ReactNode } from 'react';
import { useAppStore } from '../store/context.js';
import { pinFirst } from './target-head.js';
import {
  colorForTargetState,
  headerRow,
  moreTargets,
  orderTargets,
  targetCells,
  targetColumns,
  targetRow,
  windowTargets,
} from './target-table.js';
import { useColor } from './use-color.js';
import type { TargetHead } from './use-target-head.js';

export interface TargetTableProps {
  /** Rows for targets (the head and the column header come on top); one says how many are hidden, if any are. */
  readonly rows: number;
  readonly width: number;
  readonly head: TargetHead;
}

/**
 * The target group's targets (those the open question depends on first, then joining and failing),
 * windowed to `rows` so 500 targets cost as much as a screenful.
 */
export const TargetTable = memo(function TargetTable({ rows, width, head }: TargetTableProps): ReactNode {
  const targets = useAppStore((s) => s.dashboard.targets);
  const instances = useAppStore((s) => s.dashboard.instances);
  const offset = useAppStore((s) => s.ui.targetOffset);
  const paint = useColor();
  const ordered = useMemo(() => pinFirst(orderTargets(targets), head.pinned), [targets, head.pinned]);
  const hidden = targets.length > rows;
  // While a question depends on them, the pinned targets stay on screen whatever the scroll.
  const from = head.pinned.length > 0 ? 0 : offset;
  const { shown, from: first } = windowTargets(ordered, from, hidden ? Math.max(0, rows - 1) : rows);
  const cells = shown.map((t) => targetCells(t, instances[t.id]));
  const cols = targetColumns(width, cells);
  return (
    <Box flexDirection="column">
      {head.summary.map((segments, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the summary's lines are redrawn whole
        <Text key={i} wrap="truncate-end">
          {segments.map((s, j) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a line's segments are redrawn whole
            <Text key={j} bold={s.bold} dimColor={s.dim}>
              {s.text}
            </Text>
          ))}
        </Text>
      ))}
      {head.danger === undefined ? null : (
        <Text wrap="truncate-end" color={paint('red')} bold>
          {head.danger}
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
      {hidden ? <Text dimColor>{moreTargets(first, targets.length - first - shown.length)}</Text> : null}
    </Box>
  );
});
