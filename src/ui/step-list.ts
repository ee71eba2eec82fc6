import type { StepState } from '../engine/events.js';
import type { StepView } from '../store/state.js';
import { duration } from './format.js';

/** Glyph before a step's title; a running step shows a spinner instead. */
export function glyphForStepState(state: StepState): string {
  switch (state) {
    case 'pending':
      return '·';
    case 'running':
      return '›';
    case 'succeeded':
      return '✓';
    case 'failed':
      return '✗';
    case 'skipped':
      return '↷';
    case 'rolled-back':
      return '↺';
    case 'undo-failed':
      return '!';
  }
}

export function colorForStepState(state: StepState): string {
  switch (state) {
    case 'pending':
      return 'gray';
    case 'running':
      return 'cyan';
    case 'succeeded':
      return 'green';
    case 'failed':
    case 'undo-failed':
      return 'red';
    case 'skipped':
      return 'yellow';
    case 'rolled-back':
      return 'magenta';
  }
}

/** Words for a state, shown after the title. */
export function labelForStepState(state: StepState): string {
  switch (state) {
    case 'pending':
    case 'running':
    case 'succeeded':
    case 'failed':
    case 'skipped':
      return state === 'succeeded' ? 'done' : state;
    case 'rolled-back':
      return 'rolled back';
    case 'undo-failed':
      return 'undo failed';
  }
}

/** Time spent: running steps count up to `now`; pending steps show the plan's estimate. */
export function stepTiming(step: StepView, now: number): string {
  if (step.startedAt === undefined) return step.expectedSeconds > 0 ? `~${step.expectedSeconds} s` : '';
  return duration((step.finishedAt ?? now) - step.startedAt);
}

/** The window of steps to show around the selection when there are more steps than rows. */
export function windowSteps(count: number, selected: number, rows: number): { readonly from: number; readonly to: number } {
  if (count <= rows) return { from: 0, to: count };
  const from = Math.max(0, Math.min(count - rows, selected - Math.floor(rows / 2)));
  return { from, to: from + rows };
}
