import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../../helpers/cli.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { FAULT_VARIANTS } from './fault-matrix.js';
import { figures, logFailure, violations } from './matrix.js';
import { cliDriver, newSite, startMotoWorld, type MotoSite, type MotoWorld } from './moto-world.js';
import { FAILED_OVER, readsIn, throttleTrial, type ThrottledCommand } from './throttle-trials.js';
import type { TrialResult } from './trials.js';

/**
 * Throttling of every read the engine sends, during failover, resume and rollback (an outage is
 * when every tool in the account polls Describe*): the built CLI talks to moto through the fault
 * proxy, which answers `Throttling` / `RequestLimitExceeded` to one operation several times in a
 * row (past the SDK's own 4 attempts, into hotspare's read budget). The reads are those each
 * command really sends, seen by the proxy in a run without faults. After every command: it exited 0
 * and AWS shows what it promised (failed over, or the original state), and the journal agrees.
 */
const TIMES = 5;
const COMMANDS: readonly ThrottledCommand[] = ['failover', 'resume', 'rollback'];

/** The reads each command sends, seen by the proxy in runs without faults (which leave the site as it was). */
async function readsOf(
  world: MotoWorld,
  proxy: FaultProxy,
  site: MotoSite,
): Promise<Record<ThrottledCommand, string[]>> {
  const d = cliDriver(world, site, { endpoint: proxy.endpoint });
  const during = async (run: () => Promise<unknown>): Promise<string[]> => {
    const from = proxy.seen.length;
    await run();
    return readsIn(proxy.seen.slice(from));
  };
  const failover = await during(() => d.run('failover'));
  const rollback = await during(() => d.run('rollback'));
  await d.run('failover', { after: 'send', n: 1 });
  const resume = await during(() => d.run('resume'));
  await d.run('rollback');
  return { failover, resume, rollback };
}

/** The matrix for one runbook (one test file each, so the three run side by side). */
export function throttlingMatrix(variant: string): void {
  let world: MotoWorld;
  let proxy: FaultProxy;
  const results: (TrialResult & { injected: number })[] = [];

  beforeAll(async () => {
    requireBuiltCli();
    world = await startMotoWorld();
    proxy = await startFaultProxy(world.moto.endpoint);
  });

  afterAll(async () => {
    const held = results.filter((r) => r.violations.length === 0).length;
    figures({
      matrix: `throttling, ${variant}: every read`,
      trials: results.length,
      held,
      failed: results.length - held,
      throttled: results.reduce((n, r) => n + r.injected, 0),
    });
    await proxy?.close();
    await world?.stop();
  });

  describe(`throttling every read of the ${variant} runbook`, () => {
    it('failover, resume and rollback each finish under throttling, and AWS shows it', async () => {
      const steps = FAULT_VARIANTS[variant]?.steps;
      let site = await newSite(world, steps);
      const reads = await readsOf(world, proxy, site);
      const mine: (TrialResult & { injected: number })[] = [];
      for (const command of COMMANDS) {
        expect(reads[command].length, `${command} sends no read`).toBeGreaterThan(0);
        for (const operation of reads[command]) {
          const result = await throttleTrial(
            cliDriver(world, site, { endpoint: proxy.endpoint }),
            proxy,
            command,
            operation,
            TIMES,
            FAILED_OVER[variant]!,
          );
          mine.push(result);
          logFailure(result);
          if (result.violations.length > 0) site = await newSite(world, steps);
        }
      }
      results.push(...mine);
      figures({
        matrix: `throttling, ${variant}: the reads of each command`,
        reads: reads as unknown as Record<string, string[]>,
      });
      expect(violations(mine)).toEqual([]);
    });
  });
}
