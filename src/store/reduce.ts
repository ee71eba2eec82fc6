import type { EngineEvent, RunOutcome } from '../engine/events.js';
import { appendCapped, reduceDashboard } from './reduce-dashboard.js';
import { reduceRun } from './reduce-run.js';
import { LOG_LIMIT, type AppData, type LogLine } from './state.js';

/** The event-log line an event adds, if any (the dashboard feed adds none). */
export function logLineFor(event: EngineEvent): LogLine | undefined {
  switch (event.type) {
    case 'log':
      return { at: event.at, level: event.level, message: event.message };
    case 'run-started':
      return info(event.at, `${event.resumed ? 'Resumed' : 'Started'} run ${event.runId} (${event.mode})`);
    case 'step-started':
      return info(event.at, `${event.stepId}: started${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`);
    case 'call':
      return event.phase === 'failed'
        ? line(event.at, 'error', `${event.stepId}: ${event.call.operation} failed: ${event.error?.message ?? 'error'}`)
        : undefined;
    case 'step-succeeded':
      return info(event.at, `${event.stepId}: done`);
    case 'step-failed':
      return line(event.at, 'error', `${event.stepId}: failed: ${event.error.message}`);
    case 'step-skipped':
      return info(event.at, `${event.stepId}: skipped (${event.reason})`);
    case 'verification':
      return line(
        event.at,
        event.holds ? 'info' : 'warn',
        `${event.stepId}: ${event.holds ? 'verified' : 'NOT verified'}: ${event.detail}`,
      );
    case 'rollback-started':
      return info(event.at, `Rolling back run ${event.runId}`);
    case 'undo-started':
      return info(event.at, `${event.stepId}: undoing`);
    case 'undo-succeeded':
      return info(event.at, `${event.stepId}: undone${event.detail === undefined ? '' : ` (${event.detail})`}`);
    case 'undo-skipped':
      return line(event.at, 'warn', `${event.stepId}: not undone (${event.reason})`);
    case 'undo-failed':
      return line(event.at, 'error', `${event.stepId}: undo failed: ${event.error.message}`);
    case 'run-finished':
      if (event.outcome === 'declined')
        return line(
          event.at,
          'warn',
          `Rollback not confirmed: nothing was undone (run ${event.runId} stands as it was).`,
        );
      return line(event.at, outcomeLevel(event.outcome), `Run ${event.runId} ${outcomeWords(event.outcome)}`);
    case 'plan':
    case 'environment':
    case 'step-progress':
    case 'targets':
    case 'probe':
    case 'traffic':
    case 'traffic-summary':
      return undefined;
  }
}

function outcomeLevel(outcome: RunOutcome): LogLine['level'] {
  switch (outcome) {
    case 'failed-over':
    case 'rolled-back':
    case 'dry-run-complete':
      return 'info';
    case 'abandoned':
      return 'warn';
    case 'aborted':
    case 'declined':
      return 'warn';
    case 'failed':
    case 'rollback-incomplete':
      return 'error';
  }
}

function outcomeWords(outcome: RunOutcome): string {
  switch (outcome) {
    case 'failed-over':
      return 'finished: failed over';
    case 'failed':
      return 'stopped on a failure (resumable)';
    case 'aborted':
      return 'stopped by the operator (resumable)';
    case 'rolled-back':
      return 'rolled back';
    case 'rollback-incomplete':
      return 'rollback incomplete';
    case 'dry-run-complete':
      return 'dry run complete';
    case 'abandoned':
      return 'closed without a full rollback';
    case 'declined':
      return 'rollback not confirmed: nothing was undone';
  }
}

function info(at: number, message: string): LogLine {
  return line(at, 'info', message);
}

function line(at: number, level: LogLine['level'], message: string): LogLine {
  return { at, level, message };
}

/**
 * Folds one engine event into the app state. Pure: returns a new state (sharing untouched parts, so
 * selectors over them stay referentially stable) and never mutates its input.
 */
export function reduce(state: AppData, event: EngineEvent): AppData {
  const next = endStart(reduceParts(state, event), event);
  const entry = logLineFor(event);
  return entry === undefined ? next : { ...next, log: appendCapped(next.log, entry, LOG_LIMIT) };
}

/**
 * A command's start is over once something runs or it ends without asking: text typed early in live
 * mode was for a runbook-name prompt that did not come, so it is dropped, and the log says so.
 */
function endStart(state: AppData, event: EngineEvent): AppData {
  if (
    !state.ui.starting ||
    (event.type !== 'step-started' && event.type !== 'undo-started' && event.type !== 'run-finished')
  )
    return state;
  const ui = { ...state.ui, starting: false, typeahead: '' };
  if (state.ui.typeahead === '') return { ...state, ui };
  const note: LogLine = {
    at: 'at' in event ? event.at : (state.log.at(-1)?.at ?? 0),
    level: 'warn',
    message: `Keys typed while the command was starting were not used ("${state.ui.typeahead}").`,
  };
  return { ...state, ui, log: appendCapped(state.log, note, LOG_LIMIT) };
}

function reduceParts(state: AppData, event: EngineEvent): AppData {
  switch (event.type) {
    case 'targets':
    case 'probe':
    case 'traffic':
    case 'traffic-summary':
      return { ...state, dashboard: reduceDashboard(state.dashboard, event) };
    case 'log':
      return state;
    case 'environment':
      return { ...state, account: state.account ?? event.env.account, run: reduceRun(state.run, event) };
    case 'run-started':
      return { ...state, run: reduceRun(state.run, event), ui: { ...state.ui, error: undefined } };
    default:
      return { ...state, run: reduceRun(state.run, event) };
  }
}
