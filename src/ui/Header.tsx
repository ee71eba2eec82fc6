import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useAppStore } from '../store/context.js';
import { clock } from './format.js';
import { lockLabel, modeBadge } from './header-badges.js';
import { useColor } from './use-color.js';
import { useNow } from './use-now.js';

/** Runbook, mode badge, region, account, lock holder and the incident clock since the run started. */
export function Header(): ReactNode {
  const runbook = useAppStore((s) => s.runbook);
  const mode = useAppStore((s) => s.mode);
  const region = useAppStore((s) => s.region);
  const account = useAppStore((s) => s.account);
  const lock = useAppStore((s) => s.lockHolder);
  const startedAt = useAppStore((s) => s.run.startedAt);
  const finishedAt = useAppStore((s) => s.run.finishedAt);
  const now = useNow(1000, startedAt !== undefined && finishedAt === undefined);
  const badge = modeBadge(mode);
  const paint = useColor();
  const colored = paint(badge.color) !== undefined;
  const holder = lockLabel(lock);
  return (
    <Box>
      <Text wrap="truncate-end">
        <Text bold>hotspare </Text>
        <Text bold>{runbook} </Text>
        {/* Without colour the badge is drawn in reverse video, so LIVE still stands out. */}
        <Text
          backgroundColor={paint(badge.color)}
          color={paint('black')}
          inverse={!colored}
          bold
        >{` ${badge.label} `}</Text>
        <Text> {region}</Text>
        {account === undefined ? null : <Text dimColor> acct {account}</Text>}
        {holder === undefined ? null : <Text color={paint('magenta')}> lock {holder}</Text>}
        {startedAt === undefined ? null : <Text bold> ⏱ {clock((finishedAt ?? now) - startedAt)}</Text>}
      </Text>
    </Box>
  );
}
