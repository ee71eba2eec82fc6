import { memo, useMemo, type ReactNode } from 'react';
import { useAppStore } from '../store/context.js';
import type { LogLine } from '../store/state.js';
import { timeOfDay } from './format.js';
import { line, wrapLines, type Line } from './line-model.js';
import { Lines } from './Lines.js';

export interface EventLogProps {
  readonly maxLines: number;
  readonly width: number;
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

/** The latest log lines wrapped to `width`, as many rows as `maxLines`, newest last. */
export function logLines(log: readonly LogLine[], maxLines: number, width: number): readonly Line[] {
  if (maxLines <= 0) return [];
  const recent = log
    .slice(-maxLines)
    .map((l) => line(`${timeOfDay(l.at)} ${l.message}`, { color: colorForLevel(l.level) }));
  return wrapLines(recent, width).slice(-maxLines);
}

/** The timestamped event log. */
export const EventLog = memo(function EventLog({ maxLines, width }: EventLogProps): ReactNode {
  const log = useAppStore((s) => s.log);
  const lines = useMemo(() => logLines(log, maxLines, width), [log, maxLines, width]);
  return <Lines lines={lines} max={maxLines} />;
});
