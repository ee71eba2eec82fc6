import type { CallReceipt, InstanceInfo, ListenerInfo, Ports, Target, TargetGroupInfo } from '../ports/index.js';
import type { SiteReadiness } from '../ports/site.js';
import type { Runbook, StepSpec, StepType } from '../runbook/schema.js';

/** JSON that can be journaled as it is. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json | undefined };

/** What a step produced, journaled with its result; enough for `undo` on its own. */
export type StepOutputs = { readonly [key: string]: Json | undefined };

/** One API call as shown before it runs and as journaled. */
export interface ApiCall {
  readonly service: 'elbv2' | 'ec2' | 'route53' | 'http' | 'operator';
  readonly operation: string;
  readonly params: { readonly [key: string]: Json | undefined };
  /** A short human note ("repeated every 2 s until healthy"). */
  readonly note?: string | undefined;
}

/**
 * What the run knows about the account, read at its start and journaled, so rollback can work from
 * the journal alone. For `hotspare plan` without AWS access it holds the ALB defaults (`discovered: false`).
 */
export interface RunEnvironment {
  readonly discovered: boolean;
  readonly account?: string | undefined;
  readonly targetGroup: TargetGroupInfo;
  /** The web servers' targets as registered at the start (id, port, AZ). */
  readonly webTargets: readonly Target[];
  readonly webInstances: readonly InstanceInfo[];
  readonly listener?: ListenerInfo | undefined;
  /** The published maintenance site as read with the account (age, sampled pages); absent when not read. */
  readonly maintenanceSite?: SiteReadiness | undefined;
}

export interface Verification {
  readonly holds: boolean;
  readonly detail: string;
  /** Outputs recovered from AWS (for an in-doubt step), e.g. the instance found by its tags. */
  readonly outputs?: StepOutputs | undefined;
}

export interface MutateOptions<T> {
  /** State before the change, journaled with the intent so an undo never depends on the result record. */
  readonly before?: StepOutputs | undefined;
  /** The outputs to journal with the result record. */
  readonly outputs?: ((result: T) => StepOutputs) | undefined;
}

/** What the engine hands a running step. */
export interface StepContext {
  readonly runbook: Runbook;
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
  readonly env: RunEnvironment;
  readonly ports: Ports;
  readonly signal: AbortSignal;
  /** How often to poll while waiting, in ms (default 2000). */
  readonly pollIntervalMs: number;
  /** Default timeout for waits on health, in ms. */
  readonly healthyTimeoutMs: number;
  /** What earlier attempts of this step journaled (call outputs and `before` states), merged; {} on a first attempt. */
  readonly priorOutputs: StepOutputs;
  /** Outputs of the completed step of this type earlier in the run. */
  outputsOf(type: StepType): StepOutputs | undefined;
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
}

/**
 * One step type: how it is shown, run, checked and reversed.
 * `run` must be safe to call again after a crash (idempotent or checked first).
 */
export interface StepDefinition<S extends StepSpec = StepSpec> {
  readonly type: S['type'];
  /** Whether the step changes anything in AWS (and so is confirmed and journaled). */
  readonly mutating: boolean;
  title(spec: S, ctx: DescribeContext): string;
  /** The exact API calls `run` will make. */
  describe(spec: S, ctx: DescribeContext): readonly ApiCall[];
  /** The calls rollback will make; undefined when the step cannot be undone; [] when nothing to undo. */
  describeUndo(spec: S, ctx: DescribeContext): readonly ApiCall[] | undefined;
  run(ctx: StepContext, spec: S): Promise<StepOutputs>;
  /** Reads back that the step's intended state holds. */
  verify(ctx: StepContext, spec: S, outputs: StepOutputs | undefined): Promise<Verification>;
  /** Reverse the step from its journaled outputs alone. Absent when there is nothing to undo. */
  undo?(ctx: StepContext, outputs: StepOutputs): Promise<void>;
}
