import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { EMERGENCY_STEPS, FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { openFake, ScriptedOperator, tempDir } from '../helpers/engine.js';

/** A resume and a rollback in a new process tell the front ends when the run first started (the incident clock). */

const runbook = fakeRunbook(EMERGENCY_STEPS);

function first<T extends EngineEvent['type']>(
  events: readonly EngineEvent[],
  type: T,
): Extract<EngineEvent, { type: T }> | undefined {
  return events.find((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
}

describe('the run’s start, across processes', () => {
  it('resume and rollback carry the start of the run they continue', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const stopper = new ScriptedOperator((r) => (r.step.id === 'deregister-web' ? 'stop' : 'run'));
    const one = await openFake(world, runbook, dir, { operator: stopper });
    expect(await one.session.failover()).toBe('aborted');
    const started = first(one.events, 'run-started')!;

    const two = await openFake(world, runbook, dir);
    expect(await two.session.resume()).toBe('failed-over');
    expect(first(two.events, 'run-started')).toMatchObject({ resumed: true, runStartedAt: started.at });

    const three = await openFake(world, runbook, dir);
    expect(await three.session.rollback()).toBe('rolled-back');
    expect(first(three.events, 'rollback-started')).toMatchObject({ runStartedAt: started.at });
  });
});
