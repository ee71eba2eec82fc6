import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../helpers/cli.js';
import { describeRun, type CliRun } from '../reliability/helpers/cli.js';
import { startFaultProxy, type FaultProxy } from '../reliability/helpers/fault-proxy.js';
import { differencesFromOriginal, failedOverProblems, journalsIn } from '../reliability/helpers/invariants.js';
import { newSite, siteCli, startMotoWorld, type MotoSite, type MotoWorld } from '../reliability/helpers/moto-world.js';

/**
 * Throttled reads during a run, through a fault proxy in front of moto, with the built CLI as an
 * operator runs it. The SDK tries a read 4 times; a fault on 4 or more requests in a row reaches
 * hotspare's own pause (the read budget). Whatever happens, the exit code tells the truth: 0 only
 * when the command finished and AWS shows it, and a run that did not finish says so.
 */
let world: MotoWorld;
let proxy: FaultProxy;

beforeAll(async () => {
  requireBuiltCli();
  world = await startMotoWorld();
  proxy = await startFaultProxy(world.moto.endpoint);
});

afterAll(async () => {
  await proxy?.close();
  await world?.stop();
});

function cli(site: MotoSite, command: string, journalDir: string, env: Record<string, string> = {}): Promise<CliRun> {
  return siteCli(world, site, command, { journalDir, endpoint: proxy.endpoint, env });
}

/** Throttle `operation` for the next `times` requests, run `command`, and stop throttling. */
async function throttled(operation: string, times: number, run: () => Promise<CliRun>): Promise<CliRun> {
  proxy.clear();
  proxy.inject({ operation, kind: 'throttle', times });
  try {
    return await run();
  } finally {
    proxy.clear();
  }
}

describe('a throttled read in the middle of a run (built CLI, moto behind a throttling proxy)', () => {
  for (const operation of ['DescribeTargetHealth', 'DescribeInstances']) {
    it(`failover with ${operation} throttled: it slows down and finishes (exit 0, failed over in AWS)`, async () => {
      const site = await newSite(world);
      const journal = join(site.dir, 'journal');
      const run = await throttled(operation, 4, () => cli(site, 'failover', journal));
      expect(run.status, describeRun(run)).toBe(0);
      expect(run.stdout, describeRun(run)).toContain('Failover complete');
      expect(await failedOverProblems(site.view, site.original)).toEqual([]);
      expect(journalsIn(journal).runs.at(-1)?.phase).toBe('failed-over');
      const back = await cli(site, 'rollback', journal);
      expect(back.status, describeRun(back)).toBe(0);
    }, 90_000);

    it(`rollback with ${operation} throttled: it finishes (exit 0, the original state in AWS)`, async () => {
      const site = await newSite(world);
      const journal = join(site.dir, 'journal');
      const failover = await cli(site, 'failover', journal);
      expect(failover.status, describeRun(failover)).toBe(0);
      const run = await throttled(operation, 4, () => cli(site, 'rollback', journal));
      expect(run.status, describeRun(run)).toBe(0);
      expect(run.stdout, describeRun(run)).toContain('Rollback complete');
      expect(await differencesFromOriginal(site.view, site.original)).toEqual([]);
      expect(journalsIn(journal).runs.at(-1)?.phase).toBe('rolled-back');
    }, 90_000);

    it(`resume with ${operation} throttled: it finishes the failover (exit 0, failed over in AWS)`, async () => {
      const site = await newSite(world);
      const journal = join(site.dir, 'journal');
      // Killed right after the redirect instance's RunInstances returned: the launch is in doubt.
      const killed = await cli(site, 'failover', journal, { HOTSPARE_TEST_KILL_AFTER_SEND: 'RunInstances' });
      expect(killed.signal, describeRun(killed)).toBe('SIGKILL');
      const run = await throttled(operation, 4, () => cli(site, 'resume', journal));
      expect(run.status, describeRun(run)).toBe(0);
      expect(run.stdout, describeRun(run)).toContain('Failover complete');
      expect(await failedOverProblems(site.view, site.original)).toEqual([]);
      const back = await cli(site, 'rollback', journal);
      expect(back.status, describeRun(back)).toBe(0);
    }, 90_000);
  }
});

describe('a failed undo says what to do next (built CLI, moto behind a proxy answering 500/503 once)', () => {
  for (const [operation, kind, step] of [
    ['TerminateInstances', '503', 'launch-redirect'],
    ['DeregisterTargets', '500', 'register-redirect'],
  ] as const) {
    it(`${operation} answering ${kind} during rollback: the undo's failure is followed by the rollback command to run again`, async () => {
      const site = await newSite(world);
      const journal = join(site.dir, 'journal');
      expect((await cli(site, 'failover', journal)).status).toBe(0);
      proxy.clear();
      proxy.inject({ operation, kind, times: 1 });
      const run = await cli(site, 'rollback', journal);
      proxy.clear();
      expect(run.status, describeRun(run)).toBe(1);
      const lines = run.stdout.split('\n');
      const failed = lines.findIndex((l) => l.includes(`✗ undo ${step} failed`));
      expect(failed, describeRun(run)).toBeGreaterThanOrEqual(0);
      expect(lines[failed + 1], describeRun(run)).toMatch(/^\s+next: /);
      expect(lines[failed + 1], describeRun(run)).toContain(`hotspare rollback ${site.runbookFile}`);
      expect(lines[failed + 1], describeRun(run)).not.toContain('retry the step');
      // As it says: running the rollback again finishes it.
      const again = await cli(site, 'rollback', journal);
      expect(again.status, describeRun(again)).toBe(0);
      expect(await differencesFromOriginal(site.view, site.original)).toEqual([]);
    }, 90_000);
  }
});
