import { afterEach, describe, expect, it } from 'vitest';
import { monitorPorts } from '../helpers/monitor-ports.js';
import { startMonitor, type Monitor } from '../../src/engine/monitor.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { systemClock } from '../../src/domain/clock.js';
import type { Ports, ProbeRequest, TargetHealth } from '../../src/ports/index.js';
import type { Runbook } from '../../src/runbook/schema.js';
import { ENV, RUNBOOK_DOC } from '../ui/fixtures.js';
import { pause, waitUntil } from '../helpers/wait.js';

const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/1/2';

interface Fake {
  readonly ports: Ports;
  readonly calls: string[];
  inFlight: number;
  maxInFlight: number;
  failHealth: boolean;
}

function fakePorts(delayMs = 0): Fake {
  const fake: Fake = {
    calls: [],
    inFlight: 0,
    maxInFlight: 0,
    failHealth: false,
    ports: undefined as unknown as Ports,
  };
  const health: TargetHealth[] = [
    { id: 'i-0aaaaaaaaaaaaaaa1', port: 80, state: 'healthy' },
    { id: '10.0.0.5', port: 80, state: 'draining' },
  ];
  const track = async <T>(name: string, value: () => T): Promise<T> => {
    fake.calls.push(name);
    fake.inFlight++;
    fake.maxInFlight = Math.max(fake.maxInFlight, fake.inFlight);
    await new Promise((r) => setTimeout(r, delayMs));
    fake.inFlight--;
    return value();
  };
  (fake as { ports: Ports }).ports = monitorPorts({
    describeTargetHealth: (arn) =>
      track(`health ${arn === ENV.targetGroup.arn}`, () => {
        if (fake.failHealth) throw new Error('Throttled');
        return health;
      }),
    describeListener: (arn) =>
      track('listener', () => ({
        arn,
        loadBalancerArn: 'lb',
        port: 80,
        protocol: 'HTTP',
        defaultActions: [{ Type: 'forward' }],
      })),
    describeInstances: (q) =>
      track(`instances ${(q.ids ?? []).join(',')}`, () => [
        { id: 'i-0aaaaaaaaaaaaaaa1', state: 'running' as const, tags: { Name: 'web-1' } },
      ]),
    check: async (r: ProbeRequest) => ({ url: `${r.url}|${r.expectText ?? ''}`, at: 1, status: 200, latencyMs: 3 }),
    clock: systemClock,
  });
  return fake;
}

let monitor: Monitor | undefined;
afterEach(() => monitor?.stop());

const runbook: Runbook = { ...RUNBOOK_DOC, loadBalancer: { targetGroup: 'web-tg', listener: LISTENER } };

describe('startMonitor', () => {
  it('emits targets (with instances of instance targets and the listener) and both probes', async () => {
    const fake = fakePorts();
    const events: EngineEvent[] = [];
    monitor = startMonitor({ ports: fake.ports, runbook, env: ENV, emit: (e) => events.push(e), intervalMs: 10_000 });
    await monitor.refresh();
    const targetsEvent = events.find((e) => e.type === 'targets');
    expect(targetsEvent).toMatchObject({
      targets: [{ id: 'i-0aaaaaaaaaaaaaaa1' }, { id: '10.0.0.5' }],
      instances: [{ tags: { Name: 'web-1' } }],
      listener: { arn: LISTENER },
    });
    expect(fake.calls).toContain('health true');
    expect(fake.calls).toContain('instances i-0aaaaaaaaaaaaaaa1');
    const probes = events.filter((e) => e.type === 'probe');
    expect(probes.map((p) => p.type === 'probe' && [p.name, p.result.url])).toEqual(
      expect.arrayContaining([
        ['site', 'https://www.example.com/|'],
        ['maintenance', 'https://maint.example.com/|Back soon'],
      ]),
    );
  });

  it('polls again on its interval but never overlaps polls', async () => {
    const fake = fakePorts(15);
    monitor = startMonitor({ ports: fake.ports, runbook: RUNBOOK_DOC, env: ENV, emit: () => undefined, intervalMs: 5 });
    void monitor.refresh();
    void monitor.refresh();
    await waitUntil(
      () => fake.calls.filter((c) => c.startsWith('health')).length,
      (n) => n > 2,
      { what: 'three health polls' },
    );
    // health, then instances: one request at a time per loop.
    expect(fake.maxInFlight).toBe(1);
    expect(fake.calls).not.toContain('listener');
  });

  it('turns errors into one warn log (not one per poll) and says when it recovers', async () => {
    const fake = fakePorts();
    fake.failHealth = true;
    const events: EngineEvent[] = [];
    monitor = startMonitor({
      ports: fake.ports,
      runbook: RUNBOOK_DOC,
      env: ENV,
      emit: (e) => events.push(e),
      intervalMs: 10_000,
    });
    await monitor.refresh();
    await monitor.refresh();
    const logs = events.filter((e) => e.type === 'log');
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: expect.stringContaining('DescribeTargetHealth failed: Throttled'),
      }),
    ]);
    expect(events.some((e) => e.type === 'targets')).toBe(false);
    fake.failHealth = false;
    await monitor.refresh();
    expect(events.filter((e) => e.type === 'log').at(-1)).toMatchObject({
      level: 'info',
      message: expect.stringContaining('works again'),
    });
  });

  it('stop() ends polling and emits nothing more', async () => {
    const fake = fakePorts();
    const events: EngineEvent[] = [];
    monitor = startMonitor({
      ports: fake.ports,
      runbook: RUNBOOK_DOC,
      env: ENV,
      emit: (e) => events.push(e),
      intervalMs: 5,
    });
    monitor.stop();
    const count = events.length;
    await pause(50);
    expect(events.length).toBe(count);
  });
});
