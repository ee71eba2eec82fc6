import { afterEach, describe, expect, it } from 'vitest';
import { monitorPorts } from '../helpers/monitor-ports.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { startMonitor, type Monitor } from '../../src/engine/monitor.js';
import { ReadBudget } from '../../src/engine/read-budget.js';
import { createSharedReads } from '../../src/engine/shared-reads.js';
import type { InstanceInfo, Ports, ProbeRequest, TargetHealth } from '../../src/ports/index.js';
import type { Runbook } from '../../src/runbook/schema.js';
import { FakeClock } from '../helpers/fake-ports.js';
import { ENV, RUNBOOK_DOC } from '../ui/fixtures.js';

const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/1/2';
const runbook: Runbook = { ...RUNBOOK_DOC, loadBalancer: { targetGroup: 'web-tg', listener: LISTENER } };
const UNLIMITED = {
  elbv2: { perSecond: 1e6, burst: 1e6 },
  ec2: { perSecond: 1e6, burst: 1e6 },
  route53: { perSecond: 1e6, burst: 1e6 },
  autoscaling: { perSecond: 1e6, burst: 1e6 },
};

interface Account {
  readonly ports: Ports;
  readonly clock: FakeClock;
  /** Every request, by operation. */
  readonly calls: string[];
}

/** A target group of `n` instance targets; the clock only moves when a test moves it. */
function account(n: number): Account {
  const clock = new FakeClock();
  const calls: string[] = [];
  const ids = Array.from({ length: n }, (_, i) => `i-${String(i).padStart(17, '0')}`);
  const health: TargetHealth[] = ids.map((id) => ({ id, port: 80, state: 'healthy' }));
  const ports = monitorPorts({
    describeTargetHealth: async () => (calls.push('DescribeTargetHealth'), health),
    describeListener: async (arn) => (
      calls.push('DescribeListeners'),
      { arn, loadBalancerArn: 'lb', port: 80, protocol: 'HTTP', defaultActions: [{ Type: 'forward' }] }
    ),
    describeInstances: async (q) => {
      calls.push('DescribeInstances');
      return (q.ids ?? []).map((id): InstanceInfo => ({ id, state: 'running', tags: { Name: `web ${id}` } }));
    },
    check: async (r: ProbeRequest) => ({ url: r.url, at: clock.now(), status: 200, latencyMs: 1 }),
    clock,
  });
  return { ports, clock, calls };
}

let monitor: Monitor | undefined;
afterEach(() => monitor?.stop());

/** Lets the promise callbacks of a delivered answer run. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 10));

describe('the monitor on shared reads', () => {
  it('shows the target health a step read, and sends none of its own for it', async () => {
    const a = account(3);
    const shared = createSharedReads(a.ports, { budget: new ReadBudget(a.clock, UNLIMITED) });
    const events: EngineEvent[] = [];
    monitor = startMonitor({
      ports: a.ports,
      shared,
      runbook,
      env: ENV,
      emit: (e) => events.push(e),
      intervalMs: 60_000,
    });
    await monitor.refresh();
    expect(a.calls.filter((c) => c === 'DescribeTargetHealth')).toHaveLength(1);
    const shown = events.filter((e) => e.type === 'targets').length;

    // A step polls, some seconds later: its answer is on the screen at once.
    a.clock.t += 5000;
    await shared.ports.lb.describeTargetHealth(ENV.targetGroup.arn);
    await settle();
    expect(events.filter((e) => e.type === 'targets')).toHaveLength(shown + 1);
    // The dashboard's next refresh uses that answer instead of sending another.
    await monitor.refresh();
    expect(a.calls.filter((c) => c === 'DescribeTargetHealth')).toHaveLength(2);
  });

  it('sends the same requests per refresh for 10, 100 and 1000 targets', async () => {
    const perRefresh: Record<number, string[]> = {};
    for (const n of [10, 100, 1000]) {
      const a = account(n);
      const shared = createSharedReads(a.ports, { budget: new ReadBudget(a.clock, UNLIMITED) });
      let lastTargets = 0;
      monitor = startMonitor({
        ports: a.ports,
        shared,
        runbook,
        env: ENV,
        emit: (e) => void (e.type === 'targets' && (lastTargets = e.targets.length)),
        // Answers younger than half the interval (10 s) are reused; each refresh below is 19 s on.
        intervalMs: 20_000,
      });
      await monitor.refresh();
      const before = a.calls.length;
      for (let i = 0; i < 3; i++) {
        a.clock.t += 19_000;
        await monitor.refresh();
      }
      perRefresh[n] = a.calls.slice(before).sort();
      expect(lastTargets).toBe(n);
      monitor.stop();
    }
    expect(perRefresh[10]).toEqual([
      'DescribeListeners',
      'DescribeListeners',
      'DescribeListeners',
      'DescribeTargetHealth',
      'DescribeTargetHealth',
      'DescribeTargetHealth',
    ]);
    expect(perRefresh[100]).toEqual(perRefresh[10]);
    expect(perRefresh[1000]).toEqual(perRefresh[10]);
  });

  it('reads the instances again once their answer is a minute old, in one request', async () => {
    const a = account(1000);
    const shared = createSharedReads(a.ports, { budget: new ReadBudget(a.clock, UNLIMITED) });
    monitor = startMonitor({ ports: a.ports, shared, runbook, env: ENV, emit: () => undefined, intervalMs: 60_000 });
    await monitor.refresh();
    a.clock.t += 60_001;
    await monitor.refresh();
    expect(a.calls.filter((c) => c === 'DescribeInstances')).toHaveLength(2);
  });
});
