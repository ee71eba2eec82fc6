import type { EngineEvent, RunOutcome } from '../../engine/events.js';
import type { ApiCall } from '../../domain/types.js';
import { jsonText } from './json-out.js';
import { laterProcessCanAct, leftRunHint, nextCommand, withRealCommands, type Invocation } from './next-commands.js';

/** Where printed lines go (stdout in production, an array in tests). */
export type Write = (line: string) => void;

/** The exact call, parameters in full: the operator approves what is printed. */
function callText(call: ApiCall): string {
  return `${call.service} ${call.operation} ${JSON.stringify(call.params)}${call.note ? ` (${call.note})` : ''}`;
}

export interface PrinterOptions {
  /** `--json`: one JSON event per line. */
  readonly json: boolean;
  /** Colour the marks (✓ green, ✗ red, warnings yellow); off with NO_COLOR or without a terminal. */
  readonly color?: boolean | undefined;
  /** How this run was started, so the commands printed (resume, roll back) can be pasted as they are. */
  readonly invocation?: Invocation | undefined;
}

/** The runbook placeholder, when the printer is not told how the run was started. */
const PLACEHOLDER: Invocation = { runbook: 'RUNBOOK', sandbox: false };

type Tone = 'green' | 'red' | 'yellow' | 'cyan';
const SGR: Record<Tone, string> = { green: '32', red: '31', yellow: '33', cyan: '36' };

/** The colour of a printed line, from the event it prints. */
function toneOf(e: EngineEvent): Tone | undefined {
  switch (e.type) {
    case 'step-succeeded':
    case 'undo-succeeded':
      return 'green';
    case 'step-failed':
    case 'undo-failed':
      return 'red';
    case 'verification':
      return e.holds ? 'green' : 'red';
    case 'call':
      return e.phase === 'failed' ? 'red' : e.phase === 'result' ? 'green' : undefined;
    case 'log':
      return e.level === 'error' ? 'red' : e.level === 'warn' ? 'yellow' : undefined;
    case 'run-finished':
      if (e.outcome === 'declined') return 'yellow';
      return e.outcome === 'failed-over' || e.outcome === 'rolled-back' || e.outcome === 'dry-run-complete'
        ? 'green'
        : 'red';
    default:
      return undefined;
  }
}

function paint(text: string, tone: Tone | undefined): string {
  return tone === undefined ? text : `\u001B[${SGR[tone]}m${text}\u001B[39m`;
}

function elapsed(start: number | undefined, at: number): string {
  return start === undefined ? '' : `[${((at - start) / 1000).toFixed(1).padStart(6)} s] `;
}

/** How a run ended, and what the operator can do next (as a command to paste). */
const OUTCOME_TEXT: Record<RunOutcome, { readonly head: string; readonly next?: (inv: Invocation) => string }> = {
  'failed-over': {
    head: 'Failover complete — maintenance site is live.',
    next: (inv) => `Roll back with \`${nextCommand('rollback', inv)}\`.`,
  },
  failed: {
    head: 'A step failed.',
    next: (inv) =>
      `The run is journaled: \`${nextCommand('resume', inv)}\` to go on, \`${nextCommand('rollback', inv)}\` to undo.`,
  },
  aborted: {
    head: 'Stopped.',
    next: (inv) =>
      `The run is journaled: \`${nextCommand('resume', inv)}\` to go on, \`${nextCommand('rollback', inv)}\` to undo.`,
  },
  'rolled-back': { head: 'Rollback complete — the site is restored.' },
  'rollback-incomplete': {
    head: 'Rollback incomplete: some steps could not be undone (see above).',
    next: (inv) => `Fix the cause and run \`${nextCommand('rollback', inv)}\` again.`,
  },
  'dry-run-complete': { head: 'Dry run complete: nothing was changed.' },
  abandoned: { head: 'Run closed without a full rollback; what it left in AWS is listed above and journaled.' },
  declined: {
    head: 'Rollback not confirmed: nothing was undone.',
    next: (inv) => `The run stands as it was; \`${nextCommand('rollback', inv)}\` undoes it when you are ready.`,
  },
};

/** The outcome line; a sandbox run that no later process can act on says where its journal is instead. */
export function outcomeLine(outcome: RunOutcome, inv: Invocation): string {
  const { head, next } = OUTCOME_TEXT[outcome];
  if (next === undefined) return head;
  return `${head} ${laterProcessCanAct(inv) ? next(inv) : leftRunHint(inv)}`;
}

/** The manual steps nobody did, after the outcome line: the operator must still do them. */
function notDoneText(notDone: readonly string[] | undefined): string {
  if (notDone === undefined || notDone.length === 0) return '';
  return `\nNOT DONE — nobody was asked (--yes); do by hand: ${notDone.map((t) => `"${t}"`).join('; ')}.`;
}

/**
 * The headless line printer: the same events the dashboard renders, as plain lines with every API
 * call in full. With `json` each event is one JSON line (never coloured). Dashboard feed events are
 * not printed in human mode.
 */
export function createPrinter(write: Write, options: PrinterOptions | boolean): (event: EngineEvent) => void {
  const { json, color = false, invocation = PLACEHOLDER } = typeof options === 'boolean' ? { json: options } : options;
  let start: number | undefined;
  return (event) => {
    if (json) {
      write(jsonText(event));
      return;
    }
    const raw = humanLine(event, start, invocation);
    const line = raw === undefined ? undefined : withRealCommands(raw, invocation);
    if (event.type === 'run-started') start = event.at;
    if (line !== undefined) write(color ? paint(line, toneOf(event)) : line);
  };
}

function humanLine(e: EngineEvent, start: number | undefined, inv: Invocation): string | undefined {
  switch (e.type) {
    case 'run-started':
      return `${e.resumed ? 'Resuming' : 'Starting'} run ${e.runId} of ${e.runbook} (${e.mode.toUpperCase()})`;
    case 'step-started':
      return `${elapsed(start, e.at)}▶ ${e.stepId}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`;
    case 'step-progress':
      return `${elapsed(start, e.at)}  … ${e.stepId}: ${e.message}`;
    case 'call':
      return `${elapsed(start, e.at)}  ${e.phase === 'result' ? '✓' : e.phase === 'failed' ? '✗' : e.phase === 'dry-run' ? '(dry run)' : '→'} ${callText(e.call)}${e.requestId ? ` [request ${e.requestId}]` : ''}`;
    case 'step-succeeded':
      return `${elapsed(start, e.at)}✓ ${e.stepId}`;
    case 'step-failed':
      return `${elapsed(start, e.at)}✗ ${e.stepId}: ${e.error.message}${e.error.nextSteps ? `\n    next: ${e.error.nextSteps}` : ''}`;
    case 'step-skipped':
      return e.unattended === true
        ? `${elapsed(start, e.at)}☐ ${e.stepId} NOT DONE — ${e.reason}`
        : `${elapsed(start, e.at)}- ${e.stepId} skipped: ${e.reason}`;
    case 'verification':
      return `${elapsed(start, e.at)}  ${e.holds ? 'verified' : 'NOT verified'}: ${e.detail}`;
    case 'rollback-started':
      return `${elapsed(start, e.at)}Rolling back run ${e.runId}`;
    case 'undo-started':
      return `${elapsed(start, e.at)}↶ undo ${e.stepId}`;
    case 'undo-succeeded':
      return `${elapsed(start, e.at)}✓ undone ${e.stepId}`;
    case 'undo-failed':
      return `${elapsed(start, e.at)}✗ undo ${e.stepId} failed: ${e.error.message}${e.error.nextSteps ? `\n    next: ${e.error.nextSteps}` : ''}`;
    case 'run-finished':
      return `${outcomeLine(e.outcome, inv)}${notDoneText(e.notDone)}`;
    case 'log':
      return `${e.level === 'info' ? '' : `${e.level}: `}${e.message}`;
    case 'traffic-summary':
      return `traffic: ${e.total} requests, ${e.failed} failed`;
    case 'plan':
    case 'environment':
    case 'targets':
    case 'probe':
    case 'traffic':
      return undefined;
  }
}
