import type { Mode, RunOutcome } from '../engine/events.js';
import type { RunSummary } from '../engine/run-summary.js';
import type { ErrorRecord } from '../domain/errors.js';
import type { ErrorBanner, RunState } from '../store/state.js';
import { timeOfDay } from './format.js';
import { line, type Line } from './line-model.js';

function verificationLines(run: RunState): readonly Line[] {
  return run.steps
    .filter((s) => s.verification !== undefined)
    .map((s) =>
      line(`  ${s.verification?.holds === true ? '✓' : '✗'} ${s.id}: ${s.verification?.detail ?? ''}`, {
        color: s.verification?.holds === true ? 'green' : 'red',
      }),
    );
}

function errorLines(error: ErrorRecord | undefined): readonly Line[] {
  if (error === undefined) return [];
  return [
    line(`  ${error.message}`, { color: 'red' }),
    ...(error.nextSteps === undefined ? [] : [line(`  Next: ${error.nextSteps}`)]),
  ];
}

/** The banner for how the last run ended; nothing while a run is going or before any. */
/** Manual steps nobody did (`--yes`): the operator must still do them. */
function notDoneLines(run: RunState): readonly Line[] {
  return (run.notDone ?? []).map((text) =>
    line(`☐ NOT DONE (nobody was asked): ${text}`, { bold: true, color: 'yellow' }),
  );
}

export function outcomeBannerLines(run: RunState): readonly Line[] {
  const outcome: RunOutcome | undefined = run.phase === 'finished' ? run.outcome : undefined;
  if (outcome === undefined) return [];
  switch (outcome) {
    case 'failed-over':
      return [
        line('Failover complete — maintenance site is live', { bold: true, color: 'green' }),
        ...notDoneLines(run),
        line('press b to roll back', { color: 'cyan' }),
      ];
    case 'rolled-back':
      return [line('Rollback complete — site restored', { bold: true, color: 'green' })];
    case 'rollback-incomplete':
      return [
        line('Rollback incomplete — some changes could not be undone', { bold: true, color: 'red' }),
        ...run.failures.map((f) => line(`  ✗ ${f}`, { color: 'red' })),
        line('See the journal; fix the cause and press b to try the rollback again.', { color: 'cyan' }),
      ];
    case 'failed':
      return [
        line('Failover stopped on a failure — journaled and resumable', { bold: true, color: 'red' }),
        ...errorLines(run.lastError),
        line('r resume · b roll back', { color: 'cyan' }),
      ];
    case 'aborted':
      return [
        line('Run stopped — journaled and resumable', { bold: true, color: 'yellow' }),
        line('r resume · b roll back', { color: 'cyan' }),
      ];
    case 'dry-run-complete':
      return [line('Dry run complete — nothing was changed', { bold: true, color: 'green' })];
    case 'declined':
      return [];
    case 'abandoned':
      return [
        line('Run closed without a full rollback — left in AWS:', { bold: true, color: 'yellow' }),
        ...run.failures.map((f) => line(`  ${f}`, { color: 'yellow' })),
      ];
  }
}

/**
 * What a finished failover or dry run verified, one line a step: shown under the banner where the
 * step detail scrolls, so the banner's headline and its keys are never pushed off a short terminal.
 */
export function outcomeDetailLines(run: RunState): readonly Line[] {
  const outcome: RunOutcome | undefined = run.phase === 'finished' ? run.outcome : undefined;
  return outcome === 'failed-over' || outcome === 'dry-run-complete' ? verificationLines(run) : [];
}

/** An error a command threw: message and next steps; the stack only for bugs. */
export function errorBannerLines(banner: ErrorBanner | undefined): readonly Line[] {
  if (banner === undefined) return [];
  const { error } = banner;
  const title = error.kind === 'bug' ? 'hotspare hit a bug' : error.kind === 'refused' ? 'Refused' : 'Error';
  const stack =
    error.kind === 'bug' && banner.stack !== undefined
      ? banner.stack
          .split('\n')
          .slice(1, 6)
          .map((s) => line(s, { dim: true }))
      : [];
  return [
    line(`${title}: ${error.message}`, { bold: true, color: 'red' }),
    ...(error.nextSteps === undefined ? [] : [line(`Next: ${error.nextSteps}`)]),
    ...stack,
    line('Esc to dismiss', { dim: true }),
  ];
}

/** The offer for an unfinished run found at start. */
export function offerLines(run: RunSummary, mode: Mode): readonly Line[] {
  const done = run.steps.filter((s) => s.state === 'succeeded').length;
  const who = `${run.operator.user}@${run.operator.host}`;
  return [
    line(`Unfinished run ${run.runId} (${run.phase}, started ${timeOfDay(run.startedAt)} by ${who})`, {
      bold: true,
      color: 'yellow',
    }),
    line(`  ${done}/${run.steps.length} steps done${run.mode === mode ? '' : ` · run in ${run.mode} mode`}`),
    line('r resume · b roll back · l leave it for now', { color: 'cyan' }),
  ];
}

/** Asking before quitting in the middle of a run; `hint` says what becomes of the run, with the commands. */
export function quitLines(
  hint = 'The run stays journaled: `hotspare resume RUNBOOK` or `hotspare rollback RUNBOOK` picks it up.',
): readonly Line[] {
  return [
    line('Quit while a run is in progress?', { bold: true, color: 'yellow' }),
    line(`  ${hint}`),
    line('y quit · n/Esc stay', { color: 'cyan' }),
  ];
}
