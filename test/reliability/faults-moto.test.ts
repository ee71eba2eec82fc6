import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../helpers/cli.js';
import { startFaultProxy, type FaultKind, type FaultProxy } from './helpers/fault-proxy.js';
import { FAULT_VARIANTS, faultsFor } from './helpers/fault-matrix.js';
import { FULL, report, violations, logFailure } from './helpers/matrix.js';
import { cliDriver, newSite, startMotoWorld, type MotoSite, type MotoWorld } from './helpers/moto-world.js';
import { faultTrial, type FaultSwitch, type TrialResult } from './helpers/trials.js';

/**
 * Faults on the wire: the built CLI talks to moto through a proxy (`--endpoint-url` points at it)
 * that injects one fault into a chosen operation while failover or rollback runs. Each trial
 * checks the same invariants as the crash matrix; the faulted command itself must end with a clear
 * message, never an internal error.
 */
let world: MotoWorld;
let proxy: FaultProxy;
const results: (TrialResult & { injected: number })[] = [];

beforeAll(async () => {
  requireBuiltCli();
  world = await startMotoWorld();
  proxy = await startFaultProxy(world.moto.endpoint);
});

afterAll(async () => {
  report(`moto fault proxy${FULL ? ' (full)' : ''}`, results, {
    faultsInjected: results.reduce((n, r) => n + r.injected, 0),
  });
  await proxy?.close();
  await world?.stop();
});

const faults = (): FaultSwitch => ({
  arm: (fault) => proxy.inject({ operation: fault.operation, kind: fault.kind as FaultKind, times: fault.times }),
  disarm: () => proxy.clear(),
  injectedCount: () => proxy.injected.length,
});

describe.each(Object.keys(FAULT_VARIANTS))('faults injected by a proxy in front of moto: %s runbook', (variant) => {
  it(`failover and rollback through the proxy, one fault per trial`, async () => {
    const steps = FAULT_VARIANTS[variant]?.steps;
    let site: MotoSite = await newSite(world, steps);
    const mine: (TrialResult & { injected: number })[] = [];
    for (const planned of faultsFor(variant)) {
      const result = await faultTrial(
        cliDriver(world, site, { endpoint: proxy.endpoint }),
        faults(),
        planned.fault,
        planned.recovery,
      );
      mine.push(result);
      logFailure(result);
      // A trial that did not hold may leave the site changed: the next one starts on a fresh one.
      if (result.violations.length > 0) site = await newSite(world, steps);
    }
    results.push(...mine);
    expect(mine.length).toBeGreaterThan(0);
    expect(violations(mine)).toEqual([]);
  });
});
