import { describe, expect, it } from 'vitest';
import { reduce } from '../../src/store/reduce.js';
import { initialData, type AppData } from '../../src/store/state.js';
import { stepTiming } from '../../src/ui/step-list.js';
import { PLAN } from '../ui/fixtures.js';

/**
 * Times that do not mislead (issue 20, item 7): the incident clock (the header's ⏱, from the run's
 * start to now) is kept across a resume in a new process and a rollback after a declined one, and
 * each undo shows its own duration.
 */

const T0 = 1_700_000_000_000;

function planned(): AppData {
  return reduce(initialData({ runbook: 'rb', mode: 'live', region: 'us-east-1' }), {
    type: 'plan',
    steps: PLAN.steps,
    hazards: [],
  });
}

function step(s: AppData, id: string) {
  return s.run.steps.find((x) => x.id === id)!;
}

describe('the incident clock', () => {
  it('a resumed run in a new process counts from the run’s first start', () => {
    const s = reduce(planned(), {
      type: 'run-started',
      runId: 'r',
      runbook: 'rb',
      mode: 'live',
      at: T0 + 600_000,
      resumed: true,
      runStartedAt: T0,
    });
    expect(s.run.startedAt).toBe(T0);
  });

  it('a resume in the same dashboard keeps the start it had', () => {
    let s = reduce(planned(), { type: 'run-started', runId: 'r', runbook: 'rb', mode: 'live', at: T0, resumed: false });
    s = reduce(s, { type: 'run-finished', runId: 'r', outcome: 'failed', at: T0 + 30_000 });
    s = reduce(s, { type: 'run-started', runId: 'r', runbook: 'rb', mode: 'live', at: T0 + 90_000, resumed: true });
    expect(s.run.startedAt).toBe(T0);
    expect(s.run.finishedAt).toBeUndefined();
  });

  it('a rollback (after one was declined) counts from the run’s start and runs until it ends', () => {
    let s = reduce(planned(), { type: 'run-finished', runId: 'r', outcome: 'declined', at: T0 + 100_000 });
    expect(s.run.startedAt).toBeUndefined();
    s = reduce(s, { type: 'rollback-started', runId: 'r', at: T0 + 200_000, runStartedAt: T0 });
    expect(s.run.startedAt).toBe(T0);
    expect(s.run.finishedAt).toBeUndefined();
  });

  it('a rollback right after the failover in the same dashboard is not frozen at the failover’s end', () => {
    let s = reduce(planned(), { type: 'run-started', runId: 'r', runbook: 'rb', mode: 'live', at: T0, resumed: false });
    s = reduce(s, { type: 'run-finished', runId: 'r', outcome: 'failed-over', at: T0 + 80_000 });
    s = reduce(s, { type: 'rollback-started', runId: 'r', at: T0 + 120_000, runStartedAt: T0 });
    expect([s.run.startedAt, s.run.finishedAt]).toEqual([T0, undefined]);
  });
});

describe('each undo its own duration', () => {
  it('an undo of 5 s shows 5 s, not the time since its failover step started', () => {
    let s = reduce(planned(), { type: 'step-started', stepId: 'launch-redirect', attempt: 1, at: T0 });
    s = reduce(s, { type: 'step-succeeded', stepId: 'launch-redirect', outputs: {}, at: T0 + 25_000 });
    s = reduce(s, { type: 'rollback-started', runId: 'r', at: T0 + 76_000, runStartedAt: T0 });
    s = reduce(s, { type: 'undo-started', stepId: 'launch-redirect', at: T0 + 76_000 });
    s = reduce(s, { type: 'undo-succeeded', stepId: 'launch-redirect', at: T0 + 81_000 });
    expect(step(s, 'launch-redirect').state).toBe('rolled-back');
    expect(stepTiming(step(s, 'launch-redirect'), T0 + 90_000)).toBe('5 s');
  });
});
