import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox, TrafficSample } from '../../src/sandbox/index.js';
import { classify, createTrafficMonitor } from '../../src/sandbox/traffic.js';
import { sandboxFor, stopAll, targetGroupArn, waitFor, webIds } from './helpers.js';
import { pause } from '../helpers/wait.js';

const started: Sandbox[] = [];
afterEach(() => stopAll(started));

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('classify', () => {
  it('maps statuses to classes and a missing status to error', () => {
    expect([200, 204, 302, 404, 503, undefined, 101].map(classify)).toEqual([
      '2xx',
      '2xx',
      '3xx',
      '4xx',
      '5xx',
      'error',
      'error',
    ]);
  });
});

describe('the traffic monitor', () => {
  it('counts 2xx while the web servers serve, with per-second samples', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { trafficRate: 50 });
    const samples: TrafficSample[] = [];
    const unsubscribe = sandbox.traffic.subscribe((s) => samples.push(s));
    sandbox.traffic.start();
    expect(sandbox.traffic.running).toBe(true);
    await waitFor(
      () => samples.length,
      (n) => n >= 2,
      5000,
    );
    unsubscribe();
    await sandbox.traffic.stop();
    const totals = sandbox.traffic.totals();
    expect(totals.byClass['2xx']).toBeGreaterThanOrEqual(60);
    expect(totals.failed).toBe(0);
    expect(totals.total).toBe(totals.byClass['2xx']);
    expect(samples.map((s) => s.second)).toEqual(samples.map((_s, i) => i));
    expect(samples[1]!.counts['2xx']).toBeGreaterThanOrEqual(40);
    expect(samples[1]!.counts['2xx']).toBeLessThanOrEqual(55);
  });

  it('counts a listener redirect as 3xx (not followed) and 503s as failed', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { trafficRate: 100 });
    const listener = sandbox.runbook.loadBalancer.listener!;
    const redirect = { Type: 'redirect', RedirectConfig: { Host: 'maintenance.example.com', StatusCode: 'HTTP_302' } };
    await sandbox.ports.lb.setListenerDefaultActions(listener, [redirect]);
    sandbox.traffic.start();
    await waitFor(
      () => sandbox.traffic.totals().byClass['3xx'],
      (n) => n >= 20,
    );
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    await sandbox.ports.lb.deregisterTargets(
      arn,
      (await webIds(sandbox)).map((id) => ({ id })),
    );
    await sandbox.ports.lb.setListenerDefaultActions(listener, [{ Type: 'forward', TargetGroupArn: arn }]);
    await waitFor(
      () => sandbox.traffic.totals().byClass['5xx'],
      (n) => n >= 20,
    );
    await sandbox.traffic.stop();
    const totals = sandbox.traffic.totals();
    expect(totals.byClass['2xx']).toBe(0);
    expect(totals.failed).toBe(totals.byClass['5xx'] + totals.byClass.error);
    expect(totals.total).toBe(totals.byClass['3xx'] + totals.byClass['5xx'] + totals.byClass.error);
  });

  it('counts refused connections and unresolvable names as errors, and stops counting on stop()', async () => {
    const port = await closedPort();
    let resolvable = true;
    const traffic = createTrafficMonitor({
      rate: 100,
      target: () => (resolvable ? `http://127.0.0.1:${port}/` : undefined),
    });
    traffic.start();
    await waitFor(
      () => traffic.totals().byClass.error,
      (n) => n >= 10,
    );
    resolvable = false;
    const before = traffic.totals().byClass.error;
    await waitFor(
      () => traffic.totals().byClass.error,
      (n) => n >= before + 10,
    );
    await traffic.stop();
    expect(traffic.running).toBe(false);
    const after = traffic.totals();
    await pause(200);
    expect(traffic.totals()).toEqual(after);
    expect(after.failed).toBe(after.total);
  });

  it('sends visitors where DNS points once a change is INSYNC', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', {
      trafficRate: 100,
      runbookPatch: {
        dns: {
          hostedZoneId: 'Z0123456789ABCDEFGHIJ',
          recordName: 'www.sandbox.invalid',
          type: 'CNAME',
          failoverValue: 'maintenance.sandbox.invalid',
          ttl: 60,
        },
      },
    });
    const listener = sandbox.runbook.loadBalancer.listener!;
    await sandbox.ports.lb.setListenerDefaultActions(listener, [
      { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } },
    ]);
    sandbox.traffic.start();
    await waitFor(
      () => sandbox.traffic.totals().byClass['5xx'],
      (n) => n >= 10,
    );
    const record = { name: 'www.sandbox.invalid', type: 'CNAME', ttl: 60, values: ['maintenance.sandbox.invalid'] };
    const change = await sandbox.ports.dns.upsertRecord('Z0123456789ABCDEFGHIJ', record);
    expect(change.status).toBe('PENDING');
    await waitFor(
      () => sandbox.ports.dns.getChange(change.changeId),
      (s) => s === 'INSYNC',
    );
    const served = sandbox.traffic.totals().byClass['2xx'];
    await waitFor(
      () => sandbox.traffic.totals().byClass['2xx'],
      (n) => n >= served + 10,
    );
    expect(sandbox.resolver.resolve('www.sandbox.invalid.')?.values).toEqual(['maintenance.sandbox.invalid']);
  });
});
