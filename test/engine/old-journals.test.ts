import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../src/engine/journal.js';
import type { Runbook } from '../../src/runbook/schema.js';
import { openFake, tempDir } from '../helpers/engine.js';
import { effects, restoreWorld, type WorldSnapshot } from '../helpers/world-snapshot.js';

/**
 * Journals written by an earlier version (commit 8715e67, before the step contracts; see
 * `test/fixtures/journals/README.md`), each with the fake world as it was before the failover and
 * when the journal ended: this version must still roll every one back, and resume the ones a crash
 * left in doubt.
 */

const FIXTURES = join(import.meta.dirname, '../fixtures/journals');

interface Fixture {
  readonly journal: string;
  readonly before: WorldSnapshot;
  readonly after: WorldSnapshot;
  readonly runbook: Runbook;
}

function fixture(name: string): Fixture {
  const dir = join(FIXTURES, name);
  const journal = join(dir, readdirSync(dir).find((f) => f.endsWith('.jsonl'))!);
  const read = (file: string): WorldSnapshot => JSON.parse(readFileSync(join(dir, file), 'utf8')) as WorldSnapshot;
  const first = readJournal(journal).records[0];
  if (first?.kind !== 'run-started') throw new Error(`${journal} does not start a run`);
  return {
    journal,
    before: read('world-before.json'),
    after: read('world-after.json'),
    runbook: first.runbookContent as unknown as Runbook,
  };
}

/** A journal directory holding the fixture's journal, and the world it left, to act on. */
async function open(name: string) {
  const f = fixture(name);
  const dir = tempDir();
  copyFileSync(f.journal, join(dir, f.journal.split('/').at(-1)!));
  const world = restoreWorld(f.after);
  return { f, world, dir, harness: await openFake(world, f.runbook, dir, { mode: 'live' }) };
}

const FAILED_OVER = [
  'redirect-failed-over',
  'redirect-spare-failed-over',
  'listener-cover-failed-over',
  'listener-replace-failed-over',
  'dns-failed-over',
  'dns-alias-new-record',
];
const IN_DOUBT = ['redirect-in-doubt-launch', 'redirect-in-doubt-deregister', 'listener-in-doubt', 'dns-in-doubt'];

describe('journals written by an earlier version', () => {
  it.each([...FAILED_OVER, ...IN_DOUBT])(
    '%s: rollback gives the world back as it was before the failover',
    async (name) => {
      const { f, world, harness } = await open(name);
      expect(effects(world)).not.toEqual(effects(f.before));
      expect(await harness.session.rollback()).toBe('rolled-back');
      expect(effects(world)).toEqual(effects(f.before));
    },
  );

  it.each(IN_DOUBT)(
    '%s: resume verifies the step in doubt, finishes the failover, and rollback undoes it all',
    async (name) => {
      const { f, world, dir, harness } = await open(name);
      expect(await harness.session.resume()).toBe('failed-over');
      expect(
        [...world.instances.values()].filter((i) => i.tags['hotspare:run'] !== undefined && i.state !== 'terminated'),
      ).toHaveLength(name.startsWith('redirect') ? 1 : 0);
      const again = await openFake(world, f.runbook, dir, { mode: 'live' });
      expect(await again.session.rollback()).toBe('rolled-back');
      expect(effects(world)).toEqual(effects(f.before));
    },
  );
});
