import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/build.js';
import { compareStrategies } from '../../src/plan/strategies.js';
import type { StrategySummary } from '../../src/plan/types.js';
import { discoveredEnv, good, shipped, withSteps } from './env.js';

function byName(list: readonly StrategySummary[]): Record<StrategySummary['strategy'], StrategySummary> {
  return Object.fromEntries(list.map((s) => [s.strategy, s])) as Record<StrategySummary['strategy'], StrategySummary>;
}

function used(list: readonly StrategySummary[]): string[] {
  return list.filter((s) => s.used).map((s) => s.strategy);
}

describe('compareStrategies', () => {
  it('always compares all four strategies', async () => {
    const list = compareStrategies(await shipped('emergency-mode'), discoveredEnv());
    expect(list.map((s) => s.strategy)).toEqual([
      'redirect-instance',
      'listener-redirect',
      'listener-fixed-response',
      'dns-failover',
    ]);
  });

  it('marks the strategies the runbook uses', async () => {
    expect(used(compareStrategies(await shipped('classic-order'), discoveredEnv()))).toEqual(['redirect-instance']);
    expect(used(compareStrategies(await shipped('emergency-mode'), discoveredEnv()))).toEqual(['redirect-instance']);
    expect(used(compareStrategies(await good('listener-redirect'), discoveredEnv()))).toEqual([
      'listener-redirect',
      'listener-fixed-response',
    ]);
    expect(used(compareStrategies(await good('dns'), discoveredEnv()))).toEqual(['dns-failover']);
  });

  it('a runbook of manual steps uses none', async () => {
    const runbook = withSteps(await shipped('classic-order'), [{ type: 'manual', text: 'Call the on-call engineer' }]);
    expect(used(compareStrategies(runbook, discoveredEnv()))).toEqual([]);
  });

  it('times the redirect instance from boot and the health-check interval', async () => {
    const classic = await shipped('classic-order');
    const fast = byName(compareStrategies(classic, discoveredEnv({ intervalSeconds: 5 })));
    const slow = byName(compareStrategies(classic, discoveredEnv({ intervalSeconds: 30 })));
    expect(slow['redirect-instance'].timeToMitigationSeconds - fast['redirect-instance'].timeToMitigationSeconds).toBe(
      25,
    );
    const slowBoot = withSteps(classic, classic.steps, {
      redirectServer: { ...classic.redirectServer!, bootSeconds: 100 },
    });
    expect(
      byName(compareStrategies(slowBoot, discoveredEnv({ intervalSeconds: 5 })))['redirect-instance']
        .timeToMitigationSeconds,
    ).toBe(fast['redirect-instance'].timeToMitigationSeconds + 60);
    expect(fast['redirect-instance'].cost).toContain('t3.micro');
  });

  it('a listener change is quicker than any instance, and only DNS works without the load balancer', async () => {
    const s = byName(compareStrategies(await good('dns'), discoveredEnv({ intervalSeconds: 5 })));
    expect(s['listener-redirect'].timeToMitigationSeconds).toBeLessThan(s['redirect-instance'].timeToMitigationSeconds);
    expect(s['listener-fixed-response'].timeToMitigationSeconds).toBeLessThan(
      s['redirect-instance'].timeToMitigationSeconds,
    );
    expect(
      Object.values(s)
        .filter((x) => !x.dependsOnLoadBalancer)
        .map((x) => x.strategy),
    ).toEqual(['dns-failover']);
  });

  it('DNS takes longer with a longer TTL and names it in the rollback', async () => {
    const base = await good('dns');
    const short = byName(compareStrategies(base, discoveredEnv()))['dns-failover'];
    const long = byName(
      compareStrategies(withSteps(base, base.steps, { dns: { ...base.dns!, ttl: 3600 } }), discoveredEnv()),
    )['dns-failover'];
    expect(long.timeToMitigationSeconds - short.timeToMitigationSeconds).toBe(3600 - 60);
    expect(short.rollback).toContain('(60 s)');
  });

  it('is part of the plan', async () => {
    const runbook = await good('listener-redirect');
    expect(buildPlan(runbook, discoveredEnv()).strategies).toEqual(compareStrategies(runbook, discoveredEnv()));
  });
});
