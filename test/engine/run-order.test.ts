import { afterEach, describe, expect, it, vi } from 'vitest';
import { listJournals, newRunId, openFileJournal } from '../../src/engine/journal.js';
import { FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { openFake, tempDir } from '../helpers/engine.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const START = Date.UTC(2026, 10, 21, 3, 0, 0);

describe('runs started within one second keep their order', () => {
  it('run ids sort by start time, whatever their random suffixes', () => {
    const dir = tempDir();
    const first = newRunId(START + 100, () => 0.99);
    const second = newRunId(START + 900, () => 0.01);
    for (const id of [second, first]) openFileJournal(dir, 'demo', id).close();
    expect(listJournals(dir, 'demo').map((f) => f.slice(f.indexOf('--') + 2, -'.jsonl'.length))).toEqual([
      first,
      second,
    ]);
  });

  it('failover, rollback and failover again within one second: the rollback undoes the new run', async () => {
    const world = new FakeWorld();
    const runbook = fakeRunbook([{ type: 'set-listener-redirect' }]);
    const dir = tempDir();
    const random = vi.spyOn(Math, 'random');
    const { session } = await openFake(world, runbook, dir);
    random.mockReturnValue(0.99);
    world.clock.t = START + 100;
    expect(await session.failover()).toBe('failed-over');
    expect(await session.rollback()).toBe('rolled-back');
    random.mockReturnValue(0.01);
    world.clock.t = START + 900;
    expect(await session.failover()).toBe('failed-over');
    expect(session.latestRun()?.phase).toBe('failed-over');
    expect(await session.rollback()).toBe('rolled-back');
  });
});
