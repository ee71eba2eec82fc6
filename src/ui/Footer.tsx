import { Text } from 'ink';
import type { ReactNode } from 'react';
import { useAppStore } from '../store/context.js';
import { footerText, type ExtraKey } from './keys.js';

export interface FooterProps {
  readonly extraKeys: readonly Pick<ExtraKey, 'key' | 'label'>[];
  readonly width: number;
}

/** The keys, always on screen; notes a requested pause. */
export function Footer({ extraKeys, width }: FooterProps): ReactNode {
  const paused = useAppStore((s) => s.ui.pauseRequested);
  return (
    <Text wrap="truncate-end" dimColor={!paused} color={paused ? 'yellow' : undefined}>
      {paused ? 'PAUSE at next step · ' : ''}
      {footerText(extraKeys, width, paused)}
    </Text>
  );
}
