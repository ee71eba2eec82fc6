import { describe, expect, it } from 'vitest';
import { EMERGENCY_STEPS, FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { openFake, tempDir } from '../helpers/engine.js';

/**
 * A session (the dashboard) reads the account when it opens; the runs in effect that AWS's tags show
 * are read again when a failover starts a while later, so a leftover removed since no longer blocks
 * it, and one registered since does (issue 20).
 */

const runbook = fakeRunbook(EMERGENCY_STEPS);
const LEFTOVER = 'i-0leftover0000001';

function addLeftover(world: FakeWorld): void {
  world.instances.set(LEFTOVER, {
    id: LEFTOVER,
    state: 'running',
    tags: { 'hotspare:run': 'run-left-by-abandon', Name: 'hotspare-redirect-old' },
    availabilityZone: 'us-east-1a',
    bootAt: 0,
    token: '',
  });
  world.targets.set(LEFTOVER, { id: LEFTOVER, port: 80, az: 'us-east-1a', state: 'healthy', since: 0 });
}

function removeLeftover(world: FakeWorld): void {
  world.targets.delete(LEFTOVER);
  world.instances.set(LEFTOVER, { ...world.instances.get(LEFTOVER)!, state: 'terminated' });
}

describe('runs in effect read again before a failover', () => {
  it('a leftover seen when the session opened blocks a failover while it is still there', async () => {
    const world = new FakeWorld();
    addLeftover(world);
    const { session } = await openFake(world, runbook, tempDir());
    world.clock.t += 60_000;
    await expect(session.failover()).rejects.toThrow(/run in effect.*run-left-by-abandon/);
  });

  it('a leftover removed after the session opened no longer blocks the failover', async () => {
    const world = new FakeWorld();
    addLeftover(world);
    const { session } = await openFake(world, runbook, tempDir());
    expect(session.env.hotspareTargets?.map((t) => t.id)).toEqual([LEFTOVER]);
    removeLeftover(world);
    world.clock.t += 60_000;
    expect(await session.failover()).toBe('failed-over');
  });

  it('a leftover registered after the session opened blocks the failover', async () => {
    const world = new FakeWorld();
    const { session } = await openFake(world, runbook, tempDir());
    addLeftover(world);
    world.clock.t += 60_000;
    await expect(session.failover()).rejects.toThrow(/run in effect.*run-left-by-abandon/);
  });
});
