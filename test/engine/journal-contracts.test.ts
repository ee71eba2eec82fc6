import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../src/engine/journal.js';
import type { Runbook, StepType } from '../../src/runbook/schema.js';
import { stepDefinition } from '../../src/steps/index.js';
import { checkWritten } from '../../src/steps/journal-contract.js';
import { openFake, tempDir } from '../helpers/engine.js';
import { effects, restoreWorld, type WorldSnapshot } from '../helpers/world-snapshot.js';

/**
 * Each step declares what it journals (zod schemas for its compensation state and its outputs,
 * src/steps/*.journal.ts); the journal checks them when written and when read back. The fixture
 * journals (written before the contracts, test/fixtures/journals) are what earlier versions wrote.
 */

const FIXTURES = join(import.meta.dirname, '../fixtures/journals');
const NAMES = readdirSync(FIXTURES).filter((n) => !n.endsWith('.md'));

function journalFile(name: string): string {
  const dir = join(FIXTURES, name);
  return join(dir, readdirSync(dir).find((f) => f.endsWith('.jsonl'))!);
}

describe('the step contracts describe what the earlier version wrote', () => {
  it.each(NAMES)('%s: every before, result and step-succeeded record is exactly what its step declares', (name) => {
    const { records } = readJournal(journalFile(name));
    const started = records[0];
    if (started?.kind !== 'run-started') throw new Error('no run-started');
    const typeOf = new Map(started.steps.map((s) => [s.id, s.type as StepType]));
    let checked = 0;
    for (const r of records) {
      if (r.kind !== 'intent' && r.kind !== 'result' && r.kind !== 'step-succeeded') continue;
      const step = { id: r.stepId, type: typeOf.get(r.stepId)! };
      const { journal } = stepDefinition(step.type);
      if (r.kind === 'intent') checkWritten(journal, 'before', step, r.before);
      if (r.kind === 'result') checkWritten(journal, 'outputs', step, r.outputs);
      if (r.kind === 'step-succeeded') checkWritten(journal, 'state', step, r.outputs);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('a step that journals what it did not declare', () => {
  it('is a bug, named with the step and the field', () => {
    const listener = { id: 'set-listener-redirect', type: 'set-listener-redirect' as const };
    const { journal } = stepDefinition('set-listener-redirect');
    expect(() => checkWritten(journal, 'before', listener, { previousActions: 'forward' })).toThrow(
      expect.objectContaining({
        kind: 'bug',
        code: 'StepContract',
        message: expect.stringContaining('previousActions: expected array, got string'),
      }),
    );
    const launch = { id: 'launch', type: 'launch-redirect' as const };
    expect(() =>
      checkWritten(stepDefinition('launch-redirect').journal, 'outputs', launch, { instanceId: 'i-1', extra: 1 }),
    ).toThrow(
      expect.objectContaining({
        code: 'StepContract',
        message: expect.stringContaining('not a field of this step (extra)'),
      }),
    );
    expect(() =>
      checkWritten(stepDefinition('launch-redirect').journal, 'outputs', launch, { instanceId: 'i-1', spare: true }),
    ).not.toThrow();
  });
});

describe('a journal whose state this version does not read', () => {
  /** The redirect fixture with the suspend-scaling step's compensation state changed: the step undone last. */
  function mismatched(dir: string): { runbook: Runbook; after: WorldSnapshot; file: string } {
    const source = journalFile('redirect-failed-over');
    const text = readFileSync(source, 'utf8').replace(
      '"before":{"scaling:web-asg":{"suspendedByHotspare":["Launch"',
      '"before":{"scaling:web-asg":{"suspendedByHotspare":"Launch","x":["Launch"',
    );
    expect(text).not.toBe(readFileSync(source, 'utf8'));
    const file = join(dir, source.split('/').at(-1)!);
    writeFileSync(file, text, { mode: 0o600 });
    const first = readJournal(file).records[0];
    if (first?.kind !== 'run-started') throw new Error('no run-started');
    const after = JSON.parse(
      readFileSync(join(FIXTURES, 'redirect-failed-over/world-after.json'), 'utf8'),
    ) as WorldSnapshot;
    return { runbook: first.runbookContent as unknown as Runbook, after, file };
  }

  it('rollback refuses it whole, naming the step, the field and what was expected, and changes nothing', async () => {
    const dir = tempDir();
    const { runbook, after, file } = mismatched(dir);
    const world = restoreWorld(after);
    const before = effects(world);
    const lines = readFileSync(file, 'utf8');
    const harness = await openFake(world, runbook, dir, { mode: 'live' });
    const error = await harness.session.rollback().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      kind: 'usage',
      code: 'JournalMismatch',
      message: expect.stringMatching(
        /step suspend-scaling \(suspend-scaling\).*scaling:web-asg\.suspendedByHotspare: expected array, got string.*Nothing was changed/,
      ),
    });
    // Nothing undone, not even the steps undone before suspend-scaling would be; nothing journaled.
    expect(effects(world)).toEqual(before);
    expect(world.calls.filter((c) => !c.startsWith('Describe') && !c.startsWith('Get'))).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe(lines);
  });

  it('resume refuses it too, before running anything', async () => {
    const dir = tempDir();
    const { runbook, after, file } = mismatched(dir);
    // The run ends failed-over; take its last records away so there is something to resume.
    const kept = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.includes('"kind":"run-finished"'));
    writeFileSync(file, `${kept.join('\n')}\n`, { mode: 0o600 });
    const world = restoreWorld(after);
    const before = effects(world);
    const harness = await openFake(world, runbook, dir, { mode: 'live' });
    await expect(harness.session.resume()).rejects.toMatchObject({
      code: 'JournalMismatch',
      message: expect.stringContaining('suspend-scaling'),
    });
    expect(effects(world)).toEqual(before);
  });
});
