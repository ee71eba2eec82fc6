import type { JournaledError } from '../domain/errors.js';
import type { StepType } from '../runbook/schema.js';
import type { ApiCall, Json, RunEnvironment, StepOutputs } from '../domain/types.js';
import type { Mode } from './events.js';

/** What a journaled run does: fail over (and back), or prepare a spare ahead of an incident (`hotspare prepare`). */
export type RunPurpose = 'failover' | 'prepare';

/** Who ran a command: for the incident timeline and the lock. Never credentials. */
export interface OperatorIdentity {
  readonly user: string;
  readonly host: string;
  readonly pid: number;
}

type Body =
  | {
      readonly kind: 'run-started';
      readonly runbook: string;
      readonly runbookFile: string;
      readonly runbookSha256: string;
      /** The runbook as parsed when the run started, so a resume can say what changed. */
      readonly runbookContent?: Json | undefined;
      readonly mode: Mode;
      readonly operator: OperatorIdentity;
      /** What the run does: a failover (absent in journals written before it was recorded), or `prepare` of a spare. */
      readonly purpose?: RunPurpose | undefined;
      readonly steps: readonly { readonly id: string; readonly type: StepType; readonly mutating: boolean }[];
    }
  | { readonly kind: 'run-resumed'; readonly operator: OperatorIdentity }
  | { readonly kind: 'environment'; readonly env: RunEnvironment }
  | { readonly kind: 'step-started'; readonly stepId: string; readonly attempt: number }
  | {
      readonly kind: 'intent';
      readonly stepId: string;
      readonly attempt: number;
      readonly callId: string;
      readonly call: ApiCall;
      readonly before?: StepOutputs | undefined;
    }
  | {
      readonly kind: 'result';
      readonly stepId: string;
      readonly attempt: number;
      readonly callId: string;
      readonly requestId?: string | undefined;
      readonly outputs?: StepOutputs | undefined;
    }
  | {
      readonly kind: 'call-failed';
      readonly stepId: string;
      readonly attempt: number;
      readonly callId: string;
      readonly error: JournaledError;
    }
  | {
      readonly kind: 'step-succeeded';
      readonly stepId: string;
      readonly attempt: number;
      readonly outputs: StepOutputs;
    }
  | { readonly kind: 'step-failed'; readonly stepId: string; readonly attempt: number; readonly error: JournaledError }
  /** `unattended`: a manual step nobody was asked about (`--yes`): not done. */
  | {
      readonly kind: 'step-skipped';
      readonly stepId: string;
      readonly reason: string;
      readonly unattended?: boolean | undefined;
    }
  | { readonly kind: 'verified'; readonly stepId: string; readonly holds: boolean; readonly detail: string }
  | { readonly kind: 'run-finished'; readonly outcome: 'failed-over' | 'failed' | 'aborted' }
  | { readonly kind: 'rollback-started'; readonly operator: OperatorIdentity }
  | { readonly kind: 'undo-started'; readonly stepId: string }
  | { readonly kind: 'undo-succeeded'; readonly stepId: string; readonly detail?: string | undefined }
  | { readonly kind: 'undo-failed'; readonly stepId: string; readonly error: JournaledError }
  /** Not undone this time: skipped by the operator, or kept because a failed undo still needs it. */
  | { readonly kind: 'undo-skipped'; readonly stepId: string; readonly reason: string }
  | {
      readonly kind: 'rollback-finished';
      readonly outcome: 'rolled-back' | 'rollback-incomplete';
      readonly failures: readonly string[];
    }
  /** The run was closed without a complete rollback; `leftovers` says what it left in AWS. */
  | { readonly kind: 'run-abandoned'; readonly operator: OperatorIdentity; readonly leftovers: readonly string[] }
  | { readonly kind: 'torn-tail-repaired'; readonly bytes: number }
  /**
   * The command stopped before it finished: the operator quit, a signal (Ctrl-C, SIGTERM, the
   * terminal closed), or the process ran out of work (`stalled`). The run is resumable (a rollback
   * in progress is finished by running rollback again).
   */
  | {
      readonly kind: 'interrupted';
      readonly command: string;
      readonly by: 'operator' | 'signal' | 'stalled';
      readonly signal?: string | undefined;
      readonly detail: string;
    };

/** One line of a journal. `seq` counts from 1 within the file; `at` is epoch ms. */
export type JournalRecord = { readonly v: 1; readonly seq: number; readonly at: number; readonly runId: string } & Body;

/** A record before the journal stamps it. */
export type JournalEntry = Body;

export type RecordKind = JournalRecord['kind'];

export type RecordOf<K extends RecordKind> = Extract<JournalRecord, { kind: K }>;
