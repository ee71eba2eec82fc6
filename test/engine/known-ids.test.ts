import { describe, expect, it } from 'vitest';
import { EMERGENCY_STEPS, FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { openFake, ScriptedOperator, tempDir } from '../helpers/engine.js';

/**
 * Every call shown before confirmation is the call that will be sent (issue 20, item 6): once the
 * redirect instance is launched and journaled, the questions name it, not `<redirect instance>`.
 */

const runbook = fakeRunbook(EMERGENCY_STEPS);

function shown(calls: readonly unknown[] | undefined): string {
  return JSON.stringify(calls ?? []);
}

describe('real ids in the calls shown', () => {
  it('the register, wait and deregister questions name the launched instance', async () => {
    const world = new FakeWorld();
    const operator = new ScriptedOperator();
    const { session } = await openFake(world, runbook, tempDir(), { operator, mode: 'live' });
    expect(await session.failover()).toBe('failed-over');
    const redirect = [...world.instances.values()].find((i) => i.tags['hotspare:step'] === 'launch-redirect')!;
    const register = operator.confirms.find((c) => c.step.id === 'register-redirect')!;
    expect(shown(register.step.calls)).toContain(`"Id":"${redirect.id}"`);
    expect(shown(register.step.undo)).toContain(redirect.id);
    for (const c of operator.confirms.slice(1))
      expect(shown(c.step.calls) + shown(c.step.undo)).not.toContain('<redirect instance>');
    // The launch question itself is asked before anything is known: its calls keep the plan's words.
    expect(shown(operator.confirms[0]!.step.calls)).toContain('when no prepared spare is ready');
  });

  it("the rollback's question names the instance it will terminate", async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const { session } = await openFake(world, runbook, dir);
    expect(await session.failover()).toBe('failed-over');
    const redirect = [...world.instances.values()].find((i) => i.tags['hotspare:step'] === 'launch-redirect')!;
    const operator = new ScriptedOperator();
    const again = await openFake(world, runbook, dir, { operator });
    expect(await again.session.rollback()).toBe('rolled-back');
    const request = operator.rollbacks[0]!;
    const launch = request.steps.find((s) => s.id === 'launch-redirect')!;
    expect(launch.undo).toContainEqual(
      expect.objectContaining({ operation: 'TerminateInstances', params: { InstanceIds: [redirect.id] } }),
    );
    const register = request.steps.find((s) => s.id === 'register-redirect')!;
    expect(shown(register.undo)).toContain(redirect.id);
    expect(shown(request.steps.map((s) => s.undo))).not.toMatch(/<redirect instance>|<instances tagged/);
  });

  it('the summary says the redirect instance is registered, not the state it had when registered', async () => {
    const world = new FakeWorld();
    const { session, events } = await openFake(world, runbook, tempDir());
    await session.failover();
    const redirect = [...world.instances.values()].find((i) => i.tags['hotspare:step'] === 'launch-redirect')!;
    const verified = events.find((e) => e.type === 'verification' && e.stepId === 'register-redirect');
    expect(verified?.type === 'verification' && verified.detail).toBe(
      `${redirect.id} is registered in ${world.tg.name}`,
    );
  });

  it('the RunInstances journaled as sent carries no "when no prepared spare is ready"', async () => {
    const world = new FakeWorld();
    const { session, events } = await openFake(world, runbook, tempDir());
    await session.failover();
    const sent = events.filter((e) => e.type === 'call' && e.call.operation === 'RunInstances');
    expect(sent.length).toBeGreaterThan(0);
    for (const e of sent) expect(e.type === 'call' && e.call.note).toBeFalsy();
  });
});
