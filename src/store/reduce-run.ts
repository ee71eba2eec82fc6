import { launchedRedirectId, withRedirectId } from './known-ids.js';
import type { EngineEvent } from '../engine/events.js';
import type { PlannedStep } from '../plan/types.js';
import type { CallView, RunState, StepView } from './state.js';

type RunEvent = Exclude<EngineEvent, { type: 'targets' | 'probe' | 'traffic' | 'traffic-summary' | 'log' }>;

/** A pending step view from the plan. */
export function stepFromPlan(step: PlannedStep): StepView {
  return {
    id: step.id,
    type: step.type,
    title: step.title,
    mutating: step.mutating,
    planned: step.calls,
    expectedSeconds: step.expectedSeconds,
    state: 'pending',
    attempt: 0,
    calls: [],
  };
}

/** The steps' planned calls with the redirect instance's real id once the run launched it. */
function withKnownIds(run: RunState): RunState {
  const id = launchedRedirectId(run.steps);
  if (id === undefined) return run;
  return { ...run, steps: run.steps.map((s) => ({ ...s, planned: s.planned.map((c) => withRedirectId(c, id)) })) };
}

function updateStep(run: RunState, stepId: string, patch: (step: StepView) => Partial<StepView>): RunState {
  const steps = run.steps.map((s) => (s.id === stepId ? { ...s, ...patch(s) } : s));
  return { ...run, steps };
}

/** Records a call: an intent opens an entry, its result or failure completes the latest open one. */
export function applyCall(
  calls: readonly CallView[],
  event: Extract<EngineEvent, { type: 'call' }>,
): readonly CallView[] {
  const view: CallView = {
    call: event.call,
    phase: event.phase,
    requestId: event.requestId,
    error: event.error,
    at: event.at,
  };
  if (event.phase === 'intent' || event.phase === 'dry-run') return [...calls, view];
  const open = findLastOpen(calls, event.call.operation);
  if (open < 0) return [...calls, view];
  return calls.map((c, i) =>
    i === open ? { ...c, phase: event.phase, requestId: event.requestId, error: event.error } : c,
  );
}

function findLastOpen(calls: readonly CallView[], operation: string): number {
  for (let i = calls.length - 1; i >= 0; i--) {
    const c = calls[i];
    if (c !== undefined && c.phase === 'intent' && c.call.operation === operation) return i;
  }
  return -1;
}

/** Folds one engine event into the run. Pure. */
export function reduceRun(run: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'run-started':
      return {
        ...run,
        runId: event.runId,
        // The incident clock runs from the run's first start, across resumes.
        startedAt:
          event.runStartedAt ?? (event.resumed && run.runId === event.runId ? run.startedAt : undefined) ?? event.at,
        finishedAt: undefined,
        resumed: event.resumed,
        phase: 'running',
        outcome: undefined,
        failures: [],
        lastError: undefined,
      };
    case 'plan':
      return {
        ...run,
        steps: event.steps.map(stepFromPlan),
        hazards: event.hazards,
        strategies: event.strategies ?? run.strategies,
      };
    case 'environment':
      return { ...run, env: event.env };
    case 'step-started':
      return updateStep(run, event.stepId, () => ({
        state: 'running',
        attempt: event.attempt,
        startedAt: event.at,
        finishedAt: undefined,
        progress: undefined,
        error: undefined,
      }));
    case 'step-progress':
      return updateStep(run, event.stepId, () => ({ progress: event.message }));
    case 'call':
      return updateStep(run, event.stepId, (s) => ({ calls: applyCall(s.calls, event) }));
    case 'step-succeeded':
      // A resumed run replays finished steps: their time is the one they took, not the pause since.
      return withKnownIds(
        updateStep(run, event.stepId, (s) => ({
          state: 'succeeded',
          finishedAt: s.state === 'succeeded' ? s.finishedAt : event.at,
          progress: undefined,
          outputs: event.outputs,
        })),
      );
    case 'step-failed':
      return {
        ...updateStep(run, event.stepId, () => ({
          state: 'failed',
          attempt: event.attempt,
          finishedAt: event.at,
          error: event.error,
        })),
        lastError: event.error,
      };
    case 'step-skipped':
      return updateStep(run, event.stepId, (s) => ({
        state: 'skipped',
        finishedAt: s.state === 'skipped' ? s.finishedAt : event.at,
        progress: event.reason,
      }));
    case 'verification':
      return updateStep(run, event.stepId, () => ({ verification: { holds: event.holds, detail: event.detail } }));
    case 'rollback-started':
      // The incident clock goes on from the run's start (not from the rollback, nor frozen at the failover's end).
      return {
        ...run,
        runId: event.runId,
        phase: 'rolling-back',
        outcome: undefined,
        failures: [],
        lastError: undefined,
        startedAt: event.runStartedAt ?? run.startedAt ?? event.at,
        finishedAt: undefined,
      };
    case 'undo-started':
      // Each undo shows its own duration, not the time since its failover step started.
      return updateStep(run, event.stepId, () => ({ progress: 'undoing', startedAt: event.at, finishedAt: undefined }));
    case 'undo-succeeded':
      return updateStep(run, event.stepId, () => ({ state: 'rolled-back', finishedAt: event.at, progress: undefined }));
    case 'undo-skipped':
      return updateStep(run, event.stepId, () => ({ progress: `not undone: ${event.reason}` }));
    case 'undo-failed':
      return {
        ...updateStep(run, event.stepId, () => ({
          state: 'undo-failed',
          finishedAt: event.at,
          error: event.error,
          progress: undefined,
        })),
        lastError: event.error,
      };
    case 'run-finished':
      // A declined rollback changed nothing: the run's state (a finished failover) stays on screen.
      if (event.outcome === 'declined') return run;
      return {
        ...run,
        phase: 'finished',
        outcome: event.outcome,
        finishedAt: event.at,
        failures: event.failures ?? [],
        notDone: event.notDone,
      };
  }
}
