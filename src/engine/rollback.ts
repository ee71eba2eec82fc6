import { toErrorRecord } from '../ports/errors.js';
import { retryRead } from '../ports/retry.js';
import type { StepSpec } from '../runbook/schema.js';
import { stepDefinition } from '../steps/index.js';
import type { StepOutputs } from '../domain/types.js';
import type { OperatorIdentity } from './journal-records.js';
import { isInDoubt, partialOutputs, type JournaledStep, type RunSummary } from './run-summary.js';
import { createStepContext, type RunScope } from './step-context.js';

/** Whether rollback has something to reverse for this step. */
export function needsUndo(step: JournaledStep): boolean {
  if (!step.mutating || step.state === 'undone' || step.state === 'pending' || step.state === 'skipped') return false;
  return step.state === 'succeeded' || step.calls.some((c) => c.status !== 'failed');
}

/**
 * Undo a run's steps in reverse, from the journal alone (a saga's compensations). Every failure is
 * journaled and rollback carries on; the result names the steps that could not be undone.
 * An in-doubt step is first verified so that, e.g., an instance launched just before a crash is
 * found by its tags and terminated rather than orphaned.
 */
export async function rollbackRun(scope: RunScope, summary: RunSummary, specs: ReadonlyMap<string, StepSpec>, who: OperatorIdentity): Promise<string[]> {
  const { journal, emit } = scope;
  const now = (): number => scope.ports.clock.now();
  journal.append({ kind: 'rollback-started', operator: who });
  emit({ type: 'rollback-started', runId: summary.runId, at: now() });
  for (const step of summary.steps) {
    if (step.state === 'succeeded') scope.outputsByType.set(step.type, step.outputs ?? {});
  }
  const failures: string[] = [];
  for (const step of [...summary.steps].reverse()) {
    if (!needsUndo(step)) continue;
    const error = await undoStep(scope, step, specs.get(step.id));
    if (error !== undefined) failures.push(`${step.id}: ${error}`);
  }
  const outcome = failures.length === 0 ? 'rolled-back' : 'rollback-incomplete';
  journal.append({ kind: 'rollback-finished', outcome, failures });
  return failures;
}

async function undoStep(scope: RunScope, step: JournaledStep, spec: StepSpec | undefined): Promise<string | undefined> {
  const def = stepDefinition(step.type);
  const now = (): number => scope.ports.clock.now();
  scope.journal.append({ kind: 'undo-started', stepId: step.id });
  scope.emit({ type: 'undo-started', stepId: step.id, at: now() });
  const ctx = createStepContext(scope, step.id, step.attempt, 'undo');
  try {
    let outputs: StepOutputs = step.state === 'succeeded' ? { ...partialOutputs(step), ...(step.outputs ?? {}) } : partialOutputs(step);
    if (isInDoubt(step) && spec !== undefined) {
      const found = await retryRead(scope.ports.clock, () => def.verify(ctx, spec, outputs));
      outputs = { ...(found.outputs ?? {}), ...outputs };
    }
    await def.undo?.(ctx, outputs);
    scope.journal.append({ kind: 'undo-succeeded', stepId: step.id });
    scope.emit({ type: 'undo-succeeded', stepId: step.id, at: now() });
    return undefined;
  } catch (error) {
    const record = toErrorRecord(error);
    scope.journal.append({ kind: 'undo-failed', stepId: step.id, error: record });
    scope.emit({ type: 'undo-failed', stepId: step.id, error: record, at: now() });
    return record.message;
  }
}
