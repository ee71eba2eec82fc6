import type { ApiCall, RunEnvironment, StepOutputs } from '../domain/types.js';
import { toErrorRecord } from '../domain/errors.js';
import type { CallReceipt, Ports } from '../ports/index.js';
import { retryRead } from '../domain/retry.js';
import type { Runbook, StepType } from '../runbook/schema.js';
import { checkWritten } from '../steps/journal-contract.js';
import { stepDefinition } from '../steps/index.js';
import type { MutateOptions, StepContext } from '../steps/types.js';
import { addCompensation, withCompensation } from './compensation.js';
import type { EventSink } from './events.js';
import type { Journal } from './journal.js';
import { transition } from './transitions.js';

/** What a step's calls journaled so far in this process (or replayed from the journal). */
export interface Recorded {
  readonly outputs: StepOutputs;
  /** Earliest wins, key by key (see `compensation.ts`). */
  readonly compensation: StepOutputs;
}

/** What every step context of one run shares. */
export interface RunScope {
  readonly runbook: Runbook;
  readonly runId: string;
  /** `user@host` who started the run. */
  readonly startedBy?: string | undefined;
  readonly env: RunEnvironment;
  readonly ports: Ports;
  readonly journal: Journal;
  readonly emit: EventSink;
  readonly signal: AbortSignal;
  readonly pollIntervalMs: number;
  readonly healthyTimeoutMs: number;
  /** Completed steps' outputs by type, latest wins. */
  readonly outputsByType: Map<StepType, StepOutputs>;
  /** What each step's calls journaled so far, by step id. */
  readonly recorded: Map<string, Recorded>;
  /** Test hook (reliability suite only): called after a mutating call returned, before its result is journaled. */
  readonly afterSend?: ((call: ApiCall) => void | Promise<void>) | undefined;
}

/** A step's outputs and compensation state as recorded so far, merged for its undo or next attempt. */
export function recordedOutputs(scope: RunScope, stepId: string): StepOutputs {
  const r = scope.recorded.get(stepId);
  return r === undefined ? {} : withCompensation(r.outputs, r.compensation);
}

/** The compensation state recorded for a step so far. */
export function recordedCompensation(scope: RunScope, stepId: string): StepOutputs {
  return scope.recorded.get(stepId)?.compensation ?? {};
}

function record(
  scope: RunScope,
  stepId: string,
  change: { before?: StepOutputs | undefined; outputs?: StepOutputs | undefined },
): void {
  const r = scope.recorded.get(stepId) ?? { outputs: {}, compensation: {} };
  scope.recorded.set(stepId, {
    outputs: change.outputs === undefined ? r.outputs : { ...r.outputs, ...change.outputs },
    compensation: addCompensation(r.compensation, change.before),
  });
}

/** Read with the engine's retry policy, abortable, each retry shown as a warning. */
export function scopeRead<T>(scope: RunScope, read: () => Promise<T>): Promise<T> {
  const { clock } = scope.ports;
  return retryRead(read, {
    clock,
    signal: scope.signal,
    onRetry: (message) => scope.emit({ type: 'log', level: 'warn', message, at: clock.now() }),
  });
}

/**
 * A step context whose `mutate` journals intent before the call and result after it.
 * `phase` 'undo' marks calls made by rollback (their ids contain `#undo.`); they record nothing
 * for the step's own outputs.
 */
export function createStepContext(
  scope: RunScope,
  step: { readonly id: string; readonly type: StepType },
  attempt: number,
  phase: 'run' | 'undo',
): StepContext {
  let n = 0;
  const stepId = step.id;
  const contract = stepDefinition(step.type).journal;
  const { emit, ports } = scope;
  const now = (): number => ports.clock.now();
  return {
    runbook: scope.runbook,
    runId: scope.runId,
    startedBy: scope.startedBy,
    stepId,
    attempt,
    env: scope.env,
    ports,
    signal: scope.signal,
    pollIntervalMs: scope.pollIntervalMs,
    healthyTimeoutMs: scope.healthyTimeoutMs,
    priorOutputs: recordedOutputs(scope, stepId),
    outputsOf: (type) => scope.outputsByType.get(type),
    progress: (message) => emit({ type: 'step-progress', stepId, message, at: now() }),
    read: (fn) => scopeRead(scope, fn),
    async mutate<T extends CallReceipt>(call: ApiCall, send: () => Promise<T>, options?: MutateOptions<T>): Promise<T> {
      const callId = `${stepId}#${phase === 'undo' ? 'undo' : attempt}.${++n}`;
      checkWritten(contract, 'before', step, options?.before);
      transition(scope, { kind: 'intent', stepId, attempt, callId, call, before: options?.before });
      if (phase === 'run') record(scope, stepId, { before: options?.before });
      let result: T;
      try {
        result = await send();
      } catch (error) {
        const failure = toErrorRecord(error);
        transition(scope, { kind: 'call-failed', stepId, attempt, callId, error: failure }, { call });
        throw error;
      }
      await scope.afterSend?.(call);
      const outputs = options?.outputs?.(result);
      checkWritten(contract, 'outputs', step, outputs);
      transition(scope, { kind: 'result', stepId, attempt, callId, requestId: result.requestId, outputs }, { call });
      if (phase === 'run') record(scope, stepId, { outputs });
      return result;
    },
  };
}
