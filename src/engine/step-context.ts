import { toErrorRecord } from '../ports/errors.js';
import type { CallReceipt, Ports } from '../ports/index.js';
import type { Runbook, StepType } from '../runbook/schema.js';
import type { ApiCall, RunEnvironment, StepOutputs } from '../domain/types.js';
import type { MutateOptions, StepContext } from '../steps/types.js';
import type { EventSink } from './events.js';
import type { Journal } from './journal.js';

/** What every step context of one run shares. */
export interface RunScope {
  readonly runbook: Runbook;
  readonly runId: string;
  readonly env: RunEnvironment;
  readonly ports: Ports;
  readonly journal: Journal;
  readonly emit: EventSink;
  readonly signal: AbortSignal;
  readonly pollIntervalMs: number;
  readonly healthyTimeoutMs: number;
  /** Completed steps' outputs by type, latest wins. */
  readonly outputsByType: Map<StepType, StepOutputs>;
  /** What each step's calls journaled so far (before + outputs), by step id. */
  readonly partial: Map<string, StepOutputs>;
  /** Test hook: called after a mutating call returned, before its result is journaled. */
  readonly afterSend?: ((call: ApiCall) => void) | undefined;
}

/**
 * A step context whose `mutate` journals intent before the call and result after it.
 * `phase` 'undo' marks calls made by rollback (their ids contain `#undo.`).
 */
export function createStepContext(scope: RunScope, stepId: string, attempt: number, phase: 'run' | 'undo'): StepContext {
  let n = 0;
  const { journal, emit, ports } = scope;
  const now = (): number => ports.clock.now();
  const remember = (extra: StepOutputs | undefined): void => {
    if (extra !== undefined) scope.partial.set(stepId, { ...(scope.partial.get(stepId) ?? {}), ...extra });
  };
  return {
    runbook: scope.runbook,
    runId: scope.runId,
    stepId,
    attempt,
    env: scope.env,
    ports,
    signal: scope.signal,
    pollIntervalMs: scope.pollIntervalMs,
    healthyTimeoutMs: scope.healthyTimeoutMs,
    priorOutputs: scope.partial.get(stepId) ?? {},
    outputsOf: (type) => scope.outputsByType.get(type),
    progress: (message) => emit({ type: 'step-progress', stepId, message, at: now() }),
    async mutate<T extends CallReceipt>(call: ApiCall, send: () => Promise<T>, options?: MutateOptions<T>): Promise<T> {
      const callId = `${stepId}#${phase === 'undo' ? 'undo' : attempt}.${++n}`;
      journal.append({ kind: 'intent', stepId, attempt, callId, call, before: options?.before });
      if (phase === 'run') remember(options?.before);
      emit({ type: 'call', stepId, phase: 'intent', call, at: now() });
      let result: T;
      try {
        result = await send();
      } catch (error) {
        const record = toErrorRecord(error);
        journal.append({ kind: 'call-failed', stepId, attempt, callId, error: record });
        emit({ type: 'call', stepId, phase: 'failed', call, error: record, at: now() });
        throw error;
      }
      scope.afterSend?.(call);
      const outputs = options?.outputs?.(result);
      journal.append({ kind: 'result', stepId, attempt, callId, requestId: result.requestId, outputs });
      if (phase === 'run') remember(outputs);
      emit({ type: 'call', stepId, phase: 'result', call, requestId: result.requestId, at: now() });
      return result;
    },
  };
}
