import { memo, useMemo, type ReactNode } from 'react';
import { useAppStore } from '../store/context.js';
import type { LogLine } from '../store/state.js';
import { timeOfDay } from './format.js';
import { line, wrapLines, type Line } from './line-model.js';
import { Lines } from './Lines.js';
import { textWidth, truncate, truncateStart } from './text.js';

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
 * shows its beginning and its end (what went wrong, and usually what to do), `…` between them.
 */
export function logLines(log: readonly LogLine[], maxLines: number, width: number): readonly Line[] {
  if (maxLines <= 0) return [];
  const shown: Line[] = [];
  for (const l of log.slice(-maxLines).reverse()) {
    const rows = wrapLines([line(`${timeOfDay(l.at)} ${l.message}`, { color: colorForLevel(l.level) })], width);
    if (shown.length + rows.length <= maxLines) shown.unshift(...rows);
    else {
      if (shown.length === 0) shown.push(...elided(rows, maxLines, width));
      break;
    }
  }
  return shown;
}

/** `rows` (more than `maxLines`) in `maxLines`: the first rows, then the end of the message after `…`. */
function elided(rows: readonly Line[], maxLines: number, width: number): readonly Line[] {
  const first = rows[0];
  if (first === undefined) return rows;
  const whole = rows.map((r) => r.text.trim()).join(' ');
  if (maxLines === 1) {
    const head = truncate(whole, Math.ceil(width / 2));
    return [{ ...first, text: head + truncateStart(whole, width - textWidth(head) + 1).slice(1) }];
  }
  const rest = rows
    .slice(maxLines - 1)
    .map((r) => r.text.trim())
    .join(' ');
  return [...rows.slice(0, maxLines - 1), { ...first, text: truncateStart(`… ${rest}`, width) }];
}

/** The timestamped event log. */
export const EventLog = memo(function EventLog({ maxLines, width }: EventLogProps): ReactNode {
  const log = useAppStore((s) => s.log);
  const lines = useMemo(() => logLines(log, maxLines, width), [log, maxLines, width]);
  return <Lines lines={lines} max={maxLines} />;
});
