import type { ErrorRecord } from '../domain/errors.js';
import type { TargetHealth } from '../ports/index.js';
import type { PlannedStep } from '../plan/types.js';

export interface ConfirmRequest {
  readonly step: PlannedStep;
  readonly index: number;
  readonly total: number;
  /**
   * Set in live mode for the first mutating step of a run: the operator must type this text
   * (the runbook's name) to go on.
   */
  readonly typeToConfirm?: string | undefined;
  /** `undo`: rollback is about to reverse the step, with the calls in `step.undo` (default `run`: `step.calls`). */
  readonly phase?: 'run' | 'undo' | undefined;
}

export interface FailureRequest {
  readonly step: PlannedStep;
  readonly attempt: number;
  readonly error: ErrorRecord;
}

/** Asked once before a rollback reverses anything. */
export interface RollbackRequest {
  readonly runId: string;
  /** The steps rollback will reverse, in the order it reverses them; each one's calls are in `undo`. */
  readonly steps: readonly PlannedStep[];
  /** The web servers as the load balancer reports them now (absent ones are not registered). */
  readonly webHealth: readonly TargetHealth[];
  /** Set when the web servers look unwell: rolling back sends visitors back to them. */
  readonly warning?: string | undefined;
  /** Live mode: the operator must type this (the runbook's name) to go on. */
  readonly typeToConfirm?: string | undefined;
}

/** Retry the step, skip it, undo everything done so far, or stop and leave the run resumable. */
export type FailureDecision = 'retry' | 'skip' | 'rollback' | 'stop';

/** Run the step (for a `manual` step: the operator has done it), skip it, or stop (resumable). */
export type ConfirmDecision = 'run' | 'skip' | 'stop';

/**
 * What the engine gets back for a confirmation: a person's decision, or `unattended` when nobody
 * was asked (`--yes`). Unattended, a mutating step runs; a `manual` step (a checklist item only a
 * person can do) is recorded as not done, so the timeline never says someone did it.
 */
export type ConfirmAnswer = ConfirmDecision | 'unattended';

/** Go on with the rollback, or leave everything as it is. */
export type RollbackDecision = 'run' | 'stop';

/**
 * The human in the loop, as an awaited port: the engine asks and waits, so no event has to be
 * buffered. The TUI answers from key presses, headless mode from stdin or `--yes`.
 */
export interface Operator {
  confirmStep(request: ConfirmRequest): Promise<ConfirmAnswer>;
  onFailure(request: FailureRequest): Promise<FailureDecision>;
  confirmRollback(request: RollbackRequest): Promise<RollbackDecision>;
}

/**
 * `--yes`: nobody is asked; every step is confirmed `unattended` (a manual step is recorded as not
 * done); on failure stop (the run stays journaled and resumable), or roll back for drills.
 */
export function automaticOperator(onFailure: FailureDecision = 'stop'): Operator {
  return {
    confirmStep: () => Promise.resolve('unattended'),
    onFailure: () => Promise.resolve(onFailure),
    confirmRollback: () => Promise.resolve('run'),
  };
}
