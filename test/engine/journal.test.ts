import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  JournalCorruptError,
  listJournals,
  newRunId,
  openFileJournal,
  parseJournal,
  readJournal,
} from '../../src/engine/journal.js';
import { acquireLock, readLock } from '../../src/engine/lock.js';
import { summarize, partialOutputs, isInDoubt } from '../../src/engine/run-summary.js';
import { RefusedError } from '../../src/domain/errors.js';
import { tempDir } from '../helpers/engine.js';

const who = { user: 'alice', host: 'laptop', pid: process.pid };

/** A whole run-started record, as one journal line. */
const START = JSON.stringify({
  v: 1,
  seq: 1,
  at: 1,
  runId: 'r',
  kind: 'run-started',
  runbook: 'demo',
  runbookFile: 'demo.yaml',
  runbookSha256: 'ab',
  mode: 'live',
  operator: who,
  steps: [],
});

function start(dir: string, runId = '20261121T030000Z-0001') {
  const j = openFileJournal(dir, 'demo', runId);
  j.append({
    kind: 'run-started',
    runbook: 'demo',
    runbookFile: 'demo.yaml',
    runbookSha256: 'ab',
    mode: 'live',
    operator: who,
    steps: [{ id: 'deregister-web', type: 'deregister-web', mutating: true }],
  });
  return j;
}

describe('journal files', () => {
  it('are JSON lines, numbered, and created 0600 in a 0700 directory', () => {
    const dir = join(tempDir(), 'state');
    const j = start(dir);
    j.append({ kind: 'step-started', stepId: 'deregister-web', attempt: 1 });
    j.close();
    expect(statSync(j.path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const lines = readFileSync(j.path, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; kind: string });
    expect(lines.map((l) => [l.seq, l.kind])).toEqual([
      [1, 'run-started'],
      [2, 'step-started'],
    ]);
  });

  it('a torn last line is reported, not fatal', () => {
    const { records, tornBytes } = parseJournal(`${START}\n{"v":1,"seq":2,"ki`, 'x.jsonl');
    expect(records).toHaveLength(1);
    expect(tornBytes).toBe(18);
  });

  it('a corrupt line in the middle is a clear error naming file and line', () => {
    const text = `${START}\nnot json\n{"v":1,"seq":3,"kind":"x"}\n`;
    expect(() => parseJournal(text, 'runs/x.jsonl')).toThrow(JournalCorruptError);
    expect(() => parseJournal(text, 'runs/x.jsonl')).toThrow(/^runs\/x\.jsonl:2: the journal is corrupt/);
  });

  it('reopening continues the sequence', () => {
    const dir = tempDir();
    start(dir).close();
    const again = openFileJournal(dir, 'demo', '20261121T030000Z-0001');
    expect(again.append({ kind: 'run-resumed', operator: who }).seq).toBe(2);
    again.close();
  });

  it('lists runs of a runbook oldest first, by run id', () => {
    const dir = tempDir();
    start(dir, newRunId(Date.UTC(2026, 0, 2))).close();
    start(dir, newRunId(Date.UTC(2026, 0, 1))).close();
    writeFileSync(join(dir, 'other--20260101T000000Z-0000.jsonl'), '');
    const files = listJournals(dir, 'demo');
    expect(files.map((f) => /demo--(\d{8}T\d{6}\.\d{3}Z)-/.exec(f)?.[1])).toEqual([
      '20260101T000000.000Z',
      '20260102T000000.000Z',
    ]);
  });
});

describe('run summary', () => {
  it('marks a call with an intent and no result as in doubt, with its before-state available for undo', () => {
    const dir = tempDir();
    const j = start(dir);
    j.append({ kind: 'step-started', stepId: 'deregister-web', attempt: 1 });
    j.append({
      kind: 'intent',
      stepId: 'deregister-web',
      attempt: 1,
      callId: 'deregister-web#1.1',
      call: { service: 'elbv2', operation: 'DeregisterTargets', params: {} },
      before: { targets: [{ id: 'i-1', port: 80, availabilityZone: null }] },
    });
    j.close();
    const s = summarize(readJournal(j.path).records);
    const step = s.steps[0]!;
    expect(isInDoubt(step)).toBe(true);
    expect(step.state).toBe('running');
    expect(partialOutputs(step)).toEqual({ targets: [{ id: 'i-1', port: 80, availabilityZone: null }] });
    expect(s.phase).toBe('failing-over');
  });
});

describe('locks', () => {
  it('refuse a second holder and name the first; a dead holder on this host is taken over', async () => {
    const dir = tempDir();
    const lock = acquireLock(dir, 'demo', who, 'failover');
    expect(statSync(join(dir, 'demo.lock')).mode & 0o777).toBe(0o600);
    expect(() => acquireLock(dir, 'demo', { ...who, user: 'bob' }, 'rollback')).toThrow(RefusedError);
    expect(() => acquireLock(dir, 'demo', { ...who, user: 'bob' }, 'rollback')).toThrow(/locked by alice@laptop/);
    lock.release();
    expect(readLock(dir, 'demo')).toBeUndefined();

    const { hostname } = await import('node:os');
    writeFileSync(
      join(dir, 'demo.lock'),
      JSON.stringify({
        user: 'ghost',
        host: hostname(),
        pid: 2 ** 22 + 99,
        runbook: 'demo',
        command: 'failover',
        since: 0,
      }),
    );
    const taken = acquireLock(dir, 'demo', who, 'resume');
    expect(readLock(dir, 'demo')?.user).toBe('alice');
    taken.release();
  });
});
