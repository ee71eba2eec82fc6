import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { get, launchRunning, launchSpecFor, shipped, targetGroupArn, waitFor } from './helpers.js';
import { pause, waitUntil } from '../helpers/wait.js';

/** Handles of the kinds the sandbox creates, by kind. */
function handles(): Record<string, number> {
  const counts: Record<string, number> = { TCPServerWrap: 0, TCPSocketWrap: 0, Timeout: 0 };
  for (const kind of process.getActiveResourcesInfo()) if (kind in counts) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe('stop()', () => {
  it('closes every server, socket and timer the sandbox created', async () => {
    const before = handles();
    const sandbox = await startSandbox(await shipped('sandbox'), { speed: 100, trafficRate: 50 });
    const redirectId = await launchRunning(sandbox);
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    await sandbox.ports.lb.registerTargets(arn, [{ id: redirectId }]);
    await sandbox.ports.compute.runInstance(launchSpecFor(sandbox, { clientToken: 'still-pending' }));
    sandbox.traffic.start();
    await waitFor(
      () => sandbox.traffic.totals().total,
      (n) => n >= 20,
    );
    const during = handles();
    expect(during.TCPServerWrap).toBeGreaterThanOrEqual(before.TCPServerWrap! + 6);

    await sandbox.stop();
    await sandbox.stop();
    // Closed sockets leave the list of active handles on a later tick.
    const after = await waitUntil(
      handles,
      (h) => h.TCPServerWrap === before.TCPServerWrap && h.TCPSocketWrap! <= before.TCPSocketWrap!,
      { what: 'the handles closed', timeoutMs: 2000 },
    );
    expect(after.TCPServerWrap).toBe(before.TCPServerWrap);
    expect(after.TCPSocketWrap).toBeLessThanOrEqual(before.TCPSocketWrap!);
    expect(after.Timeout).toBeLessThanOrEqual(before.Timeout!);
    await expect(get(sandbox.runbook.site.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(get(sandbox.runbook.maintenance.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(sandbox.traffic.running).toBe(false);
  });

  it('leaves a stopped sandbox quiet: a pending instance never boots afterwards', async () => {
    const sandbox = await startSandbox(await shipped('sandbox'), { speed: 100 });
    const { instance } = await sandbox.ports.compute.runInstance(launchSpecFor(sandbox));
    await sandbox.stop();
    await pause(50);
    const before = handles();
    await pause(400);
    expect((await sandbox.ports.compute.describeInstances({ ids: [instance.id] }))[0]?.state).toBe('pending');
    expect(handles().TCPServerWrap).toBe(before.TCPServerWrap);
  });
});
