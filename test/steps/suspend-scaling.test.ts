import { describe, expect, it } from 'vitest';
import { FREEZE_PROCESSES } from '../../src/domain/scaling.js';
import { FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { journalIn, openFake, tempDir } from '../helpers/engine.js';

/**
 * suspend-scaling on in-memory fakes, through the session as a run takes it: which groups it
 * freezes, what it journals, what rollback resumes (only what hotspare suspended, read first).
 */

const STEPS = [
  { type: 'suspend-scaling' as const },
  { type: 'launch-redirect' as const },
  { type: 'register-redirect' as const },
  { type: 'wait-redirect-healthy' as const },
  { type: 'deregister-web' as const },
  { type: 'verify-maintenance' as const },
];
const runbook = () => fakeRunbook(STEPS);
const suspended = (world: FakeWorld, name: string) => [...(world.groups.get(name)?.suspended ?? [])].sort();
const calls = (world: FakeWorld, op: string) => world.calls.filter((c) => c === op).length;

describe('suspend-scaling', () => {
  it('with no group touching the target group: sends no SuspendProcesses, says so, and rollback has nothing to resume', async () => {
    const world = new FakeWorld();
    const { session, events } = await openFake(world, runbook(), tempDir());
    expect(session.plan.steps[0]?.title).toBe('Suspend Auto Scaling (no group touches the target group)');
    expect(await session.failover()).toBe('failed-over');
    expect(calls(world, 'SuspendProcesses')).toBe(0);
    expect(
      events.some(
        (e) =>
          e.type === 'step-progress' &&
          e.message === 'no Auto Scaling group touches the target group or the web servers',
      ),
    ).toBe(true);
    expect(await session.rollback()).toBe('rolled-back');
    expect(calls(world, 'ResumeProcesses')).toBe(0);
  });

  it('freezes every process that could undo the failover, journals it before the call, and rollback resumes them all', async () => {
    const world = new FakeWorld();
    world.addGroup('web-asg');
    const dir = tempDir();
    const { session } = await openFake(world, runbook(), dir);
    const planned = session.plan.steps[0]!;
    expect(planned.title).toBe('Suspend Auto Scaling of web-asg');
    expect(planned.calls.map((c) => c.operation)).toEqual(['DescribeAutoScalingGroups', 'SuspendProcesses']);
    expect(planned.calls[1]?.params).toEqual({
      AutoScalingGroupName: 'web-asg',
      ScalingProcesses: [...FREEZE_PROCESSES],
    });
    expect(planned.undo?.map((c) => c.operation)).toEqual(['ResumeProcesses']);

    expect(await session.failover()).toBe('failed-over');
    expect(suspended(world, 'web-asg')).toEqual([...FREEZE_PROCESSES].sort());
    expect(calls(world, 'SuspendProcesses')).toBe(1);
    const records = journalIn(dir) as unknown as Record<string, unknown>[];
    const intent = records.find(
      (r) =>
        r['kind'] === 'intent' && (r['call'] as { operation?: string } | undefined)?.operation === 'SuspendProcesses',
    );
    // What rollback needs is on disk before the call is sent.
    expect(intent?.['before']).toEqual({
      'scaling:web-asg': { suspendedByHotspare: [...FREEZE_PROCESSES], alreadySuspended: [] },
    });
    expect(records.indexOf(intent!)).toBeLessThan(
      records.findIndex((r) => r['kind'] === 'result' && r['callId'] === intent?.['callId']),
    );
    const result = records.find((r) => r['kind'] === 'step-succeeded' && r['stepId'] === planned.id);
    expect(result?.['outputs']).toMatchObject({ groups: ['web-asg'] });

    expect(await session.rollback()).toBe('rolled-back');
    expect(suspended(world, 'web-asg')).toEqual([]);
    expect(calls(world, 'ResumeProcesses')).toBe(1);
  });

  it('processes suspended before the run are neither suspended again nor resumed by rollback', async () => {
    const world = new FakeWorld();
    world.addGroup('web-asg', ['Launch', 'AddToLoadBalancer']);
    const { session } = await openFake(world, runbook(), tempDir());
    expect(session.plan.steps[0]?.calls[1]?.params['ScalingProcesses']).toEqual(
      FREEZE_PROCESSES.filter((p) => p !== 'Launch' && p !== 'AddToLoadBalancer'),
    );
    expect(await session.failover()).toBe('failed-over');
    expect(await session.rollback()).toBe('rolled-back');
    expect(suspended(world, 'web-asg')).toEqual(['AddToLoadBalancer', 'Launch']);
  });

  it('a group already frozen entirely is left alone, and rollback resumes nothing there', async () => {
    const world = new FakeWorld();
    world.addGroup('web-asg', [...FREEZE_PROCESSES]);
    const { session } = await openFake(world, runbook(), tempDir());
    expect(await session.failover()).toBe('failed-over');
    expect(calls(world, 'SuspendProcesses')).toBe(0);
    expect(await session.rollback()).toBe('rolled-back');
    expect(calls(world, 'ResumeProcesses')).toBe(0);
    expect(suspended(world, 'web-asg')).toEqual([...FREEZE_PROCESSES].sort());
  });

  it('a group neither attached to the target group nor owning a web server is not touched', async () => {
    const world = new FakeWorld();
    world.groups.set('batch-asg', {
      name: 'batch-asg',
      instanceIds: ['i-0batch'],
      targetGroupArns: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/batch/1'],
      suspended: new Set(),
    });
    const { session } = await openFake(world, runbook(), tempDir());
    expect(await session.failover()).toBe('failed-over');
    expect(suspended(world, 'batch-asg')).toEqual([]);
    expect(calls(world, 'SuspendProcesses')).toBe(0);
  });

  it('rollback reads first: processes someone resumed meanwhile are not resumed again, and a deleted group is noted, not an error', async () => {
    const world = new FakeWorld();
    world.addGroup('web-asg');
    world.addGroup('other-asg');
    const { session, events } = await openFake(world, runbook(), tempDir());
    expect(await session.failover()).toBe('failed-over');
    for (const p of FREEZE_PROCESSES) world.groups.get('web-asg')!.suspended.delete(p);
    world.groups.delete('other-asg');
    expect(await session.rollback()).toBe('rolled-back');
    expect(calls(world, 'ResumeProcesses')).toBe(0);
    expect(JSON.stringify(events)).toContain('other-asg no longer exists');
  });

  it('rollback resumes only what is still suspended of what hotspare suspended', async () => {
    const world = new FakeWorld();
    world.addGroup('web-asg');
    const { session } = await openFake(world, runbook(), tempDir());
    expect(await session.failover()).toBe('failed-over');
    world.groups.get('web-asg')!.suspended.delete('Launch');
    const sent: string[][] = [];
    world.onCall = (op) => {
      if (op === 'ResumeProcesses') sent.push([...world.groups.get('web-asg')!.suspended].sort());
    };
    expect(await session.rollback()).toBe('rolled-back');
    expect(sent).toEqual([FREEZE_PROCESSES.filter((p) => p !== 'Launch').sort()]);
    expect(suspended(world, 'web-asg')).toEqual([]);
  });
});
