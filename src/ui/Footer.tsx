import { Text } from 'ink';
import type { ReactNode } from 'react';
import { useAppStore } from '../store/context.js';
import { footerEntries, footerText } from './footer-keys.js';
import type { ExtraKey } from './keys.js';
import { textWidth } from './text.js';
import { useColor } from './use-color.js';

export interface FooterProps {
  readonly extraKeys: readonly Pick<ExtraKey, 'key' | 'label'>[];
  readonly width: number;
}

/** The keys that work now, always on screen; notes a requested pause. */
export function Footer({ extraKeys, width }: FooterProps): ReactNode {
  const overlay = useAppStore((s) => s.ui.overlay);
  const prompt = useAppStore((s) => s.prompt);
  const busy = useAppStore((s) => s.ui.busy);
  const pauseRequested = useAppStore((s) => s.ui.pauseRequested);
  const expanded = useAppStore((s) => s.ui.expanded);
  const paint = useColor();
  const note = pauseRequested ? 'PAUSE at next step · ' : prompt?.kind === 'paused' ? 'PAUSED · ' : '';
  const keys = footerText(
    footerEntries({ overlay, prompt, busy, pauseRequested, expanded, extraKeys }),
    width - textWidth(note),
  );
  return (
    <Text wrap="truncate-end">
      <Text bold color={paint('yellow')}>
        {note}
      </Text>
      <Text dimColor={note === ''}>{keys}</Text>
    </Text>
  );
}
