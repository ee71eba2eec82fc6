import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { launchSpecFor, sandboxFor, stopAll, targetGroupArn, waitFor, webIds } from './helpers.js';

const started: Sandbox[] = [];
afterEach(() => stopAll(started));

/** The failover calls a runbook makes, in the runbook's order, with traffic running throughout. */
async function failover(sandbox: Sandbox, order: 'redirect-first' | 'web-first'): Promise<void> {
  const { lb, compute } = sandbox.ports;
  const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
  const web = (await webIds(sandbox)).map((id) => ({ id }));
  if (order === 'web-first') await lb.deregisterTargets(arn, web);
  const { instance } = await compute.runInstance(launchSpecFor(sandbox));
  await waitFor(
    () => compute.describeInstances({ ids: [instance.id] }),
    (found) => found[0]?.state === 'running',
  );
  await lb.registerTargets(arn, [{ id: instance.id }]);
  await waitFor(
    () => lb.describeTargetHealth(arn),
    (all) => all.find((t) => t.id === instance.id)?.state === 'healthy',
  );
  if (order === 'redirect-first') await lb.deregisterTargets(arn, web);
  const probe = await sandbox.ports.probe.check({ url: sandbox.runbook.site.url });
  expect(probe).toMatchObject({ status: 302, location: sandbox.runbook.maintenance.url });
}

describe('a drill with traffic', () => {
  it('emergency-mode order (redirect healthy first) fails no visitor', async () => {
    const sandbox = await sandboxFor(started, 'emergency-mode', { trafficRate: 100 });
    sandbox.traffic.start();
    await waitFor(
      () => sandbox.traffic.totals().total,
      (n) => n >= 10,
    );
    await failover(sandbox, 'redirect-first');
    await waitFor(
      () => sandbox.traffic.totals().byClass['3xx'],
      (n) => n >= 10,
    );
    await sandbox.traffic.stop();
    const totals = sandbox.traffic.totals();
    expect(totals.failed).toBe(0);
    expect(totals.byClass['2xx']).toBeGreaterThan(0);
  });

  it('classic order (web servers out first) opens a zero-healthy window: visitors get 503s', async () => {
    const sandbox = await sandboxFor(started, 'classic-order', { trafficRate: 100 });
    sandbox.traffic.start();
    await waitFor(
      () => sandbox.traffic.totals().total,
      (n) => n >= 10,
    );
    await failover(sandbox, 'web-first');
    await sandbox.traffic.stop();
    const totals = sandbox.traffic.totals();
    expect(totals.byClass['5xx']).toBeGreaterThan(10);
    expect(totals.failed).toBe(totals.byClass['5xx'] + totals.byClass.error);
  });
});
