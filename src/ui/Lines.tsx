import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { Line } from './line-model.js';

export interface LinesProps {
  readonly lines: readonly Line[];
  /** At most this many lines are drawn. */
  readonly max?: number | undefined;
}

/** Draws lines one row each, cut at the box edge so the height is exactly the line count. */
export function Lines({ lines, max }: LinesProps): ReactNode {
  const shown = max === undefined ? lines : lines.slice(0, Math.max(0, max));
  return (
    <Box flexDirection="column">
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate-end" color={l.color} bold={l.bold} dimColor={l.dim} inverse={l.inverse}>
          {l.text === '' ? ' ' : l.text}
        </Text>
      ))}
    </Box>
  );
}
