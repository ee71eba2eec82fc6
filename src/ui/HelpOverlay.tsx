import type { ReactNode } from 'react';
import type { ExtraKey } from './keys.js';
import { line, type Line } from './line-model.js';
import { Lines } from './Lines.js';
import { windowBody } from './panel-model.js';
import { fit, wrapText } from './text.js';

export interface HelpOverlayProps {
  readonly extraKeys: readonly Pick<ExtraKey, 'key' | 'label'>[];
  readonly maxLines: number;
  readonly width: number;
}

/** Every key, with what it does. */
export function helpLines(extraKeys: readonly Pick<ExtraKey, 'key' | 'label'>[]): readonly Line[] {
  const entries: [string, string][] = [
    ['f', 'start the failover (each step asks first; dry-run mode: a dry run)'],
    ['b', 'roll back the latest run (undo its steps in reverse)'],
    ['r', 'resume the unfinished run (done steps are skipped)'],
    ['↑ ↓', 'select a step to see its exact API calls'],
    ['Tab', 'show the step detail or the question on the whole screen, and back'],
    ['PgUp PgDn', 'scroll the target table; the calls, on a question or the whole screen'],
    ['p', 'pause: hold the run before its next change; p again goes on'],
    ['Enter/y s n', 'at a confirmation: run · skip · stop (resumable)'],
    ['name Enter', 'the first change in live mode: type the runbook name, Esc stops'],
    ['r s b q', 'after a failure: retry · skip · roll back · stop'],
    ...extraKeys.map((k): [string, string] => [k.key, k.label]),
    ['Esc', 'dismiss an error; leave the whole-screen view'],
    ['?', 'close this help'],
    ['q', 'quit (asks during a run; the run stays journaled)'],
  ];
  return [line('Keys', { bold: true }), ...entries.map(([k, d]) => line(`  ${fit(k, 12)} ${d}`))];
}

/** The help screen (?). */
export function HelpOverlay({ extraKeys, maxLines, width }: HelpOverlayProps): ReactNode {
  // Descriptions wrap under themselves, past the 15-column key column.
  const lines = helpLines(extraKeys).flatMap((l) =>
    wrapText(l.text, width, ' '.repeat(15)).map((text) => ({ ...l, text })),
  );
  return <Lines lines={windowBody(lines, maxLines, 0, '').lines} />;
}
