import type { ApiCall, RunEnvironment, StepOutputs } from '../domain/types.js';
import type { CallReceipt, Ports } from '../ports/index.js';
import type { Runbook, StepSpec, StepType } from '../runbook/schema.js';
import type { StepJournal } from './journal-contract.js';

export interface Verification {
  readonly holds: boolean;
  readonly detail: string;
  /** Outputs recovered from AWS (for an in-doubt step), e.g. the instance found by its tags. */
  readonly outputs?: StepOutputs | undefined;
}

export interface MutateOptions<T> {
  /**
   * State before the change (compensation state), journaled with the intent so an undo never depends
   * on the result record. The engine keeps the earliest value of each key across attempts: a later
   * attempt may read the step's own effect. The step's final outputs carry it over anything `run` returns.
   */
  readonly before?: StepOutputs | undefined;
  /** The outputs to journal with the result record. */
  readonly outputs?: ((result: T) => StepOutputs) | undefined;
}

/** What the engine hands a running step. */
export interface StepContext {
  readonly runbook: Runbook;
  readonly runId: string;
  /** `user@host` who started the run (tagged on what it launches). */
  readonly startedBy?: string | undefined;
  readonly stepId: string;
  readonly attempt: number;
  readonly env: RunEnvironment;
  readonly ports: Ports;
  readonly signal: AbortSignal;
  /** How often to poll while waiting, in ms (default 2000). */
  readonly pollIntervalMs: number;
  /** Default timeout for waits on health, in ms. */
  readonly healthyTimeoutMs: number;
  /**
   * What earlier attempts of this step journaled: call outputs (latest wins) under the compensation
   * state (`before`, earliest wins); {} on a first attempt.
   */
  readonly priorOutputs: StepOutputs;
  /** Outputs of the completed step of this type earlier in the run. */
  outputsOf(type: StepType): StepOutputs | undefined;
  /**
   * One read with the engine's retry policy (retryable errors retried, abortable). Not for reads
   * inside `pollUntil`, which polls through retryable errors itself, nor inside `verify`, which the
   * engine retries as a whole.
   */
  read<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Send one mutating call. The engine journals an `intent` record (fsync'd) before `send` and a
   * `result` (with request id) or `call-failed` record after; errors are rethrown.
   */
  mutate<T extends CallReceipt>(call: ApiCall, send: () => Promise<T>, options?: MutateOptions<T>): Promise<T>;
  /** A progress line for the operator ("2/3 targets healthy, 14 s"). */
  progress(message: string): void;
}

/** What `describe` may look at: no ports, no time. */
export interface DescribeContext {
  readonly runbook: Runbook;
  readonly env: RunEnvironment;
  /** The run id, or a placeholder when planning. */
  readonly runId: string;
  /** `user@host` who started the run (tagged on what it launches); absent when planning. */
  readonly startedBy?: string | undefined;
  /**
   * Outputs of the steps done so far (the instance launched), once known: calls shown before
   * confirmation name the real ids instead of placeholders. Absent when planning.
   */
  readonly outputsOf?: ((type: StepType) => StepOutputs | undefined) | undefined;
}

/** What a step's preflight checks may look at: the plan's context plus the ports (reads only). */
export interface PreflightContext extends DescribeContext {
  readonly ports: Ports;
}

/** One read-only check before any mutation; `run` resolves with a one-line detail or throws a HotspareError. */
export interface PreflightCheck {
  readonly name: string;
  run(): Promise<string>;
}

/**
 * One step type: how it is shown, run, checked and reversed.
 * `run` must be safe to call again after a crash (idempotent or checked first).
 */
export interface StepDefinition<S extends StepSpec = StepSpec> {
  readonly type: S['type'];
  /** Whether the step changes anything in AWS (and so is confirmed and journaled). */
  readonly mutating: boolean;
  /** What the step journals (its compensation state and outputs), checked when written and when read back. */
  readonly journal: StepJournal;
  title(spec: S, ctx: DescribeContext): string;
  /** The exact API calls `run` will make. */
  describe(spec: S, ctx: DescribeContext): readonly ApiCall[];
  /** The calls rollback will make; undefined when the step cannot be undone; [] when nothing to undo. */
  describeUndo(spec: S, ctx: DescribeContext): readonly ApiCall[] | undefined;
  run(ctx: StepContext, spec: S): Promise<StepOutputs>;
  /** Reads back that the step's intended state holds. */
  verify(ctx: StepContext, spec: S, outputs: StepOutputs | undefined): Promise<Verification>;
  /** What a dry run can check of this step now, by reads only (e.g. probe the maintenance site). */
  preview?(ctx: PreflightContext, spec: S): Promise<Verification>;
  /** Read-only checks this step needs before the run starts (permissions, resources). */
  preflight?(ctx: PreflightContext, spec: S): readonly PreflightCheck[];
  /**
   * Reverse the step from its journaled outputs alone. Absent when there is nothing to undo.
   * Idempotent: it reads the current state first and treats "already undone" as done, so it can run
   * any number of times (after a crash, a reset connection, a second operator). Resolves with a
   * short note when there was nothing left to do.
   */
  undo?(ctx: StepContext, outputs: StepOutputs): Promise<string | undefined>;
  /**
   * Steps whose effect this step's undo still needs (e.g. deregistering a target needs its instance):
   * when this undo fails, rollback keeps them for the next attempt instead of undoing them.
   */
  readonly undoNeeds?: readonly StepType[] | undefined;
}
