import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/build.js';
import { assumedEnvironment, ALB_DEFAULTS } from '../../src/plan/environment.js';
import { DEFAULT_BOOT_SECONDS, NO_INSTALL_BOOT_SECONDS } from '../../src/plan/timeline.js';
import type { Hazard, Plan } from '../../src/plan/types.js';
import type { Runbook } from '../../src/runbook/schema.js';
import type { RunEnvironment } from '../../src/domain/types.js';
import { discoveredEnv, good, LISTENER_ARN, shipped, startTimes, withSteps } from './env.js';

function hazard(plan: Plan, code: Hazard['code']): Hazard | undefined {
  return plan.hazards.find((h) => h.code === code);
}

function dangers(plan: Plan): Hazard[] {
  return plan.hazards.filter((h) => h.severity === 'danger');
}

/**
 * The zero-healthy window of a deregister-first order: the web servers are out from the moment
 * deregister-web starts; the redirect instance answers `boot` seconds after its launch starts and
 * is healthy after one passing health check, up to one interval later.
 */
function classicWindow(plan: Plan, boot: number, interval: number): number {
  const starts = startTimes(plan.steps.map((s) => s.expectedSeconds));
  const at = (type: string) => starts[plan.steps.findIndex((s) => s.type === type)]!;
  const healthy = Math.max(at('register-redirect'), at('launch-redirect') + boot) + interval;
  return healthy - at('deregister-web');
}

describe('zero-healthy-window', () => {
  it('classic-order opens a window of boot + one health-check interval (ALB defaults)', async () => {
    const runbook = await shipped('classic-order');
    const env = assumedEnvironment(runbook);
    const plan = buildPlan(runbook, env);
    const window = hazard(plan, 'zero-healthy-window');
    expect(window).toMatchObject({ severity: 'danger', stepId: 'deregister-web' });
    // The launch only starts once deregister-web is done, a call and a check: a few seconds at most.
    const lead = plan.steps[0]!.expectedSeconds;
    expect(lead).toBeGreaterThan(0);
    expect(lead).toBeLessThanOrEqual(5);
    expect(window!.expectedSeconds).toBe(lead + DEFAULT_BOOT_SECONDS + ALB_DEFAULTS.intervalSeconds);
    expect(window!.expectedSeconds).toBe(classicWindow(plan, 40, 30));
    expect(window!.message).toContain(`about ${window!.expectedSeconds} s`);
    expect(window!.message).toContain('boot ~40 s');
    expect(window!.message).toContain('up to 30 s apart');
  });

  it('follows the discovered health-check interval', async () => {
    const runbook = await shipped('classic-order');
    const at30 = buildPlan(runbook, discoveredEnv({ intervalSeconds: 30 }));
    const at10 = buildPlan(runbook, discoveredEnv({ intervalSeconds: 10 }));
    const w10 = hazard(at10, 'zero-healthy-window')!;
    expect(w10.expectedSeconds).toBe(classicWindow(at10, 40, 10));
    expect(w10.expectedSeconds).toBe(at10.steps[0]!.expectedSeconds + 40 + 10);
    expect(hazard(at30, 'zero-healthy-window')!.expectedSeconds! - w10.expectedSeconds!).toBe(20);
    expect(w10.message).toContain('up to 10 s apart');
  });

  it('follows redirectServer.bootSeconds', async () => {
    const classic = await shipped('classic-order');
    const slow = withSteps(classic, classic.steps, {
      redirectServer: { ...classic.redirectServer!, bootSeconds: 180 },
    });
    const plan = buildPlan(slow, discoveredEnv({ intervalSeconds: 10 }));
    const window = hazard(plan, 'zero-healthy-window')!;
    expect(window.expectedSeconds).toBe(plan.steps[0]!.expectedSeconds + 180 + 10);
    expect(window.message).toContain('boot ~180 s');
  });

  it.each([
    ['the ALB defaults', undefined],
    ['a 10 s interval', 10],
    ['a 300 s interval', 300],
  ])('emergency-mode has no window with %s', async (_label, interval) => {
    const runbook = await shipped('emergency-mode');
    const env: RunEnvironment =
      interval === undefined ? assumedEnvironment(runbook) : discoveredEnv({ intervalSeconds: interval });
    const plan = buildPlan(runbook, env);
    expect(dangers(plan)).toEqual([]);
    // ...because deregister-web starts only when the redirect instance is expected to be healthy.
    const starts = startTimes(plan.steps.map((s) => s.expectedSeconds));
    const healthyBy = starts[plan.steps.findIndex((s) => s.type === 'deregister-web')]!;
    const launchedAt = starts[plan.steps.findIndex((s) => s.type === 'launch-redirect')]!;
    // emergency-mode runs the builtin server: nothing to install at boot.
    expect(healthyBy - launchedAt).toBe(NO_INSTALL_BOOT_SECONDS + (interval ?? 30));
  });

  it('skipping wait-redirect-healthy opens the window again, shorter', async () => {
    const emergency = await shipped('emergency-mode');
    const runbook = withSteps(emergency, [
      { type: 'launch-redirect' },
      { type: 'register-redirect' },
      { type: 'deregister-web' },
      { type: 'verify-maintenance' },
    ]);
    const plan = buildPlan(runbook, discoveredEnv({ intervalSeconds: 10 }));
    const window = hazard(plan, 'zero-healthy-window')!;
    expect(window.expectedSeconds).toBe(classicWindow(plan, NO_INSTALL_BOOT_SECONDS, 10));
    expect(window.expectedSeconds).toBeLessThan(NO_INSTALL_BOOT_SECONDS + 10);
    expect(window.expectedSeconds).toBeGreaterThan(0);
  });

  it('a listener redirect before deregister-web leaves no window', async () => {
    const runbook = await good('listener-redirect');
    const plan = buildPlan(runbook, discoveredEnv());
    expect(plan.steps.map((s) => s.type).indexOf('set-listener-redirect')).toBeLessThan(
      plan.steps.map((s) => s.type).indexOf('deregister-web'),
    );
    expect(dangers(plan)).toEqual([]);
  });

  it('a listener redirect after deregister-web leaves a window as long as the deregistration step', async () => {
    const base = await good('listener-redirect');
    const runbook = withSteps(base, [
      { type: 'deregister-web' },
      { type: 'set-listener-redirect' },
      { type: 'verify-maintenance' },
    ]);
    const plan = buildPlan(runbook, discoveredEnv());
    const window = hazard(plan, 'zero-healthy-window')!;
    expect(window.expectedSeconds).toBe(plan.steps[0]!.expectedSeconds);
    expect(window.message).toContain('before the listener is pointed at the maintenance site');
    expect(window.message).not.toContain('boot');
  });

  it('a listener redirect ends the window even when a redirect instance would be later', async () => {
    const classic = await shipped('classic-order');
    const runbook = withSteps(
      classic,
      [
        { type: 'deregister-web' },
        { type: 'launch-redirect' },
        { type: 'set-listener-redirect' },
        { type: 'register-redirect' },
        { type: 'wait-redirect-healthy' },
      ],
      { loadBalancer: { ...classic.loadBalancer, listener: LISTENER_ARN } },
    );
    const plan = buildPlan(runbook, discoveredEnv());
    const starts = startTimes(plan.steps.map((s) => s.expectedSeconds));
    expect(hazard(plan, 'zero-healthy-window')!.expectedSeconds).toBe(starts[2]);
  });
});

describe('site-left-without-targets', () => {
  it('a runbook that only deregisters the web servers leaves the site with nothing', async () => {
    const classic = await shipped('classic-order');
    const runbook = withSteps(classic, [{ type: 'deregister-web' }]);
    const plan = buildPlan(runbook, assumedEnvironment(runbook));
    expect(hazard(plan, 'site-left-without-targets')).toMatchObject({ severity: 'danger', stepId: 'deregister-web' });
    expect(hazard(plan, 'site-left-without-targets')!.expectedSeconds).toBeUndefined();
    expect(hazard(plan, 'zero-healthy-window')).toBeUndefined();
    expect(plan.hazards.find((h) => h.code === 'unverified')).toBeDefined();
  });

  it('names the step by its explicit id', async () => {
    const classic = await shipped('classic-order');
    const runbook = withSteps(classic, [
      { type: 'manual', text: 'Tell support' },
      { type: 'deregister-web', id: 'take-web-out' },
    ]);
    expect(hazard(buildPlan(runbook, discoveredEnv()), 'site-left-without-targets')!.stepId).toBe('take-web-out');
  });

  it('not when DNS has already moved the site elsewhere', async () => {
    const base = await good('dns');
    const runbook = withSteps(base, [
      { type: 'dns-failover' },
      { type: 'deregister-web' },
      { type: 'verify-maintenance' },
    ]);
    expect(dangers(buildPlan(runbook, discoveredEnv()))).toEqual([]);
  });
});

describe('other hazards', () => {
  it('an instance launched and never registered is an orphan', async () => {
    const classic = await shipped('classic-order');
    const plan = buildPlan(
      withSteps(classic, [{ type: 'launch-redirect' }, { type: 'verify-maintenance' }]),
      discoveredEnv(),
    );
    expect(hazard(plan, 'orphan-instance')).toMatchObject({ severity: 'warning', stepId: 'launch-redirect' });
    expect(hazard(buildPlan(classic, discoveredEnv()), 'orphan-instance')).toBeUndefined();
  });

  it('warns when nothing verifies the maintenance site', async () => {
    const emergency = await shipped('emergency-mode');
    expect(hazard(buildPlan(emergency, discoveredEnv()), 'unverified')).toBeUndefined();
    const unverified = withSteps(
      emergency,
      emergency.steps.filter((s) => s.type !== 'verify-maintenance'),
    );
    expect(hazard(buildPlan(unverified, discoveredEnv()), 'unverified')).toMatchObject({ severity: 'warning' });
  });

  it('warns about a long DNS TTL', async () => {
    const base = await good('dns');
    expect(hazard(buildPlan(base, discoveredEnv()), 'long-dns-ttl')).toBeUndefined();
    const slow = withSteps(base, base.steps, { dns: { ...base.dns!, ttl: 3600 } });
    const h = hazard(buildPlan(slow, discoveredEnv()), 'long-dns-ttl')!;
    expect(h).toMatchObject({ severity: 'warning', stepId: 'dns-failover' });
    expect(h.message).toContain('3600 s');
  });

  it('notes assumed defaults, and a single web target when the account was read', async () => {
    const emergency = await shipped('emergency-mode');
    expect(hazard(buildPlan(emergency, assumedEnvironment(emergency)), 'defaults-assumed')).toMatchObject({
      severity: 'info',
    });
    expect(hazard(buildPlan(emergency, discoveredEnv()), 'defaults-assumed')).toBeUndefined();
    expect(hazard(buildPlan(emergency, discoveredEnv()), 'single-web-target')).toBeUndefined();
    expect(
      hazard(buildPlan(emergency, discoveredEnv({ webIds: ['i-0aaaaaaaaaaaaaaa1'] })), 'single-web-target'),
    ).toMatchObject({ severity: 'info' });
  });

  it('no step of any type lacks an undo', async () => {
    const runbooks: Runbook[] = [
      await shipped('classic-order'),
      await shipped('emergency-mode'),
      await good('listener-redirect'),
      await good('dns'),
      await good('instance-ids'),
    ];
    for (const runbook of runbooks) expect(hazard(buildPlan(runbook, discoveredEnv()), 'no-undo')).toBeUndefined();
  });

  it('lists the danger first', async () => {
    const plan = buildPlan(await shipped('classic-order'), assumedEnvironment(await shipped('classic-order')));
    expect(plan.hazards[0]!.code).toBe('zero-healthy-window');
  });
});
