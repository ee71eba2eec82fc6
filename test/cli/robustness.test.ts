import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/output/report-error.js';
import { UsageError } from '../../src/domain/errors.js';
import { tempDir } from '../helpers/engine.js';
import { hotspare, requireBuiltCli } from '../helpers/cli.js';

beforeAll(requireBuiltCli);

const NO_STACK = /\n\s+at .+:\d+:\d+\)?/;

describe('bad runbook files are usage errors, never a hang or a crash', () => {
  it('an alias bomb', () => {
    const file = join(tempDir(), 'bomb.yaml');
    const levels = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `b${i}: &b${i} [${Array(10)
            .fill(i === 0 ? '*a' : `*b${i - 1}`)
            .join(', ')}]`,
      ),
    ];
    writeFileSync(file, `${levels.join('\n')}\n`);
    const r = hotspare('validate', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/too many YAML aliases/);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it('a FIFO, a device and a directory', () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    for (const file of [fifo, '/dev/urandom', dir]) {
      const r = hotspare('validate', file);
      expect([file, r.status]).toEqual([file, 2]);
      expect(r.stderr).toMatch(/expected a regular file|it is a directory/);
    }
  });

  it('a runbook larger than any runbook is refused at once', () => {
    const file = join(tempDir(), 'huge.yaml');
    writeFileSync(file, `name: demo\ndescription: "${'x'.repeat(1_000_000)}"\n`);
    const r = hotspare('validate', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/a runbook is at most 262144 bytes/);
  });
});

describe('state-file problems name the path and the fix', () => {
  it('a file where the journal directory should be: exit 2, no stack', () => {
    const file = join(tempDir(), 'state');
    writeFileSync(file, '');
    const r = hotspare(
      'failover',
      'runbooks/sandbox.yaml',
      '--sandbox',
      '--yes',
      '--speed',
      '50',
      '--journal-dir',
      file,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file} is in the way`);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it('status with an empty journal (a run that never started) reports, not crashes', () => {
    const dir = join(tempDir(), 'state');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'sandbox-drill--20990101T000000Z-0000.jsonl'), '', { mode: 0o600 });
    const r = hotspare('status', 'runbooks/sandbox.yaml', '--sandbox', '--journal-dir', dir);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No run of sandbox-drill');
  });
});

describe('a live rollback without a terminal', () => {
  it('needs --yes: exit 2 with what to do, nothing sent', () => {
    const r = hotspare('rollback', 'runbooks/emergency-mode.yaml', '--journal-dir', tempDir());
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('A live rollback must be confirmed, and there is no terminal to confirm on.');
    expect(r.stderr).toContain('pass --yes');
  });
});

describe('errors with --json', () => {
  it('are one JSON object on stdout with the exit code', () => {
    const r = hotspare('failover', 'no-such.yaml', '--json');
    expect(r.status).toBe(2);
    const body = JSON.parse(r.stdout) as { error: { code: string; message: string }; exitCode: number };
    expect(body).toMatchObject({ error: { code: 'InvalidRunbook' }, exitCode: 2 });
    expect(body.error.message).toContain('no such file');
  });
});

describe('unexpected errors', () => {
  it('print one line of what happened and one of what to do; the stack goes to the error log (0600)', () => {
    const dir = join(tempDir(), 'state');
    const out: string[] = [];
    const err: string[] = [];
    const code = reportError(
      new TypeError('boom'),
      { json: false, debug: false, stateDir: dir, argv: ['failover', 'x.yaml'], now: 0 },
      (l) => out.push(l),
      (l) => err.push(l),
    );
    expect(code).toBe(1);
    expect(err).toHaveLength(2);
    expect(err[0]).toBe('hotspare: internal error: boom');
    expect(err[1]).toContain(join(dir, 'errors.log'));
    expect(err.join('\n')).not.toMatch(NO_STACK);
    const log = join(dir, 'errors.log');
    expect(readFileSync(log, 'utf8')).toMatch(/TypeError: boom\n\s+at /);
    expect(statSync(log).mode & 0o777).toBe(0o600);
  });

  it('--debug adds the stack; operator errors never log one', () => {
    const dir = join(tempDir(), 'state');
    const err: string[] = [];
    reportError(
      new TypeError('boom'),
      { json: false, debug: true, stateDir: dir, argv: [], now: 0 },
      () => undefined,
      (l) => err.push(l),
    );
    expect(err.join('\n')).toMatch(NO_STACK);
    const usage: string[] = [];
    expect(
      reportError(
        new UsageError('bad flag', { code: 'BadFlag', nextSteps: 'fix it' }),
        { json: false, debug: false, stateDir: join(tempDir(), 's'), argv: [], now: 0 },
        () => undefined,
        (l) => usage.push(l),
      ),
    ).toBe(2);
    expect(usage).toEqual(['hotspare: bad flag', 'next: fix it']);
  });
});
