import type { RunEnvironment } from '../domain/types.js';
import { RefusedError, toErrorRecord } from '../domain/errors.js';
import { buildPlan } from '../plan/build.js';
import type { Plan } from '../plan/types.js';
import { stepDefinition } from '../steps/index.js';
import type { RunOutcome } from './events.js';
import { newRunId } from './journal.js';
import { preflight } from './preflight.js';
import { needsUndo } from './rollback.js';
import { assumedEnvironment } from '../plan/environment.js';
import type { RunSummary } from './run-summary.js';
import type { SessionOptions } from './session-types.js';

/**
 * A dry run of a failover: every read is real (environment, preflight, EC2 DryRun for permissions,
 * each step's own read-only checks such as probing the maintenance site), no mutating call is sent
 * and nothing is journaled. Each step is shown with the calls it would make.
 */
export async function dryRunFailover(options: SessionOptions, env: RunEnvironment, plan: Plan): Promise<RunOutcome> {
  const { emit, ports } = options;
  const runId = newRunId(ports.clock.now());
  const now = (): number => ports.clock.now();
  emit({ type: 'run-started', runId, runbook: plan.runbook, mode: 'dry-run', at: now(), resumed: false });
  try {
    const checks = await preflight(options.runbook, env, ports, runId);
    for (const c of checks)
      emit({
        type: 'log',
        level: c.warning === true ? 'warn' : 'info',
        message: `preflight ${c.name}: ${c.detail}`,
        at: now(),
      });
  } catch (error) {
    const record = toErrorRecord(error);
    emit({ type: 'log', level: 'error', message: `preflight failed: ${record.message}`, at: now() });
    emit({ type: 'run-finished', runId, outcome: 'failed', at: now() });
    return 'failed';
  }
  let failed = false;
  for (const step of plan.steps) {
    emit({ type: 'step-started', stepId: step.id, attempt: 1, at: now() });
    for (const call of step.calls) emit({ type: 'call', stepId: step.id, phase: 'dry-run', call, at: now() });
    const preview = stepDefinition(step.type).preview;
    if (preview !== undefined) {
      const check = await preview({ runbook: options.runbook, env, runId, ports }, step.spec).catch(
        (error: unknown) => ({ holds: false, detail: toErrorRecord(error).message }),
      );
      emit({
        type: 'verification',
        stepId: step.id,
        holds: check.holds,
        detail: `dry run: ${check.detail}`,
        at: now(),
      });
      failed ||= !check.holds;
    }
    emit({ type: 'step-skipped', stepId: step.id, reason: 'dry run: nothing sent', at: now() });
  }
  const outcome: RunOutcome = failed ? 'failed' : 'dry-run-complete';
  emit({ type: 'run-finished', runId, outcome, at: now() });
  return outcome;
}

/** A dry run of a rollback: the steps it would undo, last done first, with their calls. Nothing sent or journaled. */
export async function dryRunRollback(options: SessionOptions, run: RunSummary | undefined): Promise<RunOutcome> {
  if (run === undefined || run.phase === 'rolled-back' || run.phase === 'abandoned') {
    throw new RefusedError('There is no run of this runbook to roll back.', { code: 'NothingToRollBack' });
  }
  const { emit, ports } = options;
  const now = (): number => ports.clock.now();
  const plan = buildPlan(options.runbook, run.env ?? assumedEnvironment(options.runbook), run.runId);
  emit({ type: 'run-started', runId: run.runId, runbook: run.runbook, mode: 'dry-run', at: now(), resumed: true });
  emit({ type: 'rollback-started', runId: run.runId, at: now(), runStartedAt: run.startedAt });
  for (const step of [...run.steps].reverse().filter(needsUndo)) {
    const planned = plan.steps.find((p) => p.id === step.id);
    emit({ type: 'undo-started', stepId: step.id, at: now() });
    for (const call of planned?.undo ?? []) emit({ type: 'call', stepId: step.id, phase: 'dry-run', call, at: now() });
    emit({ type: 'undo-skipped', stepId: step.id, reason: 'dry run: nothing sent', at: now() });
  }
  emit({ type: 'run-finished', runId: run.runId, outcome: 'dry-run-complete', at: now() });
  return 'dry-run-complete';
}
