import { afterEach, describe, expect, it } from 'vitest';
import { automaticOperator } from '../../src/engine/operator.js';
import { openSession } from '../../src/engine/session.js';
import type { Runbook } from '../../src/runbook/schema.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SCALE_OUT_SECONDS } from '../../src/sandbox/scaling.js';
import { ME, tempDir } from '../helpers/engine.js';
import { get, sandboxFor, stopAll, waitFor } from './helpers.js';

const started: Sandbox[] = [];
afterEach(() => stopAll(started));

async function session(sandbox: Sandbox, runbook: Runbook = sandbox.runbook) {
  return openSession({
    loaded: { runbook, file: 'runbooks/sandbox.yaml', sha256: 'a'.repeat(64) },
    runbook,
    ports: sandbox.ports,
    mode: 'sandbox',
    journalDir: tempDir(),
    emit: () => undefined,
    operator: automaticOperator(),
    identity: ME,
    pollIntervalMs: sandbox.pollIntervalMs,
    healthyTimeoutMs: sandbox.healthyTimeoutMs,
  });
}

/** Real time for `n` of the group's scale-out intervals at the sandbox's speed. */
function intervals(sandbox: Sandbox, n: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, (n * SCALE_OUT_SECONDS * 1000) / sandbox.speed + 100));
}

describe('an Auto Scaling group that scales out during the maintenance (scale-out fault)', () => {
  it('without suspend-scaling, it registers a new web server behind the load balancer: visitors reach the origin again', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['scale-out'], speed: 100 });
    const runbook = { ...sandbox.runbook, steps: sandbox.runbook.steps.filter((s) => s.type !== 'suspend-scaling') };
    const s = await session(sandbox, runbook);
    expect(s.plan.hazards.find((h) => h.code === 'scaling-unsuspended')?.severity).toBe('danger');
    // The failover may even fail its verification: a new web server answers some visitors.
    await s.failover();
    const web = new Set(s.env.webTargets.map((t) => t.id));
    const redirect = new Set(
      (await sandbox.ports.compute.describeInstances({ tags: { 'hotspare:step': 'launch-redirect' } })).map(
        (i) => i.id,
      ),
    );
    const health = await waitFor(
      () => sandbox.ports.lb.describeTargetHealth(s.env.targetGroup.arn),
      (targets) => targets.some((t) => !web.has(t.id) && !redirect.has(t.id) && t.state === 'healthy'),
      10_000,
    );
    const newcomers = health.filter((t) => !web.has(t.id) && !redirect.has(t.id));
    expect((await sandbox.ports.scaling.describeGroups())[0]?.instanceIds).toEqual(
      expect.arrayContaining(newcomers.map((t) => t.id)),
    );
  });

  it('with suspend-scaling first, the group stays frozen until rollback resumes it', async () => {
    // Speed 25, not 100: the failover must succeed here, and at 100 a loaded machine's scheduling
    // delays are longer than the sandbox's health-check deadline for the redirect instance.
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['scale-out'], speed: 25 });
    const s = await session(sandbox);
    expect(s.plan.hazards.find((h) => h.code === 'scaling-suspended')).toBeDefined();
    expect(await s.failover()).toBe('failed-over');
    await intervals(sandbox, 3);
    const health = await sandbox.ports.lb.describeTargetHealth(s.env.targetGroup.arn);
    expect(health.filter((t) => t.state !== 'draining').length).toBe(1);
    expect((await sandbox.ports.scaling.describeGroups())[0]?.suspended).toContain('AddToLoadBalancer');
    expect(await s.rollback()).toBe('rolled-back');
    expect((await sandbox.ports.scaling.describeGroups())[0]?.suspended).toEqual([]);
  });
});

describe('a listener with a rule forwarding /api/* (listener-rules fault)', () => {
  it('the listener redirect covers it: /api/ answers the redirect during maintenance, the origin again after rollback', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['listener-rules'] });
    const runbook: Runbook = {
      ...sandbox.runbook,
      steps: [{ type: 'set-listener-redirect' }, { type: 'verify-maintenance' }],
    };
    const s = await session(sandbox, runbook);
    const site = new URL(sandbox.runbook.site.url);
    expect((await get(new URL('/api/orders', site).href)).status).toBe(200);
    expect(await s.failover()).toBe('failed-over');
    const during = await get(new URL('/api/orders', site).href);
    expect(during.status).toBe(302);
    expect(during.location).toContain(new URL(sandbox.runbook.maintenance.url).host);
    expect(await s.rollback()).toBe('rolled-back');
    expect((await get(new URL('/api/orders', site).href)).status).toBe(200);
    expect(await sandbox.ports.lb.describeRules(sandbox.runbook.loadBalancer.listener!)).toHaveLength(1);
  });

  it('with rules: leave, plan says /api/* stays on the origin, and it does', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['listener-rules'] });
    const runbook: Runbook = { ...sandbox.runbook, steps: [{ type: 'set-listener-redirect', rules: 'leave' }] };
    const s = await session(sandbox, runbook);
    expect(s.plan.hazards.find((h) => h.code === 'rules-left-forwarding')?.message).toContain('/api/*');
    expect(await s.failover()).toBe('failed-over');
    expect((await get(new URL('/api/orders', sandbox.runbook.site.url).href)).status).toBe(200);
    expect((await get(sandbox.runbook.site.url)).status).toBe(302);
  });
});
