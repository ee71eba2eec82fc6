import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accessDenied, insufficientCapacity } from '../../src/domain/failures.js';
import { RefusedError } from '../../src/domain/errors.js';
import { EMERGENCY_STEPS, FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { journalFile, journalIn, openFake, ScriptedOperator, tempDir, until } from '../helpers/engine.js';

const runbook = fakeRunbook(EMERGENCY_STEPS);

describe('failover with fake ports', () => {
  it('runs every step in order and leaves the redirect instance alone in service', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const { session, events } = await openFake(world, runbook, dir);

    expect(await session.failover()).toBe('failed-over');

    const redirect = [...world.instances.values()].find((i) => i.tags['hotspare:step'] === 'launch-redirect');
    expect(redirect?.state).toBe('running');
    expect(world.targets.get(redirect!.id)?.state).toBe('healthy');
    for (const id of world.webIds()) expect(world.targets.get(id)?.state ?? 'gone').toMatch(/draining|gone/);
    const succeeded = events.filter((e) => e.type === 'step-succeeded').map((e) => (e as { stepId: string }).stepId);
    expect(succeeded).toEqual([
      'launch-redirect',
      'register-redirect',
      'wait-redirect-healthy',
      'deregister-web',
      'verify-maintenance',
    ]);
    // The redirect instance was healthy before the first web target left: no zero-healthy window.
    expect(world.calls.indexOf('DeregisterTargets')).toBeGreaterThan(world.calls.indexOf('RegisterTargets'));
  });

  it('journals an intent before and a result after every mutating call, in a 0600 file', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const { session } = await openFake(world, runbook, dir);
    await session.failover();

    const records = journalIn(dir);
    expect(statSync(journalFile(dir)).mode & 0o777).toBe(0o600);
    expect(records[0]?.kind).toBe('run-started');
    const intents = records.filter((r) => r.kind === 'intent');
    expect(intents.map((r) => r.kind === 'intent' && r.call.operation)).toEqual([
      'RunInstances',
      'RegisterTargets',
      'DeregisterTargets',
    ]);
    for (const intent of intents) {
      const i = records.indexOf(intent);
      const result = records.findIndex(
        (r) => r.kind === 'result' && intent.kind === 'intent' && r.callId === intent.callId,
      );
      expect(result).toBeGreaterThan(i);
    }
    const launch = records.find((r) => r.kind === 'intent' && r.call.operation === 'RunInstances');
    expect(launch?.kind === 'intent' && launch.call.params['ClientToken']).toMatch(
      /^hs-\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{4}-launch-redirect-t3\.micro$/,
    );
    expect(records.at(-1)).toMatchObject({ kind: 'run-finished', outcome: 'failed-over' });
    expect(JSON.stringify(records)).not.toMatch(/secret|AKIA/i);
  });

  it('asks for the runbook name once, on the first mutating step, in live mode', async () => {
    const world = new FakeWorld();
    const operator = new ScriptedOperator();
    const { session } = await openFake(world, runbook, tempDir(), { operator, mode: 'live' });
    await session.failover();
    expect(operator.confirms.map((c) => [c.step.id, c.typeToConfirm])).toEqual([
      ['launch-redirect', 'fake-drill'],
      ['register-redirect', undefined],
      ['deregister-web', undefined],
    ]);
  });

  it('a step that only reads (suspend-scaling with no group) is not asked as the first change to production', async () => {
    const world = new FakeWorld();
    const operator = new ScriptedOperator();
    const { session } = await openFake(
      world,
      fakeRunbook([{ type: 'suspend-scaling' }, ...EMERGENCY_STEPS]),
      tempDir(),
      { operator, mode: 'live' },
    );
    expect(await session.failover()).toBe('failed-over');
    expect(operator.confirms.map((c) => [c.step.id, c.typeToConfirm])).toEqual([
      ['suspend-scaling', undefined],
      ['launch-redirect', 'fake-drill'],
      ['register-redirect', undefined],
      ['deregister-web', undefined],
    ]);
  });

  it('stops when the operator says stop, leaving a resumable journal', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const operator = new ScriptedOperator((r) => (r.step.id === 'deregister-web' ? 'stop' : 'run'));
    const { session } = await openFake(world, runbook, dir, { operator });
    expect(await session.failover()).toBe('aborted');
    expect(world.targets.get(world.webIds()[0]!)?.state).toBe('healthy');
    expect(session.unfinishedRun()?.phase).toBe('stopped');
    await expect(session.failover()).rejects.toBeInstanceOf(RefusedError);
  });

  it('falls back to the next instance type when there is no capacity', async () => {
    const world = new FakeWorld();
    world.failNext('RunInstances', insufficientCapacity('t3.micro'));
    const dir = tempDir();
    const { session } = await openFake(world, runbook, dir);
    expect(await session.failover()).toBe('failed-over');
    const launched = [...world.instances.values()].filter((i) => i.tags['hotspare:run'] !== undefined);
    expect(launched.map((i) => i.instanceType)).toEqual(['t3a.micro']);
    const ops = journalIn(dir)
      .filter((r) => r.kind === 'call-failed' || r.kind === 'result')
      .map((r) => r.kind);
    expect(ops.slice(0, 2)).toEqual(['call-failed', 'result']);
  });

  it('refuses to start while the lock is held by another live process', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const a = await openFake(world, runbook, dir);
    world.hang.add('RunInstances');
    void a.session.failover();
    await until(() => world.calls.includes('RunInstances'));
    const b = await openFake(world, runbook, dir, { identity: { user: 'bob', host: 'other-host', pid: 1 } });
    await expect(b.session.failover()).rejects.toThrow(/locked by alice@laptop/);
  });

  it('a dry run sends no mutation and writes no journal', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const { session, events } = await openFake(world, runbook, dir);
    expect(await session.dryRun('failover')).toBe('dry-run-complete');
    expect(
      world.calls.filter((c) =>
        /^(RunInstances|RegisterTargets|DeregisterTargets|TerminateInstances|ModifyListener)$/.test(c),
      ),
    ).toEqual([]);
    expect(world.calls).toContain('RunInstances(DryRun)');
    expect(events.filter((e) => e.type === 'call' && e.phase === 'dry-run').length).toBeGreaterThan(3);
    expect(() => journalIn(dir)).toThrow(/no journal/);
  });

  it('preflight fails before any mutation when permissions are missing', async () => {
    const world = new FakeWorld();
    world.failNext('RunInstances(DryRun)', accessDenied('ec2:RunInstances'));
    const dir = tempDir();
    const { session } = await openFake(world, runbook, dir);
    await expect(session.failover()).rejects.toThrow(/ec2:RunInstances/);
    expect(world.calls).not.toContain('RunInstances');
  });
});

describe('dry run reads all it can', () => {
  it('probes the maintenance site for verify-maintenance instead of skipping it', async () => {
    const world = new FakeWorld();
    const { session, events } = await openFake(world, fakeRunbook(EMERGENCY_STEPS), tempDir());
    expect(await session.dryRun('failover')).toBe('dry-run-complete');
    expect(events.find((e) => e.type === 'verification' && e.stepId === 'verify-maintenance')).toMatchObject({
      holds: true,
      detail: expect.stringContaining('maintenance: 200'),
    });
  });

  it('fails when the maintenance site is down, before anything is changed', async () => {
    const world = new FakeWorld();
    world.maintenanceUp = false;
    const { session, events } = await openFake(world, fakeRunbook(EMERGENCY_STEPS), tempDir());
    expect(await session.dryRun('failover')).toBe('failed');
    expect(events.find((e) => e.type === 'verification' && e.stepId === 'verify-maintenance')).toMatchObject({
      holds: false,
    });
  });
});
