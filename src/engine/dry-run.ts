import { toErrorRecord } from '../ports/errors.js';
import type { Plan } from '../plan/types.js';
import type { RunEnvironment } from '../steps/types.js';
import type { RunOutcome } from './events.js';
import { newRunId } from './journal.js';
import { preflight } from './preflight.js';
import type { SessionOptions } from './session-types.js';

/**
 * A dry run: every read is real (environment, preflight, EC2 DryRun for permissions), no mutating
 * call is sent and nothing is journaled. Each step is shown with the calls it would make.
 */
export async function dryRunPlan(options: SessionOptions, env: RunEnvironment, plan: Plan): Promise<RunOutcome> {
  const { emit, ports } = options;
  const runId = newRunId(ports.clock.now());
  const now = (): number => ports.clock.now();
  emit({ type: 'run-started', runId, runbook: plan.runbook, mode: 'dry-run', at: now(), resumed: false });
  try {
    const checks = await preflight(options.runbook, env, ports, runId);
    for (const c of checks) emit({ type: 'log', level: c.warning === true ? 'warn' : 'info', message: `preflight ${c.name}: ${c.detail}`, at: now() });
  } catch (error) {
    const record = toErrorRecord(error);
    emit({ type: 'log', level: 'error', message: `preflight failed: ${record.message}`, at: now() });
    emit({ type: 'run-finished', runId, outcome: 'failed', at: now() });
    return 'failed';
  }
  for (const step of plan.steps) {
    emit({ type: 'step-started', stepId: step.id, attempt: 1, at: now() });
    for (const call of step.calls) emit({ type: 'call', stepId: step.id, phase: 'dry-run', call, at: now() });
    emit({ type: 'step-skipped', stepId: step.id, reason: 'dry run: nothing sent', at: now() });
  }
  emit({ type: 'run-finished', runId, outcome: 'dry-run-complete', at: now() });
  return 'dry-run-complete';
}
