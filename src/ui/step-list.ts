import type { StepState } from '../engine/events.js';
import type { StepView } from '../store/state.js';
import { duration } from './format.js';
import { textWidth, truncate } from './text.js';

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

/**
 * Time spent: running steps count up to `now`; pending steps show the plan's estimate. A step
 * finished in an earlier process (replayed on resume) has no start here and shows no time.
 */
export function stepTiming(step: StepView, now: number): string {
  if (step.startedAt === undefined)
    return step.state === 'pending' && step.expectedSeconds > 0 ? `~${step.expectedSeconds} s` : '';
  return duration((step.finishedAt ?? now) - step.startedAt);
}

/** A step row's parts within a width: the title gives way first, the state and time never. */
export interface StepRowText {
  /** `✓ 1. ` (the glyph is drawn by the component: it spins while running). */
  readonly number: string;
  readonly title: string;
  /** ` done 12 s attempt 2`. */
  readonly status: string;
  /** ` · 1/2 healthy`, possibly cut. */
  readonly progress: string;
}

/** The row for a step; `held` when the run is paused before it. */
export function stepRowText(step: StepView, number: number, width: number, now: number, held: boolean): StepRowText {
  const lead = `  ${number}. `;
  const label = held ? 'paused' : labelForStepState(step.state);
  const timing = held ? '' : stepTiming(step, now);
  const status = ` ${label}${timing === '' ? '' : ` ${timing}`}${step.attempt > 1 ? ` attempt ${step.attempt}` : ''}`;
  const progress = step.progress === undefined ? '' : ` · ${step.progress}`;
  const room = Math.max(1, width - textWidth(lead) - textWidth(status));
  if (textWidth(step.title) >= room)
    return { number: lead.slice(1), title: truncate(step.title, room), status, progress: '' };
  const left = room - textWidth(step.title);
  return { number: lead.slice(1), title: step.title, status, progress: left >= 4 ? truncate(progress, left) : '' };
}

/** The steps to draw in `rows` rows around the selection, and how many are hidden above and below. */
export interface StepWindow {
  readonly from: number;
  readonly to: number;
  readonly above: number;
  readonly below: number;
}

/**
 * The window of steps around the selection. When steps are hidden, a row above or below says how
 * many (`↑ 2 more`, `+3 more`), so the window shows `rows` minus those lines.
 */
export function windowSteps(count: number, selected: number, rows: number): StepWindow {
  if (count <= rows) return { from: 0, to: count, above: 0, below: 0 };
  const fit = (room: number): number => Math.max(0, Math.min(count - room, selected - Math.floor((room - 1) / 2)));
  let room = Math.max(1, rows - 1);
  let from = fit(room);
  if (from > 0 && from + room < count) {
    room = Math.max(1, rows - 2);
    from = fit(room);
  } else if (from > 0) {
    from = count - room;
  }
  const to = Math.min(count, from + room);
  return { from, to, above: from, below: count - to };
}
