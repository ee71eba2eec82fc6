import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { throttled } from '../../src/domain/failures.js';
import { EMERGENCY_STEPS, FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { openFake, tempDir } from '../helpers/engine.js';

const runbook = fakeRunbook(EMERGENCY_STEPS);
const warnings = (events: readonly EngineEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'log' && e.level === 'warn' ? [e.message] : []));

/**
 * Throttling is normal during an outage: a throttled read waits longer each time and tries again,
 * saying so, for minutes; only then does the step fail, with what to do next. Never silently.
 */
describe('sustained throttling (fake ports, fake clock)', () => {
  it('a read throttled ten times in a row slows the run down, says so, and the failover still finishes', async () => {
    const world = new FakeWorld();
    const { session, events } = await openFake(world, runbook, tempDir());
    // The session's first health read went through; every one after it is throttled ten times.
    world.failNext('DescribeTargetHealth', throttled('DescribeTargetHealth'), 10);
    expect(await session.failover()).toBe('failed-over');
    const said = warnings(events).filter((m) => m.includes('throttling DescribeTargetHealth'));
    expect(said.length).toBeGreaterThanOrEqual(5);
    expect(said.at(-1)).toMatch(/Slowing down: next try in \d+(\.\d+)? s/);
  });

  it('throttling that never ends fails the step after minutes, with the throttling error and what to do next', async () => {
    const world = new FakeWorld();
    const { session, events } = await openFake(world, runbook, tempDir());
    const started = world.clock.now();
    world.failNext('DescribeTargetHealth', throttled('DescribeTargetHealth'), 1_000_000);
    expect(await session.failover()).toBe('failed');
    const failed = events.find((e) => e.type === 'step-failed');
    expect(failed).toMatchObject({ error: { code: 'Throttling' } });
    expect(failed?.type === 'step-failed' && failed.error.nextSteps).toBeTruthy();
    expect(world.clock.now() - started).toBeGreaterThanOrEqual(5 * 60_000);
    expect(warnings(events).length).toBeGreaterThan(5);
  });
});
