import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accessDenied } from '../../src/domain/failures.js';
import { summarize } from '../../src/engine/run-summary.js';
import { EMERGENCY_STEPS, FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { journalFile, journalIn, openFake, ScriptedOperator, tempDir } from '../helpers/engine.js';

const runbook = fakeRunbook(EMERGENCY_STEPS);

function runInstances(world: FakeWorld) {
  return [...world.instances.values()].filter((i) => i.tags['hotspare:run'] !== undefined);
}

function expectOriginal(world: FakeWorld): void {
  for (const id of world.webIds()) expect(world.targets.get(id)?.state).toBe('healthy');
  for (const i of runInstances(world)) expect(i.state).toBe('terminated');
}

async function failedOver(world = new FakeWorld()) {
  const dir = tempDir();
  const h = await openFake(world, runbook, dir);
  expect(await h.session.failover()).toBe('failed-over');
  return { world, dir, ...h };
}

describe('every undo reads first and can run any number of times', () => {
  it('a DeregisterTargets whose answer is lost: the undo reads again, sees it done, and the rollback completes', async () => {
    const { world, session, dir } = await failedOver();
    world.loseNextAnswer('DeregisterTargets');
    expect(await session.rollback()).toBe('rolled-back');
    expectOriginal(world);
    expect(journalIn(dir).find((r) => r.kind === 'undo-succeeded' && r.stepId === 'register-redirect')).toMatchObject({
      detail: 'already deregistered',
    });
  });

  it('a DeregisterTargets that fails: the instance it names is kept, and the next rollback finishes the job', async () => {
    const { world, session, dir } = await failedOver();
    world.failNext('DeregisterTargets', accessDenied('elasticloadbalancing:DeregisterTargets'));
    expect(await session.rollback()).toBe('rollback-incomplete');
    // The failed undo still needs the instance: it was not terminated.
    expect(runInstances(world).map((i) => i.state)).toEqual(['running']);
    expect(journalIn(dir).find((r) => r.kind === 'undo-skipped')).toMatchObject({ stepId: 'launch-redirect' });

    expect(await session.rollback()).toBe('rolled-back');
    expectOriginal(world);
    // The web servers were back after the first rollback: the second registered nothing again.
    const registers = journalIn(dir).filter(
      (r) => r.kind === 'intent' && r.call.operation === 'RegisterTargets' && r.callId.includes('#undo.'),
    );
    expect(registers).toHaveLength(1);
  });

  it('a rollback run again after it completed changes nothing and succeeds', async () => {
    const { world, session, dir } = await failedOver();
    expect(await session.rollback()).toBe('rolled-back');
    // Someone re-opens the run by hand: the journal says rolled back, so a new rollback is refused...
    await expect(session.rollback()).rejects.toThrow(/no run of this runbook to roll back/);
    // ...and replaying every undo of the journal is harmless: each finds its work done.
    const lines = journalIn(dir).filter(
      (r) => !['rollback-started', 'undo-started', 'undo-succeeded', 'rollback-finished'].includes(r.kind),
    );
    writeFileSync(journalFile(dir), lines.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const calls = world.calls.length;
    expect(await session.rollback()).toBe('rolled-back');
    expect(
      world.calls.slice(calls).filter((c) => /^(RegisterTargets|DeregisterTargets|TerminateInstances)$/.test(c)),
    ).toEqual([]);
    expectOriginal(world);
  });

  it('a TerminateInstances whose answer is lost: the next rollback sees the instance gone and finishes', async () => {
    const { world, session } = await failedOver();
    world.loseNextAnswer('TerminateInstances');
    expect(await session.rollback()).toBe('rollback-incomplete');
    expect(await session.rollback()).toBe('rolled-back');
    expectOriginal(world);
  });

  it('a RegisterTargets (web servers back) whose answer is lost: the next rollback registers nothing twice', async () => {
    const { world, session, dir } = await failedOver();
    world.loseNextAnswer('RegisterTargets');
    expect(await session.rollback()).toBe('rollback-incomplete');
    expect(await session.rollback()).toBe('rolled-back');
    expectOriginal(world);
    const registers = journalIn(dir).filter(
      (r) => r.kind === 'intent' && r.call.operation === 'RegisterTargets' && r.callId.includes('#undo.'),
    );
    expect(registers).toHaveLength(1);
  });

  it('after any single lost answer during the failover, rollback reaches the original state within two attempts', async () => {
    for (const operation of ['RunInstances', 'RegisterTargets', 'DeregisterTargets']) {
      const world = new FakeWorld();
      const dir = tempDir();
      const { session } = await openFake(world, runbook, dir, {
        operator: new ScriptedOperator(
          () => 'run',
          () => 'stop',
        ),
      });
      world.loseNextAnswer(operation);
      await session.failover();
      let outcome = await session.rollback();
      if (outcome !== 'rolled-back') outcome = await session.rollback();
      expect([operation, outcome]).toEqual([operation, 'rolled-back']);
      expectOriginal(world);
      expect(runInstances(world).length).toBeLessThanOrEqual(1);
    }
  });
});

describe('launches', () => {
  it('a lost RunInstances answer on an endpoint that ignores ClientToken: found by its tags, never launched twice', async () => {
    const world = new FakeWorld();
    world.honourClientToken = false;
    world.loseNextAnswer('RunInstances');
    const dir = tempDir();
    const { session, events } = await openFake(world, runbook, dir);
    expect(await session.failover()).toBe('failed-over');
    expect(runInstances(world)).toHaveLength(1);
    expect(world.calls.filter((c) => c === 'RunInstances')).toHaveLength(1);
    expect(events.some((e) => e.type === 'step-progress' && e.message.includes('did go through'))).toBe(true);
  });

  it('rollback terminates every instance tagged with the run, not only the journaled one', async () => {
    const { world, session, runbook: _r } = { ...(await failedOver()), runbook };
    const [launched] = runInstances(world);
    // A second instance of this run (a double launch by an endpoint that ignored ClientToken).
    world.instances.set('i-0000000000000beef', { ...launched!, id: 'i-0000000000000beef', state: 'running' });
    expect(await session.rollback()).toBe('rolled-back');
    expect(runInstances(world).map((i) => [i.id, i.state])).toEqual([
      [launched!.id, 'terminated'],
      ['i-0000000000000beef', 'terminated'],
    ]);
  });
});

describe('closing a run that cannot be rolled back', () => {
  it('abandon journals what the run left in AWS, and the next failover is accepted', async () => {
    const { world, session, dir } = await failedOver();
    world.failNext('DeregisterTargets', accessDenied('elasticloadbalancing:DeregisterTargets'), 100);
    expect(await session.rollback()).toBe('rollback-incomplete');
    await expect(session.failover()).rejects.toMatchObject({
      code: 'UnfinishedRun',
      nextSteps: expect.stringMatching(/hotspare abandon RUNBOOK/),
    });

    expect(await session.abandon()).toBe('abandoned');
    const run = summarize(journalIn(dir));
    expect(run.phase).toBe('abandoned');
    expect(run.leftovers?.join('\n')).toMatch(/register-redirect: still in effect/);
    expect(run.leftovers?.join('\n')).toMatch(/launch-redirect: still in effect \(i-[0-9a-f]+ is running\)/);
    world.failures.clear();
    expect(session.unfinishedRun()).toBeUndefined();
  });
});
