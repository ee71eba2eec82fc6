import { describe, expect, it } from 'vitest';
import { accessDenied, throttled } from '../../src/domain/failures.js';
import type { FailureDecision } from '../../src/engine/operator.js';
import { EMERGENCY_STEPS, FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { journalIn, openFake, ScriptedOperator, tempDir } from '../helpers/engine.js';

const runbook = fakeRunbook(EMERGENCY_STEPS);

/** The operation each mutating step sends, to make it fail. */
const FAILING_CALL: Record<string, string> = {
  'launch-redirect': 'RunInstances',
  'register-redirect': 'RegisterTargets',
  'deregister-web': 'DeregisterTargets',
};

function redirectInstances(world: FakeWorld) {
  return [...world.instances.values()].filter((i) => i.tags['hotspare:run'] !== undefined);
}

function expectOriginalState(world: FakeWorld): void {
  for (const id of world.webIds()) expect(world.targets.get(id)?.state).toBe('healthy');
  for (const inst of redirectInstances(world)) {
    expect(inst.state).toBe('terminated');
    expect(world.targets.get(inst.id)?.state ?? 'gone').toMatch(/draining|gone/);
  }
}

async function runWith(stepId: string, decision: FailureDecision) {
  const world = new FakeWorld();
  world.failNext(FAILING_CALL[stepId]!, accessDenied(`x:${FAILING_CALL[stepId]}`));
  const dir = tempDir();
  const operator = new ScriptedOperator(
    () => 'run',
    () => decision,
  );
  const { session, events } = await openFake(world, runbook, dir, { operator });
  const outcome = await session.failover();
  return { world, dir, operator, session, events, outcome };
}

describe.each(Object.keys(FAILING_CALL))('when %s fails', (stepId) => {
  it('retry runs it again and the failover completes', async () => {
    const { outcome, operator, dir, world } = await runWith(stepId, 'retry');
    expect(outcome).toBe('failed-over');
    expect(operator.failures.map((f) => [f.step.id, f.attempt, f.error.code])).toEqual([[stepId, 1, 'AccessDenied']]);
    const kinds = journalIn(dir)
      .filter((r) => 'stepId' in r && r.stepId === stepId)
      .map((r) => r.kind);
    expect(kinds).toContain('step-failed');
    expect(kinds.at(-1)).toBe('step-succeeded');
    expect(redirectInstances(world)).toHaveLength(1);
  });

  it('roll back undoes every step done so far and restores the original state', async () => {
    const { outcome, world, dir } = await runWith(stepId, 'rollback');
    expect(outcome).toBe('rolled-back');
    expectOriginalState(world);
    expect(journalIn(dir).at(-1)).toMatchObject({ kind: 'rollback-finished', outcome: 'rolled-back', failures: [] });
  });

  it('skip records the skip and carries on', async () => {
    const { dir, events } = await runWith(stepId, 'skip');
    expect(journalIn(dir).some((r) => r.kind === 'step-skipped' && r.stepId === stepId)).toBe(true);
    expect(events.some((e) => e.type === 'step-skipped' && e.stepId === stepId)).toBe(true);
  });

  it('stop leaves the run journaled and resumable, and resume finishes it', async () => {
    const { outcome, session, world } = await runWith(stepId, 'stop');
    expect(outcome).toBe('failed');
    expect(session.unfinishedRun()?.steps.find((s) => s.id === stepId)?.state).toBe('failed');
    expect(await session.resume()).toBe('failed-over');
    expect(redirectInstances(world)).toHaveLength(1);
  });
});

describe('failures of read-only steps', () => {
  it('a maintenance site that is down fails verification; rollback restores everything', async () => {
    const world = new FakeWorld();
    world.maintenanceUp = false;
    const operator = new ScriptedOperator(
      () => 'run',
      () => 'rollback',
    );
    const { session } = await openFake(
      world,
      fakeRunbook([...EMERGENCY_STEPS.slice(0, 4), { type: 'verify-maintenance', timeoutSeconds: 10 }]),
      tempDir(),
      { operator },
    );
    expect(await session.failover()).toBe('rolled-back');
    expect(operator.failures[0]?.step.id).toBe('verify-maintenance');
    expect(operator.failures[0]?.error.code).toBe('Timeout');
    expectOriginalState(world);
  });

  it('throttling while waiting shows as progress, not failure', async () => {
    const world = new FakeWorld();
    const { session, events } = await openFake(world, runbook, tempDir());
    // Let register-redirect's read-back through, then throttle the wait step's first three polls.
    world.failNext('DescribeTargetHealth', throttled('DescribeTargetHealth'), 3, 1);
    expect(await session.failover()).toBe('failed-over');
    expect(events.filter((e) => e.type === 'step-failed')).toEqual([]);
    // The wait polls through it (one policy: no retry layered under the poll), saying so as progress.
    const progress = events
      .filter((e) => e.type === 'step-progress' && e.stepId === 'wait-redirect-healthy')
      .map((e) => (e.type === 'step-progress' ? e.message : ''));
    expect(
      progress.filter((m) => m.includes('throttling DescribeTargetHealth') && m.includes('still waiting')).length,
    ).toBeGreaterThan(0);
    expect(world.calls.filter((c) => c === 'DescribeTargetHealth').length).toBeGreaterThan(4);
  });
});

describe('rollback', () => {
  it('works from the journal alone, in a later process, after the failover finished', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const first = await openFake(world, runbook, dir);
    expect(await first.session.failover()).toBe('failed-over');

    const second = await openFake(world, runbook, dir, { identity: { user: 'bob', host: 'laptop-2', pid: 4242 } });
    expect(second.session.env.webTargets).toEqual([]);
    expect(await second.session.rollback()).toBe('rolled-back');
    expectOriginalState(world);
    const records = journalIn(dir);
    expect(records.find((r) => r.kind === 'rollback-started')).toMatchObject({ operator: { user: 'bob' } });
    const undoOrder = records
      .filter((r) => r.kind === 'undo-succeeded')
      .map((r) => (r.kind === 'undo-succeeded' ? r.stepId : ''));
    expect(undoOrder).toEqual(['deregister-web', 'register-redirect', 'launch-redirect']);
    expect(second.session.unfinishedRun()).toBeUndefined();
  });

  it('carries on past an undo that fails, reports it, and can be run again', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const { session } = await openFake(world, runbook, dir);
    await session.failover();
    world.failNext('TerminateInstances', accessDenied('ec2:TerminateInstances'));
    expect(await session.rollback()).toBe('rollback-incomplete');
    for (const id of world.webIds()) expect(world.targets.get(id)?.state).toBe('healthy');
    expect(session.unfinishedRun()?.phase).toBe('rollback-incomplete');
    expect(await session.rollback()).toBe('rolled-back');
    expectOriginalState(world);
  });

  it('refuses when there is nothing to roll back', async () => {
    const { session } = await openFake(new FakeWorld(), runbook, tempDir());
    await expect(session.rollback()).rejects.toThrow(/no run of this runbook to roll back/);
  });
});
