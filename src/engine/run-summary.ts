import type { ErrorRecord } from '../ports/errors.js';
import type { StepType } from '../runbook/schema.js';
import type { ApiCall, RunEnvironment, StepOutputs } from '../domain/types.js';
import type { Mode } from './events.js';
import type { JournalRecord, OperatorIdentity } from './journal-records.js';

export type JournaledStepState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'undone' | 'undo-failed';

export interface JournaledCall {
  readonly callId: string;
  readonly call: ApiCall;
  readonly before?: StepOutputs | undefined;
  readonly requestId?: string | undefined;
  readonly outputs?: StepOutputs | undefined;
  readonly status: 'sent' | 'done' | 'failed';
}

export interface JournaledStep {
  readonly id: string;
  readonly type: StepType;
  readonly mutating: boolean;
  readonly state: JournaledStepState;
  readonly attempt: number;
  readonly outputs?: StepOutputs | undefined;
  readonly calls: readonly JournaledCall[];
  readonly error?: ErrorRecord | undefined;
}

/** Where a run stands, from its journal alone. */
export type RunPhase = 'failing-over' | 'failed-over' | 'stopped' | 'rolling-back' | 'rolled-back' | 'rollback-incomplete';

export interface RunSummary {
  readonly runId: string;
  readonly runbook: string;
  readonly runbookFile: string;
  readonly runbookSha256: string;
  readonly mode: Mode;
  readonly operator: OperatorIdentity;
  readonly startedAt: number;
  readonly phase: RunPhase;
  readonly env?: RunEnvironment | undefined;
  readonly steps: readonly JournaledStep[];
}

/** True when a step's last call was sent but its outcome never journaled (a crash in between). */
export function isInDoubt(step: JournaledStep): boolean {
  return step.calls.some((c) => c.status === 'sent');
}

/** True when the run changed something that has not been undone. */
export function hasEffects(summary: RunSummary): boolean {
  return summary.steps.some((s) => s.mutating && s.calls.some((c) => c.status !== 'failed') && s.state !== 'undone');
}

/** Whether a run can still be resumed or rolled back. */
export function isUnfinished(summary: RunSummary): boolean {
  return summary.phase !== 'rolled-back';
}

/** Whether a run must be resumed or rolled back before a new failover: it changed something not yet undone. */
export function blocksNewRun(summary: RunSummary): boolean {
  return isUnfinished(summary) && hasEffects(summary);
}

/** Fold a journal into a summary. Pure; records must belong to one run. */
export function summarize(records: readonly JournalRecord[]): RunSummary {
  const first = records[0];
  if (first === undefined || first.kind !== 'run-started') throw new Error('a journal starts with run-started');
  const steps = new Map<string, MutableStep>(
    first.steps.map((s) => [s.id, { id: s.id, type: s.type, mutating: s.mutating, state: 'pending', attempt: 0, calls: [] }]),
  );
  let phase: RunPhase = 'failing-over';
  let env: RunEnvironment | undefined;
  for (const r of records) {
    phase = nextPhase(phase, r);
    if (r.kind === 'environment') env = r.env;
    if ('stepId' in r) applyStepRecord(steps.get(r.stepId), r);
  }
  return {
    runId: first.runId,
    runbook: first.runbook,
    runbookFile: first.runbookFile,
    runbookSha256: first.runbookSha256,
    mode: first.mode,
    operator: first.operator,
    startedAt: first.at,
    phase,
    env,
    steps: [...steps.values()],
  };
}

type MutableStep = { -readonly [K in keyof JournaledStep]: JournaledStep[K] } & { calls: JournaledCall[] };

function nextPhase(phase: RunPhase, r: JournalRecord): RunPhase {
  switch (r.kind) {
    case 'run-resumed':
      return 'failing-over';
    case 'run-finished':
      return r.outcome === 'failed-over' ? 'failed-over' : 'stopped';
    case 'rollback-started':
      return 'rolling-back';
    case 'rollback-finished':
      return r.outcome;
    default:
      return phase;
  }
}

function applyStepRecord(step: MutableStep | undefined, r: JournalRecord): void {
  if (step === undefined) return;
  switch (r.kind) {
    case 'step-started':
      Object.assign(step, { state: 'running', attempt: r.attempt, error: undefined });
      return;
    case 'intent':
      if (isUndoCall(r.callId)) return;
      step.calls.push({ callId: r.callId, call: r.call, before: r.before, status: 'sent' });
      return;
    case 'result':
    case 'call-failed':
      replaceCall(step, r.callId, r.kind === 'result' ? { status: 'done', requestId: r.requestId, outputs: r.outputs } : { status: 'failed' });
      return;
    case 'step-succeeded':
      Object.assign(step, { state: 'succeeded', outputs: r.outputs });
      return;
    case 'step-failed':
      Object.assign(step, { state: 'failed', error: r.error });
      return;
    case 'step-skipped':
      step.state = 'skipped';
      return;
    case 'undo-succeeded':
      step.state = 'undone';
      return;
    case 'undo-failed':
      Object.assign(step, { state: 'undo-failed', error: r.error });
      return;
    default:
      return;
  }
}

/** Calls made by rollback carry `#undo.` in their id; they are not the step's own effects. */
export function isUndoCall(callId: string): boolean {
  return callId.includes('#undo.');
}

function replaceCall(step: MutableStep, callId: string, patch: Partial<JournaledCall>): void {
  const i = step.calls.findIndex((c) => c.callId === callId);
  if (i >= 0) step.calls[i] = { ...step.calls[i]!, ...patch };
}

/**
 * What an undo can use for a step that did not finish: the outputs its calls journaled, and the
 * `before` state journaled with each intent, merged in call order.
 */
export function partialOutputs(step: JournaledStep): StepOutputs {
  let merged: StepOutputs = {};
  for (const c of step.calls) {
    if (c.before !== undefined) merged = { ...merged, ...c.before };
    if (c.outputs !== undefined) merged = { ...merged, ...c.outputs };
  }
  return step.outputs === undefined ? merged : { ...merged, ...step.outputs };
}
