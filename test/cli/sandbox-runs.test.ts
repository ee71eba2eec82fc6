import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, hotspareIn, requireBuiltCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';

/**
 * Sandbox runs journal in a directory of their own per process, under the state directory: the CLI
 * prints it, later commands with --sandbox find the latest run, and only the last 20 are kept.
 */

beforeAll(requireBuiltCli);

const FAST = ['--sandbox', '--yes', '--speed', '50', '--traffic-rate', '5'];

function journalLine(stdout: string): string {
  const dir = /^Sandbox journal: (.+)$/m.exec(stdout)?.[1];
  if (dir === undefined) throw new Error(`no journal line in:\n${stdout}`);
  return dir;
}

describe('sandbox runs can be found again', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let journal: string;
  let runId: string;

  beforeAll(async () => {
    home = tempDir('hotspare-sbx-');
    env = cleanEnv(home);
    const r = await hotspareIn({ env }, 'failover', 'runbooks/sandbox', ...FAST);
    expect(r.status, r.stderr).toBe(0);
    journal = journalLine(r.stdout);
    runId = /Starting run (\S+) of/.exec(r.stdout)?.[1] ?? '';
    expect(r.stdout).toContain(
      'The simulated account ends with this process; its journal stays (`hotspare timeline --sandbox` shows the run).',
    );
    expect(r.stdout).not.toContain('RUNBOOK');
  });

  it('prints the journal directory, under the state directory', () => {
    expect(journal.startsWith(join(home, 'state', 'hotspare', 'sandbox', ''))).toBe(true);
    expect(readdirSync(journal).some((f) => f.endsWith(`--${runId}.jsonl`))).toBe(true);
  });

  it('timeline --sandbox finds the latest sandbox run; by run id or runbook too', async () => {
    for (const args of [[], [runId], ['runbooks/sandbox.yaml']]) {
      const r = await hotspareIn({ env }, 'timeline', ...args, '--sandbox');
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe(`# Incident timeline: sandbox-drill, run ${runId}`);
    }
  });

  it("the timeline's who falls back to the system's user name without USER or LOGNAME", async () => {
    const r = await hotspareIn({ env }, 'timeline', '--sandbox');
    expect(env['USER']).toBeUndefined();
    expect(r.stdout).toContain(`- Started by ${userInfo().username}@${hostname()} at `);
  });

  it('rollback --sandbox explains that the simulated account ended, with where the run is', async () => {
    const r = await hotspareIn({ env }, 'rollback', 'runbooks/sandbox', '--sandbox');
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`hotspare: The latest sandbox run of sandbox-drill (${runId}: failed-over,`);
    expect(r.stderr).toContain('ended with the process that ran it');
    expect(r.stderr).toContain(`\`hotspare timeline ${runId} --sandbox\``);
    expect(r.stderr).toContain('`hotspare drill runbooks/sandbox.yaml --sandbox`');
  });

  it('status --sandbox reports the latest sandbox run', async () => {
    const r = await hotspareIn({ env }, 'status', 'runbooks/sandbox', '--sandbox');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Latest run ${runId}: failed-over`);
  });

  it('with no sandbox run: says there is none and how to rehearse', async () => {
    const r = await hotspareIn(
      { env: cleanEnv(tempDir('hotspare-sbx-none-')) },
      'resume',
      'runbooks/sandbox',
      '--sandbox',
    );
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('No sandbox run of sandbox-drill');
  });
});

describe('a sandbox run kept with --journal-dir', () => {
  it('is found there: the printed timeline command works, rollback --sandbox explains', async () => {
    const env = cleanEnv(tempDir('hotspare-next-'));
    const dir = join(tempDir(), 'my journal');
    const failover = await hotspareIn({ env }, 'failover', 'runbooks/sandbox', ...FAST, '--journal-dir', dir);
    expect(failover.status, failover.stderr).toBe(0);
    const command = /its journal stays \(`(hotspare [^`]+)` shows the run\)/.exec(failover.stdout)?.[1];
    expect(command).toBe(`hotspare timeline --journal-dir '${dir}'`);
    const timeline = await hotspareIn({ env }, 'timeline', '--journal-dir', dir);
    expect(timeline.stdout).toMatch(/^# Incident timeline: sandbox-drill, run /);
    const rollback = await hotspareIn(
      { env },
      'rollback',
      'runbooks/sandbox.yaml',
      '--sandbox',
      '--journal-dir',
      dir,
      '--yes',
    );
    expect(rollback.status).toBe(3);
    expect(rollback.stderr).toContain('ended with the process that ran it');
    expect(rollback.stderr).toContain(`Its journal is in ${dir}:`);
    // A new sandbox is another account: the run left there does not block a new drill in the same folder.
    const again = await hotspareIn({ env }, 'drill', 'runbooks/sandbox', ...FAST, '--journal-dir', dir);
    expect(again.status, again.stderr).toBe(0);
  });
});

describe('old sandbox journals', () => {
  it('only the last 20 are kept', async () => {
    const home = tempDir('hotspare-prune-');
    const root = join(home, 'state', 'hotspare', 'sandbox');
    // 25 earlier runs of processes long gone (pid 4194304 is above Linux's pid_max).
    const old = Array.from({ length: 25 }, (_, i) => `${1_700_000_000_000 + i}-4194304`);
    for (const name of old) {
      mkdirSync(join(root, name), { recursive: true });
      writeFileSync(join(root, name, 'x--1.jsonl'), '');
    }
    writeFileSync(join(root, 'notes.txt'), 'not a run');
    const r = await hotspareIn({ env: cleanEnv(home) }, 'drill', 'runbooks/sandbox', ...FAST);
    expect(r.status, r.stderr).toBe(0);
    const left = readdirSync(root).sort();
    expect(left).toHaveLength(21);
    expect(left).toContain('notes.txt');
    expect(left).toContain(journalLine(r.stdout).slice(root.length + 1));
    expect(left.filter((n) => old.includes(n))).toEqual(old.slice(-19));
  });
});

describe('XDG_STATE_HOME', () => {
  it.each([[''], ['relative/state']])('"%s" is ignored: ~/.local/state is used', async (value) => {
    const home = tempDir('hotspare-xdg-');
    const r = await hotspareIn(
      { env: cleanEnv(home, { XDG_STATE_HOME: value }), cwd: home },
      'failover',
      resolve('runbooks/sandbox.yaml'),
      ...FAST.slice(0, 4),
    );
    expect(r.status, r.stderr).toBe(0);
    expect(journalLine(r.stdout).startsWith(join(home, '.local', 'state', 'hotspare', 'sandbox', ''))).toBe(true);
    expect(existsSync(join(home, 'relative'))).toBe(false);
  });
});
