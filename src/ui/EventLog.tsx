import { memo, useMemo, type ReactNode } from 'react';
import { useAppStore } from '../store/context.js';
import type { LogLine } from '../store/state.js';
import { timeOfDay } from './format.js';
import { line, type Line } from './line-model.js';
import { Lines } from './Lines.js';

export interface EventLogProps {
  readonly maxLines: number;
}

function colorForLevel(level: LogLine['level']): string | undefined {
  switch (level) {
    case 'info':
      return undefined;
    case 'warn':
      return 'yellow';
    case 'error':
      return 'red';
  }
}

/** The latest `maxLines` log lines, newest last. */
export function logLines(log: readonly LogLine[], maxLines: number): readonly Line[] {
  return log.slice(-Math.max(0, maxLines)).map((l) => line(`${timeOfDay(l.at)} ${l.message}`, { color: colorForLevel(l.level) }));
}

/** The timestamped event log. */
export const EventLog = memo(function EventLog({ maxLines }: EventLogProps): ReactNode {
  const log = useAppStore((s) => s.log);
  const lines = useMemo(() => logLines(log, maxLines), [log, maxLines]);
  return <Lines lines={lines} max={maxLines} />;
});
