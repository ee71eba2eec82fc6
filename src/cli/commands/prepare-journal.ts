import { toErrorRecord } from '../../domain/errors.js';
import type { ApiCall, StepOutputs } from '../../domain/types.js';
import { newRunId, openFileJournal } from '../../engine/journal.js';
import type { CallReceipt } from '../../ports/index.js';
import type { PrepareMutate } from '../../steps/prepare-spare.js';
import type { CliContext } from '../session/context.js';

/** The one step of a preparation's run, as `runs` and `timeline` read it. */
const STEP = 'prepare-spare';

/** A preparation's journal: a run of its own (`NAME.spare--RUN.jsonl`, 0600) with one step. */
export interface PrepareJournal {
  readonly runId: string;
  /** Journals the call's intent, sends it, journals its result (or its failure). */
  readonly mutate: PrepareMutate;
  succeeded(instanceId: string): void;
  failed(error: unknown): void;
  /** Synchronous: called from a signal handler just before the process exits. */
  interrupted(signal: string, detail: string): void;
  close(): void;
}

export function openPrepareJournal(ctx: CliContext): PrepareJournal {
  const runId = newRunId();
  const journal = openFileJournal(ctx.journalDir, `${ctx.runbook.name}.spare`, runId);
  journal.append({
    kind: 'run-started',
    runbook: ctx.runbook.name,
    runbookFile: ctx.loaded.file,
    runbookSha256: ctx.loaded.sha256,
    mode: ctx.mode,
    operator: ctx.identity,
    purpose: 'prepare',
    steps: [{ id: STEP, type: 'launch-redirect', mutating: true }],
  });
  journal.append({ kind: 'step-started', stepId: STEP, attempt: 1 });
  let calls = 0;
  let closed = false;
  const mutate = async <T extends CallReceipt>(
    call: ApiCall,
    send: () => Promise<T>,
    outputs?: (result: T) => StepOutputs,
  ): Promise<T> => {
    const callId = `${STEP}#1.${++calls}`;
    journal.append({ kind: 'intent', stepId: STEP, attempt: 1, callId, call });
    let result: T;
    try {
      result = await send();
    } catch (error) {
      journal.append({ kind: 'call-failed', stepId: STEP, attempt: 1, callId, error: toErrorRecord(error) });
      throw error;
    }
    journal.append({
      kind: 'result',
      stepId: STEP,
      attempt: 1,
      callId,
      requestId: result.requestId,
      outputs: outputs?.(result),
    });
    return result;
  };
  return {
    runId,
    mutate,
    succeeded: (instanceId) =>
      void journal.append({ kind: 'step-succeeded', stepId: STEP, attempt: 1, outputs: { instanceId } }),
    failed: (error) =>
      void journal.append({ kind: 'step-failed', stepId: STEP, attempt: 1, error: toErrorRecord(error) }),
    interrupted: (signal, detail) => {
      if (closed) return;
      journal.append({ kind: 'interrupted', command: 'prepare', by: 'signal', signal, detail });
    },
    close: () => {
      if (closed) return;
      closed = true;
      journal.close();
    },
  };
}
