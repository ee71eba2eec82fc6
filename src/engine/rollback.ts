import type { StepOutputs } from '../domain/types.js';
import { toErrorRecord, type ErrorRecord } from '../domain/errors.js';
import type { TargetHealth } from '../ports/index.js';
import type { Plan, PlannedStep } from '../plan/types.js';
import type { StepType } from '../runbook/schema.js';
import { stepDefinition } from '../steps/index.js';
import type { Mode } from './events.js';
import type { OperatorIdentity } from './journal-records.js';
import type { Operator, RollbackRequest } from './operator.js';
import { compensationOf, isInDoubt, partialOutputs, type JournaledStep, type RunSummary } from './run-summary.js';
import { createStepContext, scopeRead, type RunScope } from './step-context.js';
import { withCompensation } from './compensation.js';
import { transition } from './transitions.js';
import { checkJournaled, checkWritten } from '../steps/journal-contract.js';

/** Whether rollback has something to reverse for this step. */
export function needsUndo(step: JournaledStep): boolean {
  if (!step.mutating || step.state === 'undone' || step.state === 'pending' || step.state === 'skipped') return false;
  return step.state === 'succeeded' || step.calls.some((c) => c.status !== 'failed');
}

export interface RollbackOptions {
  readonly scope: RunScope;
  readonly summary: RunSummary;
  /** The run's plan: each step's spec and the undo calls shown to the operator. */
  readonly plan: Plan;
  readonly who: OperatorIdentity;
  readonly operator: Operator;
  readonly mode: Mode;
}

/** How a rollback ended: `declined` when the operator said no before anything was undone. */
export type RollbackResult =
  | { readonly outcome: 'declined' }
  | { readonly outcome: 'rolled-back' | 'rollback-incomplete'; readonly failures: readonly string[] };

/** The steps to undo, last done first, with their plan entries. */
function stepsToUndo(summary: RunSummary, plan: Plan): { journaled: JournaledStep; planned: PlannedStep }[] {
  return [...summary.steps]
    .reverse()
    .filter(needsUndo)
    .flatMap((journaled) => {
      const planned = plan.steps.find((p) => p.id === journaled.id);
      return planned === undefined ? [] : [{ journaled, planned }];
    });
}

/** The web servers' health now, and a warning when they look unwell. A failed read is a warning, not a stop. */
async function webServersNow(scope: RunScope): Promise<Pick<RollbackRequest, 'webHealth' | 'warning'>> {
  const ids = new Set(scope.env.webTargets.map((t) => t.id));
  let health: readonly TargetHealth[];
  try {
    health = (await scopeRead(scope, () => scope.ports.lb.describeTargetHealth(scope.env.targetGroup.arn))).filter(
      (h) => ids.has(h.id),
    );
  } catch (error) {
    return { webHealth: [], warning: `Could not read the web servers' health (${toErrorRecord(error).message}).` };
  }
  const failing = health.filter((h) => h.state === 'unhealthy' || h.state === 'unavailable');
  if (failing.length > 0) {
    return {
      webHealth: health,
      warning: `${failing.length} of ${health.length} registered web server(s) fail their health checks: visitors go back to a failing origin.`,
    };
  }
  return { webHealth: health };
}

/**
 * Undo a run's steps in reverse, from the journal alone (a saga's compensations), after the
 * operator has confirmed it (live mode: each undo step too). Every undo reads before it acts and
 * treats "already undone" as done, so a rollback can be run any number of times. A failed undo is
 * journaled and rollback carries on, but a step that failed undo still needs (its `undoNeeds`, e.g.
 * the instance a target deregistration names) is kept for the next rollback rather than destroyed.
 */
export async function rollbackRun(options: RollbackOptions): Promise<RollbackResult> {
  const { scope, summary, plan, who, operator, mode } = options;
  const todo = stepsToUndo(summary, plan);
  // Every undo's journaled state is checked before anything is undone: a journal this version cannot
  // read is refused whole, never half-undone.
  for (const { journaled } of todo)
    checkJournaled(
      stepDefinition(journaled.type).journal,
      journaled,
      compensationOf(journaled),
      journaledInputs(journaled),
    );
  if (todo.length > 0) {
    const request: RollbackRequest = {
      runId: summary.runId,
      steps: todo.map((t) => t.planned),
      ...(await webServersNow(scope)),
      typeToConfirm: mode === 'live' ? scope.runbook.name : undefined,
    };
    if ((await operator.confirmRollback(request)) === 'stop') return { outcome: 'declined' };
  }
  transition(scope, { kind: 'rollback-started', operator: who }, { runStartedAt: summary.startedAt });
  for (const step of summary.steps) {
    if (step.state === 'succeeded') scope.outputsByType.set(step.type, step.outputs ?? {});
  }
  const failures: string[] = [];
  const held = new Map<StepType, string>();
  for (const [index, { journaled, planned }] of todo.entries()) {
    const keptFor = held.get(journaled.type);
    if (keptFor !== undefined) {
      skipUndo(scope, journaled.id, `kept: the failed undo of ${keptFor} still needs it; run the rollback again`);
      failures.push(`${journaled.id}: kept for ${keptFor}`);
      continue;
    }
    if (mode === 'live') {
      const decision = await operator.confirmStep({ step: planned, index, total: todo.length, phase: 'undo' });
      if (decision === 'stop') {
        for (const rest of todo.slice(index)) skipUndo(scope, rest.journaled.id, 'stopped by the operator');
        failures.push(...todo.slice(index).map((t) => `${t.journaled.id}: not undone (stopped by the operator)`));
        break;
      }
      if (decision === 'skip') {
        skipUndo(scope, journaled.id, 'skipped by the operator');
        failures.push(`${journaled.id}: skipped by the operator`);
        continue;
      }
    }
    const error = await undoStep(scope, journaled, planned);
    if (error === undefined) continue;
    failures.push(`${journaled.id}: ${error}`);
    for (const type of stepDefinition(journaled.type).undoNeeds ?? []) held.set(type, journaled.id);
  }
  const outcome = failures.length === 0 ? 'rolled-back' : 'rollback-incomplete';
  scope.journal.append({ kind: 'rollback-finished', outcome, failures });
  return { outcome, failures };
}

function skipUndo(scope: RunScope, stepId: string, reason: string): void {
  transition(scope, { kind: 'undo-skipped', stepId, reason });
}

/** What an undo gets: the step's outputs under its compensation state, recovered from AWS when in doubt. */
function journaledInputs(step: JournaledStep): StepOutputs {
  return withCompensation(
    { ...partialOutputs(step), ...(step.state === 'succeeded' ? (step.outputs ?? {}) : {}) },
    compensationOf(step),
  );
}

async function undoInputs(scope: RunScope, step: JournaledStep, planned: PlannedStep): Promise<StepOutputs> {
  const outputs = journaledInputs(step);
  if (!isInDoubt(step)) return outputs;
  const def = stepDefinition(step.type);
  const ctx = createStepContext(scope, step, step.attempt, 'undo');
  const found = await scopeRead(scope, () => def.verify(ctx, planned.spec, outputs));
  checkWritten(def.journal, 'outputs', step, found.outputs);
  return { ...(found.outputs ?? {}), ...outputs };
}

async function undoStep(scope: RunScope, step: JournaledStep, planned: PlannedStep): Promise<string | undefined> {
  const def = stepDefinition(step.type);
  transition(scope, { kind: 'undo-started', stepId: step.id });
  const ctx = createStepContext(scope, step, step.attempt, 'undo');
  try {
    const detail = (await def.undo?.(ctx, await undoInputs(scope, step, planned))) ?? undefined;
    transition(scope, { kind: 'undo-succeeded', stepId: step.id, detail });
    return undefined;
  } catch (error) {
    const record = undoFailure(toErrorRecord(error));
    transition(scope, { kind: 'undo-failed', stepId: step.id, error: record });
    return record.message;
  }
}

/**
 * A failed undo always says what to do next, and in a rollback's words: the step-level advice of
 * a transient failure ("retry the step") means running the rollback again here, which is safe
 * because every undo reads first. A failure with its own advice keeps it, then the same command.
 */
export function undoFailure(record: ErrorRecord): ErrorRecord {
  const again = 'run `hotspare rollback RUNBOOK` again: every undo reads first, so what is undone stays undone';
  if (record.retryable) return { ...record, nextSteps: `AWS failed for a moment (${record.code}): ${again}.` };
  if (record.nextSteps === undefined || record.nextSteps === '')
    return { ...record, nextSteps: `Fix what the message says, then ${again}.` };
  if (record.nextSteps.includes('hotspare rollback')) return record;
  return { ...record, nextSteps: `${record.nextSteps.replace(/\.?\s*$/, '.')} Then ${again}.` };
}
