import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  JournalCorruptError,
  openFileJournal,
  parseJournal,
  readJournal,
  type JournalFs,
} from '../../src/engine/journal.js';
import { acquireLock, lockPath, readLock, removeStaleLock } from '../../src/engine/lock.js';
import { loadRun } from '../../src/engine/runs.js';
import { EMERGENCY_STEPS, FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { openFake, tempDir } from '../helpers/engine.js';

const who = { user: 'alice', host: 'laptop', pid: process.pid };
const START = {
  kind: 'run-started',
  runbook: 'demo',
  runbookFile: 'demo.yaml',
  runbookSha256: 'ab',
  mode: 'live',
  operator: who,
  steps: [],
} as const;
const line = (seq: number, body: object): string => JSON.stringify({ v: 1, seq, at: 1, runId: 'r', ...body });

describe('journal appends', () => {
  it('write and fsync each record before append returns', () => {
    const ops: string[] = [];
    const spy: JournalFs = {
      ...fs,
      writeSync: ((fd: number, data: string) => (ops.push('write'), fs.writeSync(fd, data))) as typeof fs.writeSync,
      fsyncSync: (fd) => (ops.push('fsync'), fs.fsyncSync(fd)),
    };
    const j = openFileJournal(tempDir(), 'demo', 'r', { fs: spy });
    j.append(START);
    expect(ops).toEqual(['write', 'fsync']);
    j.append({ kind: 'run-resumed', operator: who });
    expect(ops).toEqual(['write', 'fsync', 'write', 'fsync']);
    j.close();
  });

  it('a last record without its newline gets one before the next append', () => {
    const dir = tempDir();
    const j = openFileJournal(dir, 'demo', 'r');
    j.append(START);
    j.close();
    writeFileSync(j.path, readFileSync(j.path, 'utf8').trimEnd());
    const again = openFileJournal(dir, 'demo', 'r');
    again.append({ kind: 'run-resumed', operator: who });
    again.close();
    expect(readJournal(j.path).records.map((r) => r.kind)).toEqual(['run-started', 'run-resumed']);
  });

  it('ENOSPC and EACCES name the path and the fix, as operator errors', () => {
    for (const [code, pattern] of [
      ['ENOSPC', /disk is full writing the journal/],
      ['EACCES', /Permission denied writing the journal/],
    ] as const) {
      const failing: JournalFs = {
        ...fs,
        writeSync: (() => {
          throw Object.assign(new Error(code), { code });
        }) as typeof fs.writeSync,
      };
      const j = openFileJournal(tempDir(), 'demo', 'r', { fs: failing });
      expect(() => j.append(START)).toThrow(pattern);
      try {
        j.append(START);
      } catch (error) {
        expect((error as { kind: string }).kind).not.toBe('bug');
        expect((error as { nextSteps: string }).nextSteps).toBeTruthy();
      }
      j.close();
    }
  });
});

describe('journal reading', () => {
  it('a whole last line that is JSON but not a record is corruption named by file and line, not a crash', () => {
    for (const bad of ['null', '123', '{"v":1,"kind":"intent"}', '"x"']) {
      expect(() => parseJournal(`${line(1, START)}\n${bad}\n`, 'j.jsonl')).toThrow(JournalCorruptError);
      expect(() => parseJournal(`${line(1, START)}\n${bad}\n`, 'j.jsonl')).toThrow(/^j\.jsonl:2: /);
      // Without its newline it is a torn write: cut off, not fatal.
      expect(parseJournal(`${line(1, START)}\n${bad}`, 'j.jsonl')).toMatchObject({ tornBytes: bad.length });
    }
  });

  it('a journal with no run-started record is a run that never started: set aside, and the runbook goes on', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const runbook = fakeRunbook(EMERGENCY_STEPS);
    const empty = join(dir, `${runbook.name}--20990101T000000Z-0000.jsonl`);
    const torn = join(dir, `${runbook.name}--20990101T000001Z-0000.jsonl`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(empty, '', { mode: 0o600 });
    writeFileSync(torn, '{"v":1,"seq":1,"at":1,"runId":"x","kind":"run-sta', { mode: 0o600 });
    const { session, events } = await openFake(world, runbook, dir);
    expect(session.unfinishedRun()).toBeUndefined();
    expect(await session.failover()).toBe('failed-over');
    expect(existsSync(empty) || existsSync(torn)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.never-started'))).toHaveLength(2);
    expect(
      events.some((e) => e.type === 'log' && e.level === 'warn' && e.message.includes('the run never started')),
    ).toBe(true);
  });

  it('an empty journal is not moved while another process holds the lock (it may be writing its first record)', () => {
    const dir = tempDir();
    const file = join(dir, 'demo--20990101T000000Z-0000.jsonl');
    writeFileSync(file, '');
    expect(loadRun(file, { mayMove: () => false })).toBeUndefined();
    expect(existsSync(file)).toBe(true);
  });
});

describe('the journal directory', () => {
  it('a directory others can write is refused with the fix', () => {
    const dir = join(tempDir(), 'open');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    expect(() => openFileJournal(dir, 'demo', 'r')).toThrow(/can be written by other users \(mode 0777\)/);
    expect(() => acquireLock(dir, 'demo', who, 'failover')).toThrow(
      expect.objectContaining({ nextSteps: expect.stringContaining(`chmod 700 ${dir}`) }),
    );
  });

  it('a file where the directory should be is a usage error naming it', () => {
    const path = join(tempDir(), 'state');
    writeFileSync(path, 'not a directory');
    expect(() => openFileJournal(path, 'demo', 'r')).toThrow(/is in the way/);
  });
});

describe('stale lock takeover', () => {
  const stale = (dir: string): string => {
    const raw = JSON.stringify({
      user: 'ghost',
      host: hostname(),
      pid: 2 ** 22 + 77,
      runbook: 'demo',
      command: 'failover',
      since: 0,
    });
    writeFileSync(lockPath(dir, 'demo'), raw, { mode: 0o600 });
    return raw;
  };

  it('never removes a lock taken since the stale one was read', () => {
    const dir = tempDir();
    const raw = stale(dir);
    // B takes the stale lock over while A still holds what it read.
    const b = acquireLock(dir, 'demo', { ...who, user: 'bob' }, 'failover');
    // A now tries to remove "the stale lock": it must see it is not the one it read.
    expect(removeStaleLock(lockPath(dir, 'demo'), raw, who)).toBe(false);
    expect(readLock(dir, 'demo')?.user).toBe('bob');
    b.release();
  });

  it('of twelve racing processes exactly one takes a stale lock', async () => {
    const dir = tempDir();
    stale(dir);
    // The lock module as each process loads it: src/engine/lock.ts compiled by esbuild.
    const lockModule = join(tempDir(), 'lock.mjs');
    await build({
      entryPoints: ['src/engine/lock.ts'],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: lockModule,
    });
    // The winner holds the lock until every process has answered (its stdin closes then), however
    // slowly the machine starts twelve of them: a winner that exited early would leave a stale lock.
    const script = `
      import { acquireLock } from ${JSON.stringify(lockModule)};
      try { acquireLock(process.argv[1], 'demo', { user: 'u' + process.pid, host: ${JSON.stringify(hostname())}, pid: process.pid }, 'failover'); console.log('won'); process.stdin.resume(); }
      catch (e) { console.log('refused: ' + e.code); process.exit(0); }`;
    const children = Array.from({ length: 12 }, () =>
      spawn(process.execPath, ['--input-type=module', '-e', script, dir], { stdio: ['pipe', 'pipe', 'inherit'] }),
    );
    const closed = children.map((child) => new Promise((done) => child.once('close', done)));
    const runs = children.map(
      (child) =>
        new Promise<string>((resolve) => {
          let out = '';
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('\n')) resolve(out.trim());
          });
          child.on('close', () => resolve(out.trim()));
        }),
    );
    const results = await Promise.all(runs);
    for (const child of children) child.stdin.end();
    await Promise.all(closed);
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    expect(results.filter((r) => r !== 'won')).toEqual(Array(11).fill('refused: LockHeld'));
    expect(statSync(lockPath(dir, 'demo')).mode & 0o777).toBe(0o600);
  }, 30_000);
});

describe('the clock port', () => {
  it("stamps journal records: a fake clock gives fake times, not the machine's", async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const { session } = await openFake(world, fakeRunbook(EMERGENCY_STEPS), dir);
    const start = world.clock.now();
    await session.failover();
    const { records } = readJournal(join(dir, readdirSync(dir).find((f) => f.endsWith('.jsonl'))!));
    expect(records[0]?.at).toBe(start);
    expect(records.at(-1)!.at).toBe(world.clock.now());
  });

  it("stamps the store's own log lines", async () => {
    const { createAppStore } = await import('../../src/store/app-store.js');
    const store = createAppStore({ runbook: 'r', mode: 'sandbox', region: 'us-east-1', now: () => 42 });
    expect(store.getState().now()).toBe(42);
  });
});
