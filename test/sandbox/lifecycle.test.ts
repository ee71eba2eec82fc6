import { afterEach, describe, expect, it } from 'vitest';
import { HotspareError } from '../../src/domain/errors.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { get, launchRunning, launchSpecFor, sandboxFor, stopAll, targetGroupArn, waitFor, webIds } from './helpers.js';

const started: Sandbox[] = [];
afterEach(() => stopAll(started));

describe('instances', () => {
  it('go pending -> running, and the redirect server answers once running', async () => {
    const sandbox = await sandboxFor(started);
    const { instance } = await sandbox.ports.compute.runInstance(launchSpecFor(sandbox));
    expect(instance.state).toBe('pending');
    expect(instance.tags['hotspare:run']).toBe('r1');
    const running = await waitFor(
      () => sandbox.ports.compute.describeInstances({ ids: [instance.id] }),
      (found) => found[0]?.state === 'running',
    );
    expect(running[0]).toMatchObject({ id: instance.id, instanceType: 't3.micro', availabilityZone: 'us-east-1a' });
    expect(Date.now() - Date.parse(instance.launchTime!)).toBeGreaterThanOrEqual(200);
  });

  it('honour the ClientToken: the same token returns the same instance', async () => {
    const sandbox = await sandboxFor(started);
    const spec = launchSpecFor(sandbox, { clientToken: 'same' });
    const first = await sandbox.ports.compute.runInstance(spec);
    const second = await sandbox.ports.compute.runInstance(spec);
    expect(second.instance.id).toBe(first.instance.id);
    const tagged = await sandbox.ports.compute.describeInstances({ tags: { 'hotspare:run': 'r1' } });
    expect(tagged.map((i) => i.id)).toEqual([first.instance.id]);
  });

  it('go shutting-down -> terminated; live-only queries leave them out', async () => {
    const sandbox = await sandboxFor(started);
    const id = await launchRunning(sandbox);
    await sandbox.ports.compute.terminateInstances([id]);
    const all = await sandbox.ports.compute.describeInstances({ ids: [id], liveOnly: false });
    expect(all[0]?.state).toBe('shutting-down');
    expect(await sandbox.ports.compute.describeInstances({ ids: [id] })).toEqual([]);
    await waitFor(
      () => sandbox.ports.compute.describeInstances({ ids: [id], liveOnly: false }),
      (f) => f[0]?.state === 'terminated',
    );
  });

  it('reject launches naming resources the runbook does not', async () => {
    const sandbox = await sandboxFor(started);
    const bad = launchSpecFor(sandbox, { imageId: 'ami-0fffffffffffffff0' });
    await expect(sandbox.ports.compute.runInstance(bad)).rejects.toMatchObject({ code: 'AMINotFound' });
    await expect(sandbox.ports.compute.checkLaunch(bad)).rejects.toMatchObject({ code: 'AMINotFound' });
    const badSg = launchSpecFor(sandbox, { securityGroupIds: ['sg-0fffffffffffffff0'] });
    await expect(sandbox.ports.compute.checkLaunch(badSg)).rejects.toMatchObject({ code: 'SecurityGroupNotFound' });
    await expect(sandbox.ports.compute.checkLaunch(launchSpecFor(sandbox))).resolves.toBeUndefined();
    await expect(sandbox.ports.compute.describeInstances({ ids: ['i-0fffffffffffffff0'] })).rejects.toMatchObject({
      code: 'InstanceNotFound',
    });
  });
});

describe('target health', () => {
  it('a registered running instance goes initial -> healthy through real health checks', async () => {
    const sandbox = await sandboxFor(started);
    const { lb } = sandbox.ports;
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    const id = await launchRunning(sandbox);
    await lb.registerTargets(arn, [{ id }]);
    const first = (await lb.describeTargetHealth(arn)).find((t) => t.id === id);
    expect(first).toMatchObject({ state: 'initial', reason: 'Elb.RegistrationInProgress', port: 80 });
    const healthy = await waitFor(
      () => lb.describeTargetHealth(arn),
      (all) => all.find((t) => t.id === id)?.state === 'healthy',
    );
    expect(healthy.find((t) => t.id === id)?.reason).toBeUndefined();
  });

  it('a target whose health path fails turns unhealthy with the ALB reason code', async () => {
    const sandbox = await sandboxFor(started);
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    const redirect = launchSpecFor(sandbox).redirect;
    const id = await launchRunning(sandbox, {
      redirect: { ...redirect, healthCheck: { ...redirect.healthCheck, path: '/elsewhere' } },
    });
    await sandbox.ports.lb.registerTargets(arn, [{ id }]);
    const health = await waitFor(
      () => sandbox.ports.lb.describeTargetHealth(arn),
      (all) => all.find((t) => t.id === id)?.state === 'unhealthy',
    );
    expect(health.find((t) => t.id === id)).toMatchObject({
      reason: 'Target.ResponseCodeMismatch',
      description: expect.stringContaining('302'),
    });
  });

  it('a web server that dies is marked unhealthy (Target.FailedHealthChecks) and recovers', async () => {
    const sandbox = await sandboxFor(started);
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    const [web] = await webIds(sandbox);
    sandbox.origins.setMode(web!, 'dead');
    const stateOf = async (): Promise<string | undefined> =>
      (await sandbox.ports.lb.describeTargetHealth(arn)).find((t) => t.id === web)?.reason;
    await waitFor(stateOf, (reason) => reason === 'Target.FailedHealthChecks');
    sandbox.origins.setMode(web!, 'ok');
    await waitFor(
      () => sandbox.ports.lb.describeTargetHealth(arn),
      (all) => all.find((t) => t.id === web)?.state === 'healthy',
    );
  });

  it('a deregistered target drains for the deregistration delay, then is gone', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { speed: 200 });
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    const [web] = await webIds(sandbox);
    await sandbox.ports.lb.deregisterTargets(arn, [{ id: web! }]);
    const draining = (await sandbox.ports.lb.describeTargetHealth(arn)).find((t) => t.id === web);
    expect(draining).toMatchObject({ state: 'draining', reason: 'Target.DeregistrationInProgress' });
    const tg = await sandbox.ports.lb.describeTargetGroup(arn);
    const delayMs = (tg.deregistrationDelaySeconds * 1000) / 200;
    const before = Date.now();
    await waitFor(
      () => sandbox.ports.lb.describeTargetHealth(arn),
      (all) => !all.some((t) => t.id === web),
      5000,
    );
    expect(Date.now() - before).toBeGreaterThan(delayMs * 0.8);
  });

  it('registering a pending or unknown instance throws InvalidTarget', async () => {
    const sandbox = await sandboxFor(started);
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    const { instance } = await sandbox.ports.compute.runInstance(launchSpecFor(sandbox));
    const register = (id: string): Promise<unknown> => sandbox.ports.lb.registerTargets(arn, [{ id }]);
    await expect(register(instance.id)).rejects.toMatchObject({ code: 'InvalidTarget' });
    await expect(register('i-0fffffffffffffff0')).rejects.toBeInstanceOf(HotspareError);
  });

  it('a terminated instance is deregistered by the load balancer', async () => {
    const sandbox = await sandboxFor(started);
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    const id = await launchRunning(sandbox);
    await sandbox.ports.lb.registerTargets(arn, [{ id }]);
    await sandbox.ports.compute.terminateInstances([id]);
    expect((await sandbox.ports.lb.describeTargetHealth(arn)).find((t) => t.id === id)?.state).toBe('draining');
  });
});

describe('redirect servers', () => {
  it('answer the health path with 200 and everything else with the configured redirect', async () => {
    const sandbox = await sandboxFor(started);
    const id = await launchRunning(sandbox);
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    await sandbox.ports.lb.registerTargets(arn, [{ id }]);
    for (const web of await webIds(sandbox)) await sandbox.ports.lb.deregisterTargets(arn, [{ id: web }]);
    await waitFor(
      () => sandbox.ports.lb.describeTargetHealth(arn),
      (all) => all.find((t) => t.id === id)?.state === 'healthy',
    );
    const answer = await get(`${sandbox.runbook.site.url}some/page`);
    expect(answer).toMatchObject({ status: 302, location: sandbox.runbook.maintenance.url });
    const maintenance = await get(answer.location!);
    expect(maintenance.status).toBe(200);
    expect(maintenance.body).toContain("We'll be right back");
  });
});
