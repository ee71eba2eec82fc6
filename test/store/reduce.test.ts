import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { reduce } from '../../src/store/reduce.js';
import { initialData, LOG_LIMIT, PROBE_HISTORY, TRAFFIC_HISTORY, type AppData } from '../../src/store/state.js';
import { ENV, PLAN } from '../ui/fixtures.js';

const error = {
  name: 'ExternalError',
  kind: 'external' as const,
  code: 'Throttling' as const,
  message: 'slow down',
  retryable: true,
};
const call = { service: 'elbv2' as const, operation: 'RegisterTargets', params: {} };

/** One sample of every event type: adding a type to the union without a case here fails to compile. */
const SAMPLES: { readonly [T in EngineEvent['type']]: Extract<EngineEvent, { type: T }> } = {
  'run-started': { type: 'run-started', runId: 'r1', runbook: 'rb', mode: 'sandbox', at: 10, resumed: false },
  plan: { type: 'plan', steps: PLAN.steps, hazards: PLAN.hazards, strategies: PLAN.strategies },
  environment: { type: 'environment', env: ENV },
  'step-started': { type: 'step-started', stepId: 'register-redirect', attempt: 2, at: 20 },
  'step-progress': { type: 'step-progress', stepId: 'register-redirect', message: '1/2 healthy', at: 21 },
  call: { type: 'call', stepId: 'register-redirect', phase: 'intent', call, at: 22 },
  'step-succeeded': { type: 'step-succeeded', stepId: 'register-redirect', outputs: {}, at: 30 },
  'step-failed': { type: 'step-failed', stepId: 'register-redirect', attempt: 2, error, at: 31 },
  'step-skipped': { type: 'step-skipped', stepId: 'register-redirect', reason: 'operator', at: 32 },
  verification: { type: 'verification', stepId: 'register-redirect', holds: true, detail: 'ok', at: 33 },
  'rollback-started': { type: 'rollback-started', runId: 'r1', at: 40 },
  'undo-started': { type: 'undo-started', stepId: 'register-redirect', at: 41 },
  'undo-succeeded': { type: 'undo-succeeded', stepId: 'register-redirect', at: 42 },
  'undo-skipped': { type: 'undo-skipped', stepId: 'register-redirect', reason: 'kept for deregister-web', at: 42 },
  'undo-failed': { type: 'undo-failed', stepId: 'register-redirect', error, at: 43 },
  'run-finished': {
    type: 'run-finished',
    runId: 'r1',
    outcome: 'rollback-incomplete',
    at: 50,
    failures: ['register-redirect'],
  },
  log: { type: 'log', level: 'warn', message: 'hello', at: 60 },
  targets: {
    type: 'targets',
    targets: [{ id: 'i-1', state: 'healthy' }],
    instances: [{ id: 'i-1', state: 'running', tags: { Name: 'web-1' } }],
    at: 70,
  },
  probe: { type: 'probe', name: 'maintenance', result: { url: 'u', at: 80, status: 200, latencyMs: 12 } },
  traffic: { type: 'traffic', sample: { second: 1, ok: 9, failed: 1 } },
  'traffic-summary': { type: 'traffic-summary', total: 100, failed: 3 },
};

/** What each event must change, given a state that already has the plan. */
const EXPECT: { readonly [T in EngineEvent['type']]: (s: AppData) => void } = {
  'run-started': (s) => expect([s.run.runId, s.run.startedAt, s.run.phase]).toEqual(['r1', 10, 'running']),
  plan: (s) => expect([s.run.steps.length, s.run.hazards, s.run.strategies.length]).toEqual([4, PLAN.hazards, 2]),
  environment: (s) => expect([s.run.env, s.account]).toEqual([ENV, '123456789012']),
  'step-started': (s) => expect(step(s)).toMatchObject({ state: 'running', attempt: 2, startedAt: 20 }),
  'step-progress': (s) => expect(step(s).progress).toBe('1/2 healthy'),
  call: (s) =>
    expect(step(s).calls).toEqual([{ call, phase: 'intent', at: 22, requestId: undefined, error: undefined }]),
  'step-succeeded': (s) => expect(step(s)).toMatchObject({ state: 'succeeded', finishedAt: 30 }),
  'step-failed': (s) => expect([step(s).state, step(s).error, s.run.lastError]).toEqual(['failed', error, error]),
  'step-skipped': (s) => expect(step(s)).toMatchObject({ state: 'skipped', progress: 'operator' }),
  verification: (s) => expect(step(s).verification).toEqual({ holds: true, detail: 'ok' }),
  'rollback-started': (s) => expect(s.run.phase).toBe('rolling-back'),
  'undo-started': (s) => expect(step(s).progress).toBe('undoing'),
  'undo-succeeded': (s) => expect(step(s).state).toBe('rolled-back'),
  'undo-skipped': (s) =>
    expect([step(s).progress, s.log.at(-1)?.level]).toEqual(['not undone: kept for deregister-web', 'warn']),
  'undo-failed': (s) => expect([step(s).state, s.run.lastError]).toEqual(['undo-failed', error]),
  'run-finished': (s) =>
    expect([s.run.phase, s.run.outcome, s.run.failures]).toEqual([
      'finished',
      'rollback-incomplete',
      ['register-redirect'],
    ]),
  log: (s) => expect(s.log.at(-1)).toEqual({ at: 60, level: 'warn', message: 'hello' }),
  targets: (s) =>
    expect([s.dashboard.targets.length, s.dashboard.instances['i-1']?.tags['Name'], s.dashboard.updatedAt]).toEqual([
      1,
      'web-1',
      70,
    ]),
  probe: (s) => expect([s.dashboard.probes.maintenance.length, s.dashboard.probes.site.length]).toEqual([1, 0]),
  traffic: (s) => expect(s.dashboard.traffic).toEqual([{ second: 1, ok: 9, failed: 1 }]),
  'traffic-summary': (s) => expect(s.dashboard.trafficTotals).toEqual({ total: 100, failed: 3 }),
};

function step(s: AppData, id = 'register-redirect') {
  const found = s.run.steps.find((x) => x.id === id);
  if (found === undefined) throw new Error(`no step ${id}`);
  return found;
}

function planned(): AppData {
  return reduce(initialData({ runbook: 'rb', mode: 'sandbox', region: 'us-east-1' }), SAMPLES.plan);
}

describe('reduce', () => {
  for (const type of Object.keys(SAMPLES) as EngineEvent['type'][]) {
    it(`folds ${type} without mutating the previous state`, () => {
      const before = planned();
      const frozen = JSON.stringify(before);
      const after = reduce(before, SAMPLES[type]);
      EXPECT[type](after);
      expect(JSON.stringify(before)).toBe(frozen);
      expect(after).not.toBe(before);
    });
  }

  it('a step replayed on resume keeps the time it took, not the pause since', () => {
    let s = reduce(planned(), { type: 'step-started', stepId: 'launch-redirect', attempt: 1, at: 1_000 });
    s = reduce(s, { type: 'step-succeeded', stepId: 'launch-redirect', outputs: {}, at: 26_000 });
    s = reduce(s, { type: 'run-started', runId: 'r', runbook: 'x', mode: 'sandbox', at: 600_000, resumed: true });
    s = reduce(s, { type: 'step-succeeded', stepId: 'launch-redirect', outputs: {}, at: 600_001 });
    expect(step(s, 'launch-redirect').finishedAt! - step(s, 'launch-redirect').startedAt!).toBe(25_000);
  });

  it('a command start ends with its first step; text typed ahead for a name prompt that never came is reported', () => {
    const starting = {
      ...planned(),
      mode: 'live' as const,
      ui: { ...planned().ui, busy: true, starting: true, typeahead: 'shop' },
    };
    const s = reduce(starting, { type: 'step-started', stepId: 'launch-redirect', attempt: 1, at: 1 });
    expect(s.ui).toMatchObject({ starting: false, typeahead: '' });
    expect(s.log.map((l) => l.message).join('\n')).toContain('were not used ("shop")');
  });

  it('keeps untouched parts referentially equal (stable selectors)', () => {
    const before = planned();
    const after = reduce(before, SAMPLES.probe);
    expect(after.run).toBe(before.run);
    expect(after.dashboard.targets).toBe(before.dashboard.targets);
  });

  it('completes the open intent with its result and request id', () => {
    let s = reduce(planned(), SAMPLES.call);
    s = reduce(s, { ...SAMPLES.call, phase: 'result', requestId: 'req-1', at: 23 });
    expect(step(s).calls).toEqual([{ call, phase: 'result', at: 22, requestId: 'req-1', error: undefined }]);
    s = reduce(s, { ...SAMPLES.call, phase: 'dry-run', at: 24 });
    expect(step(s).calls.map((c) => c.phase)).toEqual(['result', 'dry-run']);
  });

  it('logs a failed call and the step failure as errors', () => {
    const s = reduce(reduce(planned(), { ...SAMPLES.call, phase: 'failed', error }), SAMPLES['step-failed']);
    expect(s.log.map((l) => l.level)).toEqual(['error', 'error']);
    expect(s.log[0]?.message).toContain('RegisterTargets failed: slow down');
  });

  it('caps probe history, traffic samples and the log', () => {
    let s = planned();
    for (let i = 0; i < 100; i++) {
      s = reduce(s, { type: 'probe', name: 'site', result: { url: 'u', at: i, latencyMs: i } });
      s = reduce(s, { type: 'traffic', sample: { second: i, ok: i, failed: 0 } });
    }
    for (let i = 0; i < LOG_LIMIT + 50; i++) s = reduce(s, { ...SAMPLES.log, at: i });
    expect(s.dashboard.probes.site).toHaveLength(PROBE_HISTORY);
    expect(s.dashboard.probes.site.at(-1)?.at).toBe(99);
    expect(s.dashboard.traffic).toHaveLength(TRAFFIC_HISTORY);
    expect(s.log).toHaveLength(LOG_LIMIT);
    expect(s.log.at(-1)?.at).toBe(LOG_LIMIT + 49);
  });

  it('a new run clears the previous outcome and a shown error', () => {
    let s = reduce(planned(), SAMPLES['run-finished']);
    s = { ...s, ui: { ...s.ui, error: { error } } };
    s = reduce(s, SAMPLES['run-started']);
    expect([s.run.outcome, s.run.failures, s.ui.error]).toEqual([undefined, [], undefined]);
  });

  it('keeps the last listener when a poll has none, and an explicit account over the environment', () => {
    const listener = { arn: 'l', loadBalancerArn: 'lb', port: 80, protocol: 'HTTP', defaultActions: [] };
    let s = reduce(planned(), { ...SAMPLES.targets, listener });
    s = reduce(s, SAMPLES.targets);
    expect(s.dashboard.listener).toEqual(listener);
    const withAccount = reduce({ ...planned(), account: '999' }, SAMPLES.environment);
    expect(withAccount.account).toBe('999');
  });
});
