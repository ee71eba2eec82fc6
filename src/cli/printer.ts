import type { EngineEvent, RunOutcome } from '../engine/events.js';
import type { ApiCall } from '../domain/types.js';

/** Where printed lines go (stdout in production, an array in tests). */
export type Write = (line: string) => void;

function callText(call: ApiCall): string {
  const params = JSON.stringify(call.params);
  const short = params.length > 160 ? `${params.slice(0, 157)}...` : params;
  return `${call.service} ${call.operation} ${short}${call.note ? ` (${call.note})` : ''}`;
}

function elapsed(start: number | undefined, at: number): string {
  return start === undefined ? '' : `[${((at - start) / 1000).toFixed(1).padStart(6)} s] `;
}

const OUTCOME_TEXT: Record<RunOutcome, string> = {
  'failed-over': 'Failover complete — maintenance site is live. Roll back with `hotspare rollback RUNBOOK`.',
  failed: 'A step failed. The run is journaled: `hotspare resume RUNBOOK` to go on, `hotspare rollback RUNBOOK` to undo.',
  aborted: 'Stopped. The run is journaled: `hotspare resume RUNBOOK` to go on, `hotspare rollback RUNBOOK` to undo.',
  'rolled-back': 'Rollback complete — the site is restored.',
  'rollback-incomplete': 'Rollback incomplete: some steps could not be undone (see above). Fix the cause and run `hotspare rollback RUNBOOK` again.',
  'dry-run-complete': 'Dry run complete: nothing was changed.',
  abandoned: 'Run closed without a full rollback; what it left in AWS is listed above and journaled.',
};

/**
 * The headless line printer: the same events the dashboard renders, as plain lines. With `json`
 * each event is one JSON line. Dashboard feed events are not printed in human mode.
 */
export function createPrinter(write: Write, json: boolean): (event: EngineEvent) => void {
  let start: number | undefined;
  return (event) => {
    if (json) {
      write(JSON.stringify(event));
      return;
    }
    const line = humanLine(event, start);
    if (event.type === 'run-started') start = event.at;
    if (line !== undefined) write(line);
  };
}

function humanLine(e: EngineEvent, start: number | undefined): string | undefined {
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
      return `${elapsed(start, e.at)}- ${e.stepId} skipped: ${e.reason}`;
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
      return OUTCOME_TEXT[e.outcome];
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
