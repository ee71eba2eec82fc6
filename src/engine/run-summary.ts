import type { ErrorRecord } from '../domain/errors.js';
import { stepIdOf, type Runbook, type StepType } from '../runbook/schema.js';
import type { ApiCall, RunEnvironment, StepOutputs } from '../domain/types.js';
import { addCompensation, withCompensation } from './compensation.js';
import { JournalCorruptError } from './journal.js';
import type { JournalRecord, RecordOf, RunPurpose } from './journal-records.js';

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

/** Where a run stands, from its journal alone. `abandoned`: closed without a full rollback (see its leftovers). */
export type RunPhase =
  | 'failing-over'
  | 'failed-over'
  | 'stopped'
  | 'rolling-back'
  | 'rolled-back'
  | 'rollback-incomplete'
  | 'abandoned';

/** What a run's `run-started` record says of it, as the record says it (one definition: journal-records.ts). */
const STARTED_FIELDS = [
  'runId',
  'runbook',
  'runbookFile',
  'runbookSha256',
  'runbookContent',
  'mode',
  'operator',
] as const;
type StartedFields = Pick<RecordOf<'run-started'>, Exclude<(typeof STARTED_FIELDS)[number], 'runbookContent'>> &
  Partial<Pick<RecordOf<'run-started'>, 'runbookContent'>>;

function startedFields(first: RecordOf<'run-started'>): StartedFields {
  return Object.fromEntries(STARTED_FIELDS.map((k) => [k, first[k]])) as unknown as StartedFields;
}

export interface RunSummary extends StartedFields {
  /** `prepare` for a spare's preparation (`hotspare prepare`); else a failover. */
  readonly purpose: RunPurpose;
  readonly startedAt: number;
  readonly phase: RunPhase;
  readonly env?: RunEnvironment | undefined;
  readonly steps: readonly JournaledStep[];
  /** What an abandoned run left in AWS, as recorded when it was closed. */
  readonly leftovers?: readonly string[] | undefined;
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
  return summary.phase !== 'rolled-back' && summary.phase !== 'abandoned';
}

/** Whether a run must be resumed or rolled back before a new failover: it changed something not yet undone. */
export function blocksNewRun(summary: RunSummary): boolean {
  return isUnfinished(summary) && hasEffects(summary);
}

/** Whether a journal's records hold a run at all: a crash or a full disk can leave none. */
export function hasStarted(records: readonly JournalRecord[]): boolean {
  return records[0]?.kind === 'run-started';
}

/** Fold a journal into a summary. Pure; records must belong to one run and start with `run-started` (see `hasStarted`). */
export function summarize(records: readonly JournalRecord[]): RunSummary {
  const first = records[0];
  if (first === undefined || first.kind !== 'run-started')
    throw new JournalCorruptError('The journal does not start with a run-started record.', { code: 'JournalCorrupt' });
  const steps = new Map<string, MutableStep>(
    first.steps.map((s) => [
      s.id,
      { id: s.id, type: s.type, mutating: s.mutating, state: 'pending', attempt: 0, calls: [] },
    ]),
  );
  let phase: RunPhase = 'failing-over';
  let env: RunEnvironment | undefined;
  let leftovers: readonly string[] | undefined;
  for (const r of records) {
    phase = nextPhase(phase, r);
    if (r.kind === 'environment') env = r.env;
    if (r.kind === 'run-abandoned') leftovers = r.leftovers;
    if ('stepId' in r) applyStepRecord(steps.get(r.stepId), r);
  }
  return {
    ...startedFields(first),
    purpose: first.purpose ?? 'failover',
    startedAt: first.at,
    phase,
    env,
    steps: [...steps.values()],
    leftovers,
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
    case 'run-abandoned':
      return 'abandoned';
    case 'interrupted':
      // A failover stopped part-way can be resumed; a rollback stopped part-way is finished by rollback.
      return phase === 'failing-over' ? 'stopped' : phase;
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
      replaceCall(step, r.callId, { status: 'done', requestId: r.requestId, outputs: r.outputs });
      return;
    case 'call-failed':
      // A failure that does not say whether the change was made (a reset, a 5xx) leaves the call in doubt.
      if (r.error.outcomeUnknown !== true) replaceCall(step, r.callId, { status: 'failed' });
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
 * What an undo (or a retry) can use of a step: the outputs its calls and its end journaled, latest
 * wins, under the compensation state journaled with its intents, earliest wins (see `compensation.ts`).
 */
export function partialOutputs(step: JournaledStep): StepOutputs {
  let outputs: StepOutputs = {};
  let compensation: StepOutputs = {};
  for (const c of step.calls) {
    compensation = addCompensation(compensation, c.before);
    if (c.outputs !== undefined) outputs = { ...outputs, ...c.outputs };
  }
  if (step.outputs !== undefined) outputs = { ...outputs, ...step.outputs };
  return withCompensation(outputs, compensation);
}

/** The compensation state of a step as journaled with its intents, earliest wins. */
export function compensationOf(step: JournaledStep): StepOutputs {
  return step.calls.reduce<StepOutputs>((acc, c) => addCompensation(acc, c.before), {});
}

/** The texts of the manual steps this run recorded as not done (unattended) and nobody did since. */
export function manualStepsNotDone(records: readonly JournalRecord[], runbook: Runbook): string[] {
  const state = new Map<string, boolean>();
  for (const r of records) {
    if (r.kind === 'step-skipped') state.set(r.stepId, r.unattended === true);
    else if (r.kind === 'step-succeeded') state.set(r.stepId, false);
  }
  return runbook.steps.flatMap((s) => (s.type === 'manual' && state.get(stepIdOf(s)) === true ? [s.text] : []));
}
