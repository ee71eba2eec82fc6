import { BugError } from '../domain/errors.js';
import type { ApiCall } from '../domain/types.js';
import type { Clock } from '../ports/index.js';
import type { EngineEvent, EventSink } from './events.js';
import type { Journal } from './journal.js';
import type { JournalEntry } from './journal-records.js';

/**
 * A step's or a rollback's transitions, each written once: `transition` journals the record (fsync'd
 * first) and emits the engine event made from that same record, so the two cannot drift apart.
 */

type Kinds =
  | 'step-started'
  | 'verified'
  | 'step-succeeded'
  | 'step-failed'
  | 'step-skipped'
  | 'intent'
  | 'result'
  | 'call-failed'
  | 'rollback-started'
  | 'undo-started'
  | 'undo-succeeded'
  | 'undo-skipped'
  | 'undo-failed';

/** The records that are transitions the operator sees as they happen. */
export type Transition = Extract<JournalEntry, { kind: Kinds }>;

export interface TransitionScope {
  readonly runId: string;
  readonly journal: Journal;
  readonly emit: EventSink;
  readonly ports: { readonly clock: Clock };
}

export interface TransitionOptions {
  /** The call a `result` or `call-failed` record answers (its record names it by id only). */
  readonly call?: ApiCall | undefined;
  /** The event's words when they say more than the record (a verification in doubt after a crash). */
  readonly detail?: string | undefined;
  /** When the run began (a rollback's event carries it: the incident clock runs from the run's start). */
  readonly runStartedAt?: number | undefined;
}

type Answer = Extract<Transition, { kind: 'result' | 'call-failed' }>;

/** Journal one transition, then emit its event. A `result` or `call-failed` names the call it answers. */
export function transition(
  scope: TransitionScope,
  entry: Answer,
  options: TransitionOptions & { readonly call: ApiCall },
): void;
export function transition(
  scope: TransitionScope,
  entry: Exclude<Transition, Answer>,
  options?: TransitionOptions,
): void;
export function transition(scope: TransitionScope, entry: Transition, options: TransitionOptions = {}): void {
  scope.journal.append(entry);
  scope.emit(eventOf(entry, scope.runId, scope.ports.clock.now(), options));
}

function eventOf(entry: Transition, runId: string, at: number, options: TransitionOptions): EngineEvent {
  switch (entry.kind) {
    case 'step-started':
      return { type: 'step-started', stepId: entry.stepId, attempt: entry.attempt, at };
    case 'verified':
      return {
        type: 'verification',
        stepId: entry.stepId,
        holds: entry.holds,
        detail: options.detail ?? entry.detail,
        at,
      };
    case 'step-succeeded':
      return { type: 'step-succeeded', stepId: entry.stepId, outputs: entry.outputs, at };
    case 'step-failed':
      return {
        type: 'step-failed',
        stepId: entry.stepId,
        attempt: entry.attempt,
        error: entry.error as Extract<EngineEvent, { type: 'step-failed' }>['error'],
        at,
      };
    case 'step-skipped':
      return {
        type: 'step-skipped',
        stepId: entry.stepId,
        reason: entry.reason,
        ...(entry.unattended === undefined ? {} : { unattended: entry.unattended }),
        at,
      };
    case 'intent':
      return { type: 'call', stepId: entry.stepId, phase: 'intent', call: entry.call, at };
    case 'result':
      return {
        type: 'call',
        stepId: entry.stepId,
        phase: 'result',
        call: callOf(entry, options),
        requestId: entry.requestId,
        at,
      };
    case 'call-failed':
      return {
        type: 'call',
        stepId: entry.stepId,
        phase: 'failed',
        call: callOf(entry, options),
        error: entry.error as Extract<EngineEvent, { type: 'step-failed' }>['error'],
        at,
      };
    case 'rollback-started':
      return {
        type: 'rollback-started',
        runId,
        at,
        ...(options.runStartedAt === undefined ? {} : { runStartedAt: options.runStartedAt }),
      };
    case 'undo-started':
      return { type: 'undo-started', stepId: entry.stepId, at };
    case 'undo-succeeded':
      return { type: 'undo-succeeded', stepId: entry.stepId, detail: entry.detail, at };
    case 'undo-skipped':
      return { type: 'undo-skipped', stepId: entry.stepId, reason: entry.reason, at };
    case 'undo-failed':
      return {
        type: 'undo-failed',
        stepId: entry.stepId,
        error: entry.error as Extract<EngineEvent, { type: 'undo-failed' }>['error'],
        at,
      };
  }
}

function callOf(entry: { readonly callId: string }, options: TransitionOptions): ApiCall {
  if (options.call === undefined)
    throw new BugError(`The journal record ${entry.callId} was written without the call it answers.`, {
      code: 'InternalError',
    });
  return options.call;
}
