import { memo, useMemo, type ReactNode } from 'react';
import { useAppStore } from '../store/context.js';
import type { LogLine } from '../store/state.js';
import { timeOfDay } from './format.js';
import { line, wrapLines, type Line } from './line-model.js';
import { Lines } from './Lines.js';
import { textWidth, truncate } from './text.js';

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

/**
 * The latest log lines wrapped to `width`, as many rows as `maxLines`, newest last. Only whole
 * messages are shown (never the tail of a wrapped one); a newest message too long for the rows
 * shows its beginning, cut with `…`.
 */
export function logLines(log: readonly LogLine[], maxLines: number, width: number): readonly Line[] {
  if (maxLines <= 0) return [];
  const shown: Line[] = [];
  for (const l of log.slice(-maxLines).reverse()) {
    const rows = wrapLines([line(`${timeOfDay(l.at)} ${l.message}`, { color: colorForLevel(l.level) })], width);
    if (shown.length + rows.length <= maxLines) shown.unshift(...rows);
    else {
      if (shown.length === 0) shown.push(...cutLast(rows.slice(0, maxLines), width));
      break;
    }
  }
  return shown;
}

/** The last line ending with `…`: more of the message follows that is not shown. */
function cutLast(rows: readonly Line[], width: number): readonly Line[] {
  const last = rows[rows.length - 1];
  if (last === undefined) return rows;
  const text = textWidth(last.text) < width ? `${last.text}…` : truncate(`${last.text}…`, width);
  return [...rows.slice(0, -1), { ...last, text }];
}

/** The timestamped event log. */
export const EventLog = memo(function EventLog({ maxLines, width }: EventLogProps): ReactNode {
  const log = useAppStore((s) => s.log);
  const lines = useMemo(() => logLines(log, maxLines, width), [log, maxLines, width]);
  return <Lines lines={lines} max={maxLines} />;
});
