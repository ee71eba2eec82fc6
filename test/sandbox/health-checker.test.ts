import { describe, expect, it } from 'vitest';
import type { HealthCheckSettings } from '../../src/ports/index.js';
import {
  alreadyHealthy,
  applyCheck,
  DRAINING,
  matches,
  REGISTERING,
  type CheckOutcome,
  type HealthState,
} from '../../src/sandbox/health-checker.js';

const settings: HealthCheckSettings = {
  protocol: 'HTTP',
  path: '/health',
  port: 'traffic-port',
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThreshold: 3,
  unhealthyThreshold: 2,
  matcher: '200',
};
const pass: CheckOutcome = { ok: true };
const fail: CheckOutcome = {
  ok: false,
  reason: 'Target.ResponseCodeMismatch',
  description: 'Health checks failed with these codes: [500]',
};

function run(from: HealthState, outcomes: readonly CheckOutcome[]): HealthState[] {
  const states: HealthState[] = [];
  let current = from;
  for (const outcome of outcomes) states.push((current = applyCheck(current, outcome, settings)));
  return states;
}

describe('applyCheck', () => {
  it('turns a newly registered target healthy after one passing check, as an ALB does', () => {
    const states = run(REGISTERING, [pass]);
    expect(states.map((s) => s.state)).toEqual(['healthy']);
    expect(states[0]?.reason).toBeUndefined();
  });

  it('a new target that keeps failing turns unhealthy, and then needs consecutive passes', () => {
    const states = run(REGISTERING, [fail, fail, pass, pass, fail, pass, pass, pass]);
    expect(states.map((s) => s.state)).toEqual([
      'initial',
      'unhealthy',
      'unhealthy',
      'unhealthy',
      'unhealthy',
      'unhealthy',
      'unhealthy',
      'healthy',
    ]);
    expect(states[0]?.reason).toBe('Elb.InitialHealthChecking');
  });

  it('turns unhealthy after unhealthyThreshold failures, with the reason, and recovers after healthyThreshold passes', () => {
    const states = run(alreadyHealthy(settings), [fail, fail, pass, pass, pass]);
    expect(states.map((s) => s.state)).toEqual(['healthy', 'unhealthy', 'unhealthy', 'unhealthy', 'healthy']);
    expect(states[1]).toMatchObject({
      reason: 'Target.ResponseCodeMismatch',
      description: expect.stringContaining('500'),
    });
  });

  it('leaves a draining target alone', () => {
    expect(applyCheck(DRAINING, pass, settings)).toBe(DRAINING);
  });
});

describe('matches', () => {
  it('understands single codes, lists and ranges', () => {
    expect(matches('200', 200)).toBe(true);
    expect(matches('200', 302)).toBe(false);
    expect(matches('200,302', 302)).toBe(true);
    expect(matches('200-299', 204)).toBe(true);
    expect(matches('200-299', 301)).toBe(false);
  });
});
