import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../helpers/cli.js';
import {
  CI_FAILOVER_RECORDS,
  CI_ROLLBACK_RECORDS,
  crashPoints,
  FULL,
  latestRecords,
  motoCiPoints,
  report,
  splitRun,
  violations,
  logFailure,
} from './helpers/matrix.js';
import { cliDriver, newSite, startMotoWorld, type MotoSite, type MotoWorld } from './helpers/moto-world.js';
import {
  failoverCrashTrial,
  RECOVERIES,
  rollbackCrashTrial,
  type CrashPoint,
  type Driver,
  type TrialResult,
} from './helpers/trials.js';

/**
 * The crash matrix on moto with real processes: the built CLI is SIGKILLed by its test hooks
 * (`HOTSPARE_TEST_KILL_AFTER_RECORD` / `_SEND`) at each point, then recovered by further CLI
 * processes; the lock the killed process left is stale (dead pid) and taken over. Invariants are
 * read with the SDK from moto after every step of every trial (see `helpers/trials.ts`).
 */
describe('moto crash matrix (real processes, SIGKILL)', () => {
  let world: MotoWorld;
  let site: MotoSite;
  let failoverPoints: CrashPoint[];
  let rollbackPoints: CrashPoint[];
  const results: TrialResult[] = [];

  beforeAll(async () => {
    requireBuiltCli();
    world = await startMotoWorld();
    site = await newSite(world);
    const baseline = cliDriver(world, site);
    for (const command of ['failover', 'rollback'] as const) {
      const r = await baseline.run(command);
      if (!r.ok) throw new Error(`the baseline ${command} failed: ${r.detail}`);
    }
    const run = splitRun(latestRecords(baseline.journalDir));
    failoverPoints = motoCiPoints(crashPoints(run.failover), CI_FAILOVER_RECORDS);
    rollbackPoints = motoCiPoints(crashPoints(run.rollback), CI_ROLLBACK_RECORDS);
  });

  afterAll(async () => {
    report(`moto crash matrix${FULL ? ' (full)' : ''}`, results);
    await world?.stop();
  });

  /** One trial on the shared site; after one that did not hold, the next starts on a fresh site. */
  async function trial(run: (d: Driver) => Promise<TrialResult>): Promise<TrialResult> {
    const result = await run(cliDriver(world, site));
    results.push(result);
    logFailure(result);
    if (result.violations.length > 0) site = await newSite(world);
    return result;
  }

  it('failover killed at each point, recovered by resume then rollback, and by rollback alone', async () => {
    const mine: TrialResult[] = [];
    for (const [i, point] of failoverPoints.entries()) {
      // CI alternates the two recoveries over the points; the full matrix runs both at every point.
      const recoveries = FULL ? RECOVERIES : [RECOVERIES[i % 2]!];
      for (const recovery of recoveries) mine.push(await trial((d) => failoverCrashTrial(d, point, recovery)));
    }
    expect(mine.length).toBeGreaterThan(0);
    expect(violations(mine)).toEqual([]);
  });

  it('rollback killed at each point, then rolled back again', async () => {
    const mine: TrialResult[] = [];
    for (const point of rollbackPoints) mine.push(await trial((d) => rollbackCrashTrial(d, point)));
    expect(mine.length).toBeGreaterThan(0);
    expect(violations(mine)).toEqual([]);
  });
});
