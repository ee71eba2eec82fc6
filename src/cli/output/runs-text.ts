import type { RunListing } from '../../engine/run-list.js';
import { textWidth } from '../../ui/text.js';

/** `2026-12-03 15:18:24` in UTC: a list read across time zones and laptops. */
function utc(at: number): string {
  return at === 0
    ? '?'
    : new Date(at)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, '');
}

const HEAD = ['STATE', 'RUN', 'RUNBOOK', 'STRATEGY', 'WHO', 'STARTED (UTC)', 'MODE'] as const;

function cells(r: RunListing): readonly string[] {
  return [r.state, r.runId, r.runbook, r.strategy, r.who, utc(r.startedAt), r.mode];
}

/**
 * `hotspare runs` as a table, one run a line, newest first (`gh run list` is the model); every
 * column whole, so a run id can be copied into `hotspare timeline RUN`. Unreadable journals are
 * named under the table with why.
 */
export function runsText(runs: readonly RunListing[], where: string): string {
  if (runs.length === 0) return `No runs in ${where}.`;
  const rows = [HEAD, ...runs.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((row) => textWidth(row[i] ?? ''))));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - textWidth(cell))))
      .join('  ')
      .trimEnd(),
  );
  const problems = runs.filter((r) => r.problem !== undefined).map((r) => `${r.journal}: ${r.problem ?? ''}`);
  return [...lines, ...(problems.length === 0 ? [] : ['', ...problems])].join('\n');
}
