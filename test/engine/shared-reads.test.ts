import { describe, expect, it } from 'vitest';
import { ReadBudget, READ_RATES, type ReadService } from '../../src/engine/read-budget.js';
import { createSharedReads, ENGINE_MAX_AGE_MS, engineFreshness } from '../../src/engine/shared-reads.js';
import { throttled } from '../../src/domain/failures.js';
import type { Ports } from '../../src/ports/index.js';
import { FakeWorld } from '../helpers/fake-ports.js';

const UNLIMITED = {
  elbv2: { perSecond: 1000, burst: 1000 },
  ec2: { perSecond: 1000, burst: 1000 },
  route53: { perSecond: 1000, burst: 1000 },
  autoscaling: { perSecond: 1000, burst: 1000 },
};

/** A world whose DescribeInstances calls are recorded with the ids asked for. */
function world(): { world: FakeWorld; ports: Ports; instanceQueries: string[][] } {
  const w = new FakeWorld(3);
  const base = w.ports();
  const instanceQueries: string[][] = [];
  const ports: Ports = {
    ...base,
    compute: {
      ...base.compute,
      describeInstances: (q) => {
        instanceQueries.push([...(q.ids ?? [])]);
        return base.compute.describeInstances(q);
      },
    },
  };
  return { world: w, ports, instanceQueries };
}

const count = (w: FakeWorld, operation: string): number => w.calls.filter((c) => c === operation).length;

describe('createSharedReads', () => {
  it('sends every read of the engine: none is answered from an earlier request', async () => {
    const { world: w, ports } = world();
    const shared = createSharedReads(ports, { budget: new ReadBudget(w.clock, UNLIMITED) });
    await shared.ports.lb.describeTargetHealth(w.tg.arn);
    await shared.ports.lb.describeTargetHealth(w.tg.arn);
    expect(count(w, 'DescribeTargetHealth')).toBe(2);
  });

  it('joins identical reads sent in the same moment', async () => {
    const { world: w, ports } = world();
    const shared = createSharedReads(ports, { budget: new ReadBudget(w.clock, UNLIMITED) });
    const [a, b] = await Promise.all([
      shared.ports.lb.describeTargetHealth(w.tg.arn),
      shared.ports.lb.describeTargetHealth(w.tg.arn),
    ]);
    expect(a).toBe(b);
    expect(count(w, 'DescribeTargetHealth')).toBe(1);
  });

  it('answers a reader from a request sent up to maxAgeMs before, then reads again', async () => {
    const { world: w, ports } = world();
    const shared = createSharedReads(ports, { budget: new ReadBudget(w.clock, UNLIMITED) });
    const dashboard = shared.readerPorts({ maxAgeMs: 2000 });
    await shared.ports.lb.describeTargetHealth(w.tg.arn);
    w.clock.t += 2000;
    await dashboard.lb.describeTargetHealth(w.tg.arn);
    expect(count(w, 'DescribeTargetHealth')).toBe(1);
    w.clock.t += 1;
    await dashboard.lb.describeTargetHealth(w.tg.arn);
    expect(count(w, 'DescribeTargetHealth')).toBe(2);
  });

  it('never hands out an answer from before a change, even one still in flight when the change was sent', async () => {
    const { world: w, ports } = world();
    const shared = createSharedReads(ports, { budget: new ReadBudget(w.clock, UNLIMITED) });
    const dashboard = shared.readerPorts({ maxAgeMs: 60_000 });
    const before = await dashboard.lb.describeTargetHealth(w.tg.arn);
    expect(before.every((t) => t.state === 'healthy')).toBe(true);
    const inFlight = dashboard.lb.describeTargetHealth(w.tg.arn);
    await shared.ports.lb.deregisterTargets(w.tg.arn, [{ id: w.webIds()[0]! }]);
    const after = await dashboard.lb.describeTargetHealth(w.tg.arn);
    await inFlight;
    expect(after.find((t) => t.id === w.webIds()[0])?.state).toBe('draining');
    expect(count(w, 'DescribeTargetHealth')).toBe(2);
  });

  it('reads instances by id: only the ids no fresh answer covers are asked for', async () => {
    const { world: w, ports, instanceQueries } = world();
    const shared = createSharedReads(ports, { budget: new ReadBudget(w.clock, UNLIMITED) });
    const dashboard = shared.readerPorts({ maxAgeMs: 1000, instanceMaxAgeMs: 60_000 });
    const [a, b, c] = w.webIds();
    expect((await dashboard.compute.describeInstances({ ids: [a!, b!], liveOnly: false })).map((i) => i.id)).toEqual([
      a,
      b,
    ]);
    w.clock.t += 30_000;
    expect(
      (await dashboard.compute.describeInstances({ ids: [a!, b!, c!], liveOnly: false })).map((i) => i.id),
    ).toEqual([a, b, c]);
    expect(instanceQueries).toEqual([[a, b], [c]]);
  });

  it("works over ports whose methods live on a prototype (the sandbox's are class instances)", async () => {
    const { world: w, ports } = world();
    const onPrototype: Ports = {
      ...ports,
      lb: Object.create(ports.lb) as Ports['lb'],
      compute: Object.create(ports.compute) as Ports['compute'],
      dns: Object.create(ports.dns) as Ports['dns'],
      scaling: Object.create(ports.scaling) as Ports['scaling'],
    };
    const shared = createSharedReads(onPrototype, { budget: new ReadBudget(w.clock, UNLIMITED) });
    expect((await shared.ports.lb.describeTargetGroup(w.tg.name)).arn).toBe(w.tg.arn);
    expect(await shared.ports.scaling.describeGroups()).toEqual([]);
    expect((await shared.ports.compute.describeInstances({ tags: { role: 'web' } })).length).toBe(3);
  });

  it("takes the instances a query by tags returned as answers for their ids (the session's discovery serves the first frame)", async () => {
    const { world: w, ports, instanceQueries } = world();
    const shared = createSharedReads(ports, { budget: new ReadBudget(w.clock, UNLIMITED) });
    const dashboard = shared.readerPorts({ maxAgeMs: 1000, instanceMaxAgeMs: 60_000 });
    await shared.ports.compute.describeInstances({ tags: { role: 'web' } });
    w.clock.t += 5000;
    expect(
      (await dashboard.compute.describeInstances({ ids: w.webIds(), liveOnly: false })).map((i) => i.tags['Name']),
    ).toEqual(['web-1', 'web-2', 'web-3']);
    expect(instanceQueries).toEqual([[]]);
    // After a change, they are read again.
    await shared.ports.compute.terminateInstances([w.webIds()[0]!]);
    await dashboard.compute.describeInstances({ ids: w.webIds(), liveOnly: false });
    expect(instanceQueries).toEqual([[], w.webIds()]);
  });

  it('tells listeners of every target-health answer, once per request', async () => {
    const { world: w, ports } = world();
    const shared = createSharedReads(ports, { budget: new ReadBudget(w.clock, UNLIMITED) });
    const heard: number[] = [];
    shared.onTargetHealth((arn, health) => heard.push(arn === w.tg.arn ? health.length : -1));
    await shared.ports.lb.describeTargetHealth(w.tg.arn);
    await shared.readerPorts({ maxAgeMs: 10_000 }).lb.describeTargetHealth(w.tg.arn);
    expect(heard).toEqual([3]);
  });

  it('pauses reads of a service after throttling, longer each time, until one succeeds', async () => {
    const { world: w, ports } = world();
    const waits: number[] = [];
    const budget = new ReadBudget(w.clock, UNLIMITED, async (ms) => {
      waits.push(ms);
      w.clock.t += ms;
    });
    const shared = createSharedReads(ports, { budget });
    w.failNext('DescribeTargetHealth', throttled('DescribeTargetHealth'), 2);
    await expect(shared.ports.lb.describeTargetHealth(w.tg.arn)).rejects.toMatchObject({ code: 'Throttling' });
    await expect(shared.ports.lb.describeTargetHealth(w.tg.arn)).rejects.toMatchObject({ code: 'Throttling' });
    await shared.ports.lb.describeTargetHealth(w.tg.arn);
    w.failNext('DescribeTargetHealth', throttled('DescribeTargetHealth'), 1);
    await expect(shared.ports.lb.describeTargetHealth(w.tg.arn)).rejects.toMatchObject({ code: 'Throttling' });
    await shared.ports.lb.describeTargetHealth(w.tg.arn);
    expect(waits).toEqual([1000, 2000, 1000]);
    // Another service is not paused by ELBv2's throttling.
    expect(budget.pausedFor('ec2')).toBe(0);
  });
});

describe('each fact read once (createSharedReads)', () => {
  it('an image, an instance type and a target group are read once per process, whoever asks', async () => {
    const { world: w, ports } = world();
    const shared = createSharedReads(ports, { budget: new ReadBudget(w.clock, UNLIMITED) });
    const dashboard = shared.readerPorts({ maxAgeMs: 0 });
    await shared.ports.compute.describeImage('ami-0123456789abcdef0');
    w.clock.t += 3_600_000;
    await dashboard.compute.describeImage('ami-0123456789abcdef0');
    await shared.ports.lb.describeTargetGroup(w.tg.arn);
    await shared.ports.lb.deregisterTargets(w.tg.arn, [{ id: w.webIds()[0]!, port: 80 }]);
    await shared.ports.lb.describeTargetGroup(w.tg.arn);
    expect(count(w, 'DescribeImages')).toBe(1);
    expect(count(w, 'DescribeTargetGroups')).toBe(1);
    expect(shared.sent).toMatchObject({ DescribeImages: 1, DescribeTargetGroups: 1 });
  });

  it('a failed fact read is not kept: the next reader reads again', async () => {
    const { world: w, ports } = world();
    let fail = true;
    const flaky: Ports = {
      ...ports,
      compute: {
        ...ports.compute,
        describeImage: (ref) => (fail ? Promise.reject(throttled('DescribeImages')) : ports.compute.describeImage(ref)),
      },
    };
    const shared = createSharedReads(flaky, {
      budget: new ReadBudget(w.clock, UNLIMITED, async (ms) => void (w.clock.t += ms)),
    });
    await expect(shared.ports.compute.describeImage('ami-0123456789abcdef0')).rejects.toThrow(/throttling/);
    fail = false;
    await expect(shared.ports.compute.describeImage('ami-0123456789abcdef0')).resolves.toMatchObject({
      id: 'ami-0123456789abcdef0',
    });
  });

  it('the engine reuses an answer under engineMaxAgeMs, never one from before a change, and reads again after it', async () => {
    const { world: w, ports } = world();
    const shared = createSharedReads(ports, { budget: new ReadBudget(w.clock, UNLIMITED), engineMaxAgeMs: 100 });
    await shared.ports.lb.describeTargetHealth(w.tg.arn);
    w.clock.t += 100;
    await shared.ports.lb.describeTargetHealth(w.tg.arn);
    expect(count(w, 'DescribeTargetHealth')).toBe(1);
    w.clock.t += 1;
    await shared.ports.lb.describeTargetHealth(w.tg.arn);
    expect(count(w, 'DescribeTargetHealth')).toBe(2);
    await shared.ports.lb.deregisterTargets(w.tg.arn, [{ id: w.webIds()[0]!, port: 80 }]);
    await shared.ports.lb.describeTargetHealth(w.tg.arn);
    expect(count(w, 'DescribeTargetHealth')).toBe(3);
  });

  it('Auto Scaling groups and instances by tags are shared the same way (the environment, preflight and a step ask together)', async () => {
    const { world: w, ports } = world();
    const shared = createSharedReads(ports, { budget: new ReadBudget(w.clock, UNLIMITED), engineMaxAgeMs: 500 });
    await shared.ports.scaling.describeGroups();
    await shared.ports.scaling.describeGroups();
    await shared.ports.compute.describeInstances({ tags: { role: 'web' }, liveOnly: true });
    await shared.ports.compute.describeInstances({ liveOnly: true, tags: { role: 'web' } });
    expect(count(w, 'DescribeAutoScalingGroups')).toBe(1);
    expect(count(w, 'DescribeInstances')).toBe(1);
    await shared.ports.compute.describeInstances({ tags: { role: 'db' }, liveOnly: true });
    expect(count(w, 'DescribeInstances')).toBe(2);
  });

  it('engineFreshness: under half a poll interval, at most ENGINE_MAX_AGE_MS', () => {
    expect(engineFreshness(1000)).toBe(ENGINE_MAX_AGE_MS);
    expect(engineFreshness(200)).toBe(100);
    expect(engineFreshness(20)).toBe(10);
    expect(engineFreshness(0)).toBe(0);
  });
});

describe('ReadBudget', () => {
  it('lets a burst through, then one request per 1/perSecond', async () => {
    let t = 0;
    const waits: number[] = [];
    const rates = { ...READ_RATES, elbv2: { perSecond: 2, burst: 2 } } satisfies Record<ReadService, unknown>;
    const budget = new ReadBudget({ now: () => t }, rates, async (ms) => {
      waits.push(ms);
      t += ms;
    });
    for (let i = 0; i < 4; i++) await budget.take('elbv2');
    expect(waits).toEqual([500, 500]);
  });

  it('keeps hotspare well under the documented rates', () => {
    expect(READ_RATES.elbv2.perSecond).toBeLessThanOrEqual(10 / 2);
    expect(READ_RATES.ec2.perSecond).toBeLessThanOrEqual(20 / 2);
    expect(READ_RATES.route53.perSecond).toBeLessThanOrEqual(5 / 2);
  });
});
