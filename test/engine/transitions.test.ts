import { describe, expect, it } from 'vitest';
import { accessDenied } from '../../src/domain/failures.js';
import type { EngineEvent } from '../../src/engine/events.js';
import type { JournalRecord } from '../../src/engine/journal-records.js';
import { EMERGENCY_STEPS, FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { journalIn, openFake, ScriptedOperator, tempDir } from '../helpers/engine.js';

/**
 * Every transition of a run is journaled and emitted by one function (engine/transitions.ts): the
 * journal and the events the operator sees tell the same story, record for event, in order.
 */

const EVENT_OF: Partial<Record<JournalRecord['kind'], (r: JournalRecord) => string>> = {
  'step-started': (r) => `step-started ${stepOf(r)}`,
  verified: (r) => `verification ${stepOf(r)}`,
  'step-succeeded': (r) => `step-succeeded ${stepOf(r)}`,
  'step-failed': (r) => `step-failed ${stepOf(r)}`,
  'step-skipped': (r) => `step-skipped ${stepOf(r)}`,
  intent: (r) => `call intent ${stepOf(r)}`,
  result: (r) => `call result ${stepOf(r)}`,
  'call-failed': (r) => `call failed ${stepOf(r)}`,
  'rollback-started': () => 'rollback-started',
  'undo-started': (r) => `undo-started ${stepOf(r)}`,
  'undo-succeeded': (r) => `undo-succeeded ${stepOf(r)}`,
  'undo-skipped': (r) => `undo-skipped ${stepOf(r)}`,
  'undo-failed': (r) => `undo-failed ${stepOf(r)}`,
};

function stepOf(r: JournalRecord): string {
  return 'stepId' in r ? r.stepId : '';
}

function eventText(e: EngineEvent): string | undefined {
  switch (e.type) {
    case 'call':
      return `call ${e.phase} ${e.stepId}`;
    case 'rollback-started':
      return 'rollback-started';
    case 'step-started':
    case 'verification':
    case 'step-succeeded':
    case 'step-failed':
    case 'step-skipped':
    case 'undo-started':
    case 'undo-succeeded':
    case 'undo-skipped':
    case 'undo-failed':
      return `${e.type} ${e.stepId}`;
    default:
      return undefined;
  }
}

describe('journal records and engine events', () => {
  it('a failover with a refused call, a retry and a rollback: one event per transition record, in order', async () => {
    const world = new FakeWorld();
    world.failNext('RegisterTargets', accessDenied('elasticloadbalancing:RegisterTargets'));
    const dir = tempDir();
    let failures = 0;
    const operator = new ScriptedOperator(
      () => 'run',
      () => (++failures === 1 ? 'retry' : 'rollback'),
    );
    const { session, events } = await openFake(world, fakeRunbook(EMERGENCY_STEPS), dir, { operator });
    expect(await session.failover()).toBe('failed-over');
    expect(await session.rollback()).toBe('rolled-back');
    const fromJournal = journalIn(dir).flatMap((r) => {
      const text = EVENT_OF[r.kind]?.(r);
      return text === undefined ? [] : [text];
    });
    const fromEvents = events.flatMap((e) => {
      const text = eventText(e);
      return text === undefined ? [] : [text];
    });
    expect(fromJournal).toContain('call failed register-redirect');
    expect(fromJournal).toContain('undo-succeeded launch-redirect');
    expect(fromEvents).toEqual(fromJournal);
  });
});
