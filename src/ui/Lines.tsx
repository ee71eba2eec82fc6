import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { Line } from './line-model.js';
import { useColor } from './use-color.js';

export interface LinesProps {
  readonly lines: readonly Line[];
  /** At most this many lines are drawn. */
  readonly max?: number | undefined;
}

/**
 * Draws lines one row each. Callers wrap them to the width first (`wrapLines`); the cut at the box
 * edge only guards the frame's height.
 */
export function Lines({ lines, max }: LinesProps): ReactNode {
  const paint = useColor();
  const shown = max === undefined ? lines : lines.slice(0, Math.max(0, max));
  return (
    <Box flexDirection="column">
      {shown.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of text are redrawn whole, never reordered
        <Text key={i} wrap="truncate-end" color={paint(l.color)} bold={l.bold} dimColor={l.dim} inverse={l.inverse}>
          {l.text === '' ? ' ' : l.text}
        </Text>
      ))}
    </Box>
  );
}
