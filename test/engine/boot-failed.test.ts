import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { EMERGENCY_STEPS, FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { openFake, tempDir } from '../helpers/engine.js';

const runbook = fakeRunbook(EMERGENCY_STEPS);

/** The redirect instance powers itself off when its boot script fails (redirect/boot-script.ts). */
function powerOffRedirectOn(world: FakeWorld, operation: string): void {
  world.onCall = (op) => {
    if (op !== operation) return;
    for (const i of world.instances.values())
      if (i.tags['hotspare:run'] !== undefined && i.state !== 'terminated') Object.assign(i, { state: 'stopped' });
  };
}

const failure = (events: readonly EngineEvent[]) => events.find((e) => e.type === 'step-failed');

/**
 * A redirect instance whose boot failed powers itself off; the failover sees it stop and fails at
 * once, naming the console output to read, instead of waiting out its timeout (300 s here).
 */
describe('a redirect instance whose boot failed (fake ports, fake clock)', () => {
  it('stopped before it ran: launch-redirect fails at once with the console command', async () => {
    const world = new FakeWorld();
    const { session, events } = await openFake(world, runbook, tempDir());
    powerOffRedirectOn(world, 'DescribeInstances');
    const started = world.clock.now();
    expect(await session.failover()).toBe('failed');
    expect(failure(events)).toMatchObject({ stepId: 'launch-redirect', error: { code: 'RedirectBootFailed' } });
    const error = failure(events)?.type === 'step-failed' ? failure(events)!.error : undefined;
    expect(error?.nextSteps).toMatch(/aws ec2 get-console-output --instance-id i-\w+ --latest/);
    expect(world.clock.now() - started).toBeLessThan(60_000);
  });

  it('stopped once registered: wait-redirect-healthy fails at once', async () => {
    const world = new FakeWorld();
    const { session, events } = await openFake(world, runbook, tempDir());
    powerOffRedirectOn(world, 'RegisterTargets');
    const started = world.clock.now();
    expect(await session.failover()).toBe('failed');
    expect(failure(events)).toMatchObject({ stepId: 'wait-redirect-healthy', error: { code: 'RedirectBootFailed' } });
    expect(world.clock.now() - started).toBeLessThan(60_000);
    // The web servers were never taken out.
    for (const id of world.webIds()) expect(world.targets.get(id)?.state).toBe('healthy');
  });
});
