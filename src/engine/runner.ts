import type { StepOutputs } from '../domain/types.js';
import { ExternalError, toErrorRecord, type ErrorRecord } from '../domain/errors.js';
import type { Plan, PlannedStep } from '../plan/types.js';
import type { StepType } from '../runbook/schema.js';
import { stepDefinition } from '../steps/index.js';
import { checkJournaled, checkWritten } from '../steps/journal-contract.js';
import { withCompensation } from './compensation.js';
import { transition } from './transitions.js';
import type { Mode } from './events.js';
import type { Operator } from './operator.js';
import { compensationOf, isInDoubt, partialOutputs, type JournaledStep, type RunSummary } from './run-summary.js';
import { createStepContext, recordedCompensation, scopeRead, type RunScope } from './step-context.js';

export type RunnerResult = 'failed-over' | 'failed' | 'aborted' | 'rollback-requested';

export interface RunnerOptions {
  readonly scope: RunScope;
  readonly plan: Plan;
  readonly operator: Operator;
  readonly mode: Mode;
  /** The journal so far when resuming; undefined for a new run. */
  readonly prior?: RunSummary | undefined;
}

type StepResult = 'done' | 'skipped' | 'stop' | 'failed' | 'rollback';

/**
 * Run the plan's steps in order: confirm -> journal intent -> act -> wait -> verify -> journal
 * result. On resume, steps with a terminal record are replayed from the journal, and an in-doubt
 * step (a call sent, its outcome never journaled) is verified against AWS before it is run again.
 */
export async function executeSteps(options: RunnerOptions): Promise<RunnerResult> {
  const { scope, plan, prior } = options;
  const state = { typedName: options.mode !== 'live' };
  for (const [index, step] of plan.steps.entries()) {
    const journaled = prior?.steps.find((s) => s.id === step.id);
    if (journaled !== undefined && replay(scope, step, journaled)) continue;
    if (journaled !== undefined && (await recoverInDoubt(scope, step, journaled))) continue;
    const result = await runStep(options, step, index, state, (journaled?.attempt ?? 0) + 1);
    if (result === 'stop') return finish(scope, 'aborted');
    if (result === 'failed') return finish(scope, 'failed');
    if (result === 'rollback') return 'rollback-requested';
  }
  return finish(scope, 'failed-over');
}

function finish(scope: RunScope, outcome: 'failed-over' | 'failed' | 'aborted'): RunnerResult {
  scope.journal.append({ kind: 'run-finished', outcome });
  return outcome;
}

/** A step the journal says is finished: feed its outputs forward and tell the UI. Otherwise remember what its calls recorded. */
function replay(scope: RunScope, step: PlannedStep, journaled: JournaledStep): boolean {
  const at = scope.ports.clock.now();
  checkJournaled(
    stepDefinition(step.type).journal,
    journaled,
    compensationOf(journaled),
    journaled.state === 'succeeded' ? (journaled.outputs ?? {}) : partialOutputs(journaled),
  );
  if (journaled.state === 'succeeded') {
    scope.outputsByType.set(step.type, journaled.outputs ?? {});
    scope.emit({ type: 'step-succeeded', stepId: step.id, outputs: journaled.outputs ?? {}, at });
    return true;
  }
  if (journaled.state === 'skipped') {
    scope.emit({ type: 'step-skipped', stepId: step.id, reason: 'skipped earlier in this run', at });
    return true;
  }
  scope.recorded.set(step.id, { outputs: partialOutputs(journaled), compensation: compensationOf(journaled) });
  return false;
}

/**
 * An in-doubt step (its call sent, its outcome never journaled) is checked against AWS: when its
 * effect holds it is recorded as done without running it again; when it does not, it runs again.
 */
async function recoverInDoubt(scope: RunScope, step: PlannedStep, journaled: JournaledStep): Promise<boolean> {
  if (!isInDoubt(journaled) && journaled.state !== 'running') return false;
  const def = stepDefinition(step.type);
  const ctx = createStepContext(scope, step, journaled.attempt, 'run');
  const check = await scopeRead(scope, () => def.verify(ctx, step.spec, partialOutputs(journaled)));
  transition(
    scope,
    { kind: 'verified', stepId: step.id, holds: check.holds, detail: check.detail },
    { detail: `in doubt after a crash: ${check.detail}` },
  );
  if (!check.holds) return false;
  succeed(
    scope,
    step,
    journaled.attempt,
    withCompensation({ ...partialOutputs(journaled), ...(check.outputs ?? {}) }, compensationOf(journaled)),
  );
  return true;
}

function succeed(scope: RunScope, step: PlannedStep, attempt: number, outputs: StepOutputs): void {
  checkWritten(stepDefinition(step.type).journal, 'state', step, outputs);
  scope.outputsByType.set(step.type, outputs);
  transition(scope, { kind: 'step-succeeded', stepId: step.id, attempt, outputs });
}

/**
 * The step as it will run now: its calls (and undo) described again with the outputs of the steps
 * done so far, so the question shows the real ids (the redirect instance launched) where the plan
 * had placeholders.
 */
function withKnownIds(scope: RunScope, step: PlannedStep): PlannedStep {
  const def = stepDefinition(step.type);
  const ctx = {
    runbook: scope.runbook,
    env: scope.env,
    runId: scope.runId,
    startedBy: scope.startedBy,
    outputsOf: (type: StepType) => scope.outputsByType.get(type),
  };
  return { ...step, calls: def.describe(step.spec as never, ctx), undo: def.describeUndo(step.spec as never, ctx) };
}

/** Operations that only read: a step whose planned calls are all these changes nothing (suspend-scaling with no group). */
const READ_ONLY = /^(Describe|Get|List)/;

/** Whether the step, as planned, will change production: the one the runbook's name is typed for first. */
function changesProduction(step: PlannedStep): boolean {
  return step.mutating && step.calls.some((c) => !READ_ONLY.test(c.operation));
}

function needsConfirmation(step: PlannedStep): boolean {
  return step.mutating || step.type === 'manual';
}

async function runStep(
  options: RunnerOptions,
  step: PlannedStep,
  index: number,
  state: { typedName: boolean },
  firstAttempt: number,
): Promise<StepResult> {
  const { scope, operator, plan } = options;
  if (needsConfirmation(step)) {
    const typeToConfirm = changesProduction(step) && !state.typedName ? scope.runbook.name : undefined;
    const decision = await operator.confirmStep({
      step: withKnownIds(scope, step),
      index,
      total: plan.steps.length,
      typeToConfirm,
      phase: 'run',
    });
    if (decision === 'stop') return 'stop';
    if (decision === 'skip') return skip(scope, step, 'skipped by the operator');
    if (decision === 'unattended' && step.spec.type === 'manual') return notDone(scope, step, step.spec.text);
    if (changesProduction(step)) state.typedName = true;
  }
  for (let attempt = firstAttempt; ; attempt++) {
    const error = await attemptStep(scope, step, attempt);
    if (error === undefined) return 'done';
    if (scope.signal.aborted) return 'stop';
    const decision = await operator.onFailure({ step, attempt, error });
    if (decision === 'retry') continue;
    if (decision === 'skip') return skip(scope, step, `skipped after failure: ${error.message}`);
    return decision === 'rollback' ? 'rollback' : 'failed';
  }
}

/** A manual step under `--yes`: nobody was asked, so nobody did it. Journaled and shown as not done. */
function notDone(scope: RunScope, step: PlannedStep, text: string): StepResult {
  const reason = `nobody was asked (--yes runs unattended); do it by hand: ${text}`;
  transition(scope, { kind: 'step-skipped', stepId: step.id, reason, unattended: true });
  return 'skipped';
}

function skip(scope: RunScope, step: PlannedStep, reason: string): StepResult {
  transition(scope, { kind: 'step-skipped', stepId: step.id, reason });
  return 'skipped';
}

/**
 * One attempt: run, then verify. The journaled outputs carry the step's compensation state as first
 * recorded (see `compensation.ts`) over whatever `run` returned. Returns the error, or undefined.
 */
async function attemptStep(scope: RunScope, step: PlannedStep, attempt: number): Promise<ErrorRecord | undefined> {
  const def = stepDefinition(step.type);
  transition(scope, { kind: 'step-started', stepId: step.id, attempt });
  const ctx = createStepContext(scope, step, attempt, 'run');
  try {
    const outputs = withCompensation(await def.run(ctx, step.spec), recordedCompensation(scope, step.id));
    const check = await scopeRead(scope, () => def.verify(ctx, step.spec, outputs));
    transition(scope, { kind: 'verified', stepId: step.id, holds: check.holds, detail: check.detail });
    if (!check.holds) {
      throw new ExternalError(`Verification failed: ${check.detail}`, {
        code: 'VerificationFailed',
        retryable: true,
        nextSteps: 'Retry the step, or roll back.',
      });
    }
    succeed(scope, step, attempt, outputs);
    return undefined;
  } catch (error) {
    const record = withNextSteps(toErrorRecord(error));
    transition(scope, { kind: 'step-failed', stepId: step.id, attempt, error: record });
    return record;
  }
}

/** Every failure says what to do next: a step's own advice, or the choices the run offers. */
function withNextSteps(record: ErrorRecord): ErrorRecord {
  if (record.nextSteps !== undefined && record.nextSteps !== '') return record;
  return {
    ...record,
    nextSteps:
      'Retry the step (`hotspare resume RUNBOOK`) once the cause is fixed, or undo the run (`hotspare rollback RUNBOOK`).',
  };
}
