import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashPoints, latestRecords, report, splitRun, violations, logFailure } from './helpers/matrix.js';
import {
  SANDBOX_VARIANTS,
  sandboxDriver,
  startSandboxAccount,
  variantRunbook,
  type SandboxAccount,
} from './helpers/sandbox-driver.js';
import {
  failoverCrashTrial,
  RECOVERIES,
  rollbackCrashTrial,
  type CrashPoint,
  type TrialResult,
} from './helpers/trials.js';

/**
 * The crash matrix on the sandbox, in-process (the sandbox lives inside the CLI process, so a real
 * kill would take the simulated account with it): each command runs in a fresh session and "dies"
 * at the crash point (see `helpers/sandbox-crash.ts`), leaving its journal as written up to there
 * and a lock held by a dead pid; recovery runs in fresh sessions against the same account.
 */
describe.each(Object.entries(SANDBOX_VARIANTS))('sandbox crash matrix: %s', (variant, steps) => {
  let account: SandboxAccount;
  let failoverPoints: CrashPoint[];
  let rollbackPoints: CrashPoint[];
  const results: TrialResult[] = [];

  beforeAll(async () => {
    account = await startSandboxAccount(await variantRunbook(steps));
    const baseline = sandboxDriver(account);
    for (const command of ['failover', 'rollback'] as const) {
      const r = await baseline.run(command);
      if (!r.ok) throw new Error(`the baseline ${command} failed: ${r.detail}`);
    }
    const run = splitRun(latestRecords(baseline.journalDir));
    failoverPoints = crashPoints(run.failover);
    rollbackPoints = crashPoints(run.rollback);
  });

  afterAll(async () => {
    report(`sandbox ${variant}`, results);
    await account?.sandbox.stop();
  });

  /** One trial on the shared account; a trial that did not hold leaves it as it is, so the next one starts on a fresh account. */
  async function trial(run: (d: ReturnType<typeof sandboxDriver>) => Promise<TrialResult>): Promise<TrialResult> {
    const result = await run(sandboxDriver(account));
    logFailure(result);
    if (result.violations.length > 0) {
      await account.sandbox.stop();
      account = await startSandboxAccount(account.runbook);
    }
    return result;
  }

  for (const recovery of RECOVERIES) {
    it(`failover killed at every record and after every mutating call, recovered by ${recovery}`, async () => {
      const mine: TrialResult[] = [];
      for (const point of failoverPoints) mine.push(await trial((d) => failoverCrashTrial(d, point, recovery)));
      results.push(...mine);
      expect(mine.length).toBeGreaterThan(0);
      expect(violations(mine)).toEqual([]);
    });
  }

  it('rollback killed at every record and after every mutating call, then rolled back again', async () => {
    const mine: TrialResult[] = [];
    for (const point of rollbackPoints) mine.push(await trial((d) => rollbackCrashTrial(d, point)));
    results.push(...mine);
    expect(mine.length).toBeGreaterThan(0);
    expect(violations(mine)).toEqual([]);
  });
});
