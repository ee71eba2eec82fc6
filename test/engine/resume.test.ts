import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EMERGENCY_STEPS, FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { journalFile, journalIn, openFake, tempDir, until } from '../helpers/engine.js';

const runbook = fakeRunbook(EMERGENCY_STEPS);
/** A process that is gone: its lock is stale. */
const DEAD = { user: 'alice', host: (await import('node:os')).hostname(), pid: 2 ** 22 + 12345 };

/**
 * Simulate a crash between RunInstances reaching AWS and its result being journaled: the fake
 * creates the instance and never answers; the "process" is abandoned with its lock left behind.
 */
async function crashDuringLaunch(world: FakeWorld, dir: string): Promise<void> {
  world.hang.add('RunInstances');
  const crashed = await openFake(world, runbook, dir, { identity: DEAD });
  void crashed.session.failover();
  const sent = (): boolean => {
    try {
      return journalIn(dir).some((r) => r.kind === 'intent' && r.call.operation === 'RunInstances');
    } catch {
      return false;
    }
  };
  await until(sent);
  world.hang.clear();
  // The lock file still names the dead pid; a new process must be able to take over.
  const lock = `${dir}/${runbook.name}.lock`;
  writeFileSync(lock, JSON.stringify({ ...DEAD, runbook: runbook.name, command: 'failover', since: 0 }));
}

describe('resume after a crash', () => {
  it('verifies the in-doubt launch by its tags and does not start a second instance', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    await crashDuringLaunch(world, dir);
    const records = journalIn(dir);
    expect(records.filter((r) => r.kind === 'result')).toEqual([]);

    const { session, events } = await openFake(world, runbook, dir);
    expect(session.unfinishedRun()?.steps[0]).toMatchObject({ id: 'launch-redirect', state: 'running' });
    expect(await session.resume()).toBe('failed-over');

    expect(world.calls.filter((c) => c === 'RunInstances')).toHaveLength(1);
    const launched = [...world.instances.values()].filter((i) => i.tags['hotspare:run'] !== undefined);
    expect(launched).toHaveLength(1);
    expect(world.targets.get(launched[0]!.id)?.state).toBe('healthy');
    expect(
      events.some(
        (e) => e.type === 'verification' && e.stepId === 'launch-redirect' && e.detail.startsWith('in doubt'),
      ),
    ).toBe(true);
  });

  it('rollback of a crashed run finds the in-doubt instance by its tags and terminates it', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    await crashDuringLaunch(world, dir);
    const { session } = await openFake(world, runbook, dir);
    expect(await session.rollback()).toBe('rolled-back');
    const launched = [...world.instances.values()].filter((i) => i.tags['hotspare:run'] !== undefined);
    expect(launched.map((i) => i.state)).toEqual(['terminated']);
  });

  it('tolerates a torn last line, reports it in the journal, and goes on', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const first = await openFake(world, runbook, dir, {
      operator: {
        confirmStep: async (r) => (r.step.id === 'deregister-web' ? 'stop' : 'run'),
        onFailure: async () => 'stop',
        confirmRollback: async () => 'run',
      },
    });
    expect(await first.session.failover()).toBe('aborted');
    const file = journalFile(dir);
    const torn = '{"v":1,"seq":99,"kind":"step-sta';
    appendFileSync(file, torn);

    const { session } = await openFake(world, runbook, dir);
    expect(await session.resume()).toBe('failed-over');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('"step-sta\n');
    expect(journalIn(dir).some((r) => r.kind === 'torn-tail-repaired' && r.bytes === torn.length)).toBe(true);
  });

  it('refuses to resume when the runbook steps changed since the run started', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const first = await openFake(world, runbook, dir, {
      operator: {
        confirmStep: async (r) => (r.step.id === 'deregister-web' ? 'stop' : 'run'),
        onFailure: async () => 'stop',
        confirmRollback: async () => 'run',
      },
    });
    await first.session.failover();
    const changed = fakeRunbook([...EMERGENCY_STEPS.slice(0, 3), { type: 'verify-maintenance' }]);
    const { session } = await openFake(world, changed, dir);
    await expect(session.resume()).rejects.toThrow(/steps changed/);
  });
});

describe('an in-doubt step is checked, not trusted', () => {
  it('intent journaled but the call never arrived: verify says it does not hold, so the step runs again', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    // Stop before register-redirect, then journal its intent as a crash right after writing it would leave it.
    const first = await openFake(world, runbook, dir, {
      operator: {
        confirmStep: async (r) => (r.step.id === 'register-redirect' ? 'stop' : 'run'),
        onFailure: async () => 'stop',
        confirmRollback: async () => 'run',
      },
    });
    expect(await first.session.failover()).toBe('aborted');
    const last = journalIn(dir).at(-1)!;
    const at = last.at;
    const stamp = (seq: number, body: object): string =>
      `${JSON.stringify({ v: 1, seq, at, runId: last.runId, ...body })}\n`;
    const call = { service: 'elbv2', operation: 'RegisterTargets', params: {} };
    appendFileSync(
      journalFile(dir),
      stamp(last.seq + 1, { kind: 'step-started', stepId: 'register-redirect', attempt: 1 }) +
        stamp(last.seq + 2, {
          kind: 'intent',
          stepId: 'register-redirect',
          attempt: 1,
          callId: 'register-redirect#1.1',
          call,
        }),
    );
    const redirectId = [...world.instances.values()].find((i) => i.tags['hotspare:run'] !== undefined)!.id;
    expect(world.targets.has(redirectId)).toBe(false);

    const { session } = await openFake(world, runbook, dir);
    expect(await session.resume()).toBe('failed-over');
    const records = journalIn(dir);
    expect(records.find((r) => r.kind === 'verified' && r.stepId === 'register-redirect')).toMatchObject({
      holds: false,
    });
    expect(
      records.filter(
        (r) => r.kind === 'intent' && r.call.operation === 'RegisterTargets' && r.stepId === 'register-redirect',
      ),
    ).toHaveLength(2);
    expect(world.targets.get(redirectId)?.state).toBe('healthy');
  });
});

describe('resume with a changed runbook', () => {
  it('is refused, naming the fields that changed', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const stopAtDeregister = {
      confirmStep: async (r: { step: { id: string } }) =>
        r.step.id === 'deregister-web' ? ('stop' as const) : ('run' as const),
      onFailure: async () => 'stop' as const,
      confirmRollback: async () => 'run' as const,
    };
    const first = await openFake(world, runbook, dir, {
      operator: stopAtDeregister,
      loaded: { sha256: 'a'.repeat(64) },
    });
    expect(await first.session.failover()).toBe('aborted');
    const edited = { ...runbook, maintenance: { ...runbook.maintenance, url: 'https://elsewhere.example.com/' } };
    const later = await openFake(world, runbook, dir, { loaded: { sha256: 'b'.repeat(64), runbook: edited } });
    await expect(later.session.resume()).rejects.toMatchObject({
      code: 'RunbookChanged',
      message: expect.stringContaining('these fields changed: maintenance.url'),
    });
    // The same file resumes.
    const same = await openFake(world, runbook, dir, { loaded: { sha256: 'a'.repeat(64) } });
    expect(await same.session.resume()).toBe('failed-over');
  });
});
