import { afterEach, describe, expect, it } from 'vitest';
import { redirectConfigFor } from '../../src/redirect/config.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { launchRunning, sandboxFor, stopAll, targetGroupArn, waitFor } from './helpers.js';

const started: Sandbox[] = [];
afterEach(() => stopAll(started));

/**
 * What the simulated account does when the redirect instance does not suit it, as AWS would: no
 * preflight here, the calls go straight to the ports.
 */
describe("the account's shape decides whether a redirect instance becomes healthy", () => {
  async function registeredHealth(sandbox: Sandbox, redirect: Parameters<typeof launchRunning>[1]): Promise<string> {
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    const id = await launchRunning(sandbox, redirect);
    await sandbox.ports.lb.registerTargets(arn, [{ id }]);
    const health = await waitFor(
      () => sandbox.ports.lb.describeTargetHealth(arn),
      (all) => ['healthy', 'unhealthy'].includes(all.find((t) => t.id === id)?.state ?? ''),
    );
    const target = health.find((t) => t.id === id)!;
    return `${target.state}${target.reason === undefined ? '' : ` (${target.reason})`}`;
  }

  async function configFor(sandbox: Sandbox, server: 'builtin' | 'nginx') {
    const tg = await sandbox.ports.lb.describeTargetGroup(await targetGroupArn(sandbox.ports, sandbox.runbook));
    return redirectConfigFor(tg, { server, targetUrl: sandbox.runbook.maintenance.url, statusCode: 302 });
  }

  it('nginx in a subnet with no way out: the instance runs, its server never answers', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['no-route-out'] });
    expect(await registeredHealth(sandbox, { redirect: await configFor(sandbox, 'nginx') })).toBe(
      'unhealthy (Target.FailedHealthChecks)',
    );
  });

  it('the builtin server in the same subnet becomes healthy', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['no-route-out'] });
    expect(await registeredHealth(sandbox, { redirect: await configFor(sandbox, 'builtin') })).toBe('healthy');
  });

  it('an HTTPS target group: a server speaking plain HTTP fails the checks; one with TLS passes', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['https-target-group'] });
    const config = await configFor(sandbox, 'builtin');
    expect(config.traffic).toEqual({ port: 443, protocol: 'HTTPS' });
    const plain = {
      ...config,
      traffic: { port: 443, protocol: 'HTTP' as const },
      healthCheck: { ...config.healthCheck, protocol: 'HTTP' as const },
    };
    expect(await registeredHealth(sandbox, { redirect: plain })).toBe('unhealthy (Target.FailedHealthChecks)');
    expect(await registeredHealth(sandbox, { redirect: config })).toBe('healthy');
  });

  it('a matcher of 301,302: answering the checker 200 fails; the status the matcher accepts passes', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['matcher-3xx'] });
    const config = await configFor(sandbox, 'builtin');
    expect(config.healthCheck).toMatchObject({ path: '/health', status: 302 });
    expect(
      await registeredHealth(sandbox, { redirect: { ...config, healthCheck: { ...config.healthCheck, status: 200 } } }),
    ).toBe('unhealthy (Target.ResponseCodeMismatch)');
    expect(await registeredHealth(sandbox, { redirect: config })).toBe('healthy');
  });

  it('a separate health-check port: a server only on the traffic port fails; one on both passes', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['health-check-port'] });
    const config = await configFor(sandbox, 'builtin');
    expect(config.healthCheck).toMatchObject({ port: 8081, path: '/health' });
    const trafficOnly = { ...config, healthCheck: { ...config.healthCheck, port: 80 } };
    expect(await registeredHealth(sandbox, { redirect: trafficOnly })).toBe('unhealthy (Target.FailedHealthChecks)');
    expect(await registeredHealth(sandbox, { redirect: config })).toBe('healthy');
  });

  it("describes the runbook's image by the shape's OS, and Amazon Linux by SSM", async () => {
    const windows = await sandboxFor(started, 'sandbox', { faults: ['windows-image'] });
    expect(await windows.ports.compute.describeImage('ami-00000000000000000')).toMatchObject({ platform: 'windows' });
    const ubuntu = await sandboxFor(started, 'sandbox', { faults: ['ubuntu-image'] });
    expect((await ubuntu.ports.compute.describeImage('ami-00000000000000000')).name).toMatch(/^ubuntu\//);
    const latest = await ubuntu.ports.compute.describeImage(
      'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
    );
    expect(latest).toMatchObject({
      architecture: 'arm64',
      platform: 'linux',
      resolvedFrom: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
    });
    expect(await ubuntu.ports.compute.describeImage(latest.id)).toMatchObject({ id: latest.id, architecture: 'arm64' });
  });
});
