import { chmodSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { journalPath, memoryJournal } from '../../src/engine/journal.js';
import type { JournalRecord, OperatorIdentity, RunPurpose } from '../../src/engine/journal-records.js';
import { lockPath } from '../../src/engine/lock.js';
import type { StepType } from '../../src/runbook/schema.js';
import { cleanEnv, hotspareIn, requireBuiltCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';

/**
 * `hotspare runs`: the journaled runs, newest first, through the built CLI, from a real sandbox
 * failover and from journals of runs in every state a list can show.
 */

beforeAll(requireBuiltCli);

const alice: OperatorIdentity = { user: 'alice', host: 'ops-laptop', pid: 4242 };
const bob: OperatorIdentity = { user: 'bob', host: 'bastion', pid: 77 };

type Step = { readonly id: string; readonly type: StepType; readonly mutating: boolean };
const REDIRECT: readonly Step[] = [
  { id: 'launch-redirect', type: 'launch-redirect', mutating: true },
  { id: 'deregister-web', type: 'deregister-web', mutating: true },
];
const LISTENER: readonly Step[] = [{ id: 'listener', type: 'set-listener-fixed-response', mutating: true }];

interface Made {
  readonly runbook: string;
  readonly runId: string;
  readonly at: number;
  readonly operator: OperatorIdentity;
  readonly steps: readonly Step[];
  readonly purpose?: RunPurpose;
  /** What happens after the start: `done` steps succeeded, then the records named. */
  readonly done: number;
  readonly end?: 'failed-over' | 'rolled-back' | undefined;
}

function journal(dir: string, m: Made): void {
  const j = memoryJournal(m.runId, [], () => m.at);
  j.append({
    kind: 'run-started',
    runbook: m.runbook,
    runbookFile: `runbooks/${m.runbook}.yaml`,
    runbookSha256: 'abc',
    mode: 'live',
    operator: m.operator,
    purpose: m.purpose,
    steps: m.steps,
  });
  for (const step of m.steps.slice(0, m.done)) {
    j.append({ kind: 'step-started', stepId: step.id, attempt: 1 });
    j.append({ kind: 'step-succeeded', stepId: step.id, attempt: 1, outputs: {} });
  }
  if (m.end !== undefined) j.append({ kind: 'run-finished', outcome: 'failed-over' });
  if (m.end === 'rolled-back') {
    j.append({ kind: 'rollback-started', operator: m.operator });
    j.append({ kind: 'rollback-finished', outcome: 'rolled-back', failures: [] });
  }
  const file = journalPath(dir, m.runbook, m.runId);
  writeFileSync(file, j.records.map((r: JournalRecord) => `${JSON.stringify(r)}\n`).join(''));
  chmodSync(file, 0o600);
}

const T = (h: number): number => Date.UTC(2026, 11, 3, h, 0, 0);

describe('hotspare runs --journal-dir', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    const home = tempDir('hotspare-runs-');
    env = cleanEnv(home);
    dir = tempDir('hotspare-runs-journals-');
    journal(dir, {
      runbook: 'emergency-mode',
      runId: '20261203T010000.000Z-aaaa',
      at: T(1),
      operator: alice,
      steps: REDIRECT,
      done: 2,
      end: 'rolled-back',
    });
    journal(dir, {
      runbook: 'listener-mode',
      runId: '20261203T020000.000Z-bbbb',
      at: T(2),
      operator: bob,
      steps: LISTENER,
      done: 1,
      end: 'failed-over',
    });
    // a failover whose process died mid-run: no lock is held
    journal(dir, {
      runbook: 'emergency-mode',
      runId: '20261203T030000.000Z-cccc',
      at: T(3),
      operator: alice,
      steps: REDIRECT,
      done: 1,
    });
    // a preparation of a spare that finished
    journal(dir, {
      runbook: 'emergency-mode.spare',
      runId: '20261203T040000.000Z-dddd',
      at: T(4),
      operator: bob,
      purpose: 'prepare',
      steps: [{ id: 'prepare-spare', type: 'launch-redirect', mutating: true }],
      done: 1,
    });
    // a failover in progress on another host: its lock is held there
    journal(dir, {
      runbook: 'listener-mode',
      runId: '20261203T050000.000Z-eeee',
      at: T(5),
      operator: bob,
      steps: LISTENER,
      done: 0,
    });
    writeFileSync(
      lockPath(dir, 'listener-mode'),
      JSON.stringify({ ...bob, runbook: 'listener-mode', command: 'failover', since: T(5) }),
      { mode: 0o600 },
    );
    // a journal that is not one
    writeFileSync(journalPath(dir, 'emergency-mode', '20261203T060000.000Z-ffff'), 'not json\n', { mode: 0o600 });
  });

  it('lists every run newest first with state, id, runbook, strategy, who, start and mode', async () => {
    const r = await hotspareIn({ env }, 'runs', '--journal-dir', dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STATE +RUN +RUNBOOK +STRATEGY +WHO +STARTED \(UTC\) +MODE$/);
    const cells = lines.slice(1, 7).map((l) => l.split(/ {2,}/));
    expect(cells.map((c) => c[1])).toEqual([
      '20261203T060000.000Z-ffff',
      '20261203T050000.000Z-eeee',
      '20261203T040000.000Z-dddd',
      '20261203T030000.000Z-cccc',
      '20261203T020000.000Z-bbbb',
      '20261203T010000.000Z-aaaa',
    ]);
    expect(cells[1]).toEqual([
      'running',
      '20261203T050000.000Z-eeee',
      'listener-mode',
      'listener-fixed-response',
      'bob@bastion',
      '2026-12-03 05:00:00',
      'live',
    ]);
    expect(cells[2]).toEqual([
      'prepared',
      '20261203T040000.000Z-dddd',
      'emergency-mode.spare',
      'spare',
      'bob@bastion',
      '2026-12-03 04:00:00',
      'live',
    ]);
    expect(cells[3]).toEqual([
      'interrupted',
      '20261203T030000.000Z-cccc',
      'emergency-mode',
      'redirect-instance',
      'alice@ops-laptop',
      '2026-12-03 03:00:00',
      'live',
    ]);
    expect(cells[4]).toEqual([
      'failed-over',
      '20261203T020000.000Z-bbbb',
      'listener-mode',
      'listener-fixed-response',
      'bob@bastion',
      '2026-12-03 02:00:00',
      'live',
    ]);
    expect(cells[5]).toEqual([
      'rolled-back',
      '20261203T010000.000Z-aaaa',
      'emergency-mode',
      'redirect-instance',
      'alice@ops-laptop',
      '2026-12-03 01:00:00',
      'live',
    ]);
    expect(cells[0]![0]).toBe('unreadable');
    expect(r.stdout).toContain(`${journalPath(dir, 'emergency-mode', '20261203T060000.000Z-ffff')}: `);
  });

  it('--json gives each run with ISO 8601 times and its journal file', async () => {
    const r = await hotspareIn({ env }, 'runs', '--journal-dir', dir, '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { journalDirs: string[]; runs: Record<string, unknown>[] };
    expect(out.journalDirs).toEqual([dir]);
    expect(out.runs).toHaveLength(6);
    expect(out.runs[3]).toEqual({
      runId: '20261203T030000.000Z-cccc',
      runbook: 'emergency-mode',
      who: 'alice@ops-laptop',
      startedAt: '2026-12-03T03:00:00.000Z',
      state: 'interrupted',
      strategy: 'redirect-instance',
      mode: 'live',
      stepsDone: 1,
      steps: 2,
      journal: journalPath(dir, 'emergency-mode', '20261203T030000.000Z-cccc'),
    });
  });

  it('RUNBOOK keeps that runbook’s runs and its spare preparations; --limit the newest N', async () => {
    const r = await hotspareIn({ env }, 'runs', 'runbooks/emergency-mode.yaml', '--journal-dir', dir, '--json');
    expect(r.status, r.stderr).toBe(0);
    const ids = (JSON.parse(r.stdout) as { runs: { runId: string }[] }).runs.map((x) => x.runId);
    expect(ids).toEqual([
      '20261203T060000.000Z-ffff',
      '20261203T040000.000Z-dddd',
      '20261203T030000.000Z-cccc',
      '20261203T010000.000Z-aaaa',
    ]);
    const limited = await hotspareIn({ env }, 'runs', '--journal-dir', dir, '--limit', '2', '--json');
    expect((JSON.parse(limited.stdout) as { runs: { runId: string }[] }).runs.map((x) => x.runId)).toEqual([
      '20261203T060000.000Z-ffff',
      '20261203T050000.000Z-eeee',
    ]);
  });

  it('says so when there are no runs, and exits 0', async () => {
    const empty = tempDir('hotspare-runs-empty-');
    const r = await hotspareIn({ env }, 'runs', '--journal-dir', empty);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`No runs in ${empty}.`);
  });

  it('refuses a bad --limit with a usage error', async () => {
    const r = await hotspareIn({ env }, 'runs', '--journal-dir', dir, '--limit', 'zero');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--limit');
  });

  it('is in the help, and a near miss gets a "did you mean"', async () => {
    const help = await hotspareIn({ env }, 'help');
    expect(help.stdout).toMatch(/^hotspare runs \[RUNBOOK\] +the journaled runs/m);
    const typo = await hotspareIn({ env }, 'rusn');
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('runs');
  });
});

describe('hotspare runs --sandbox', () => {
  it('lists a sandbox failover the CLI just ran', async () => {
    const home = tempDir('hotspare-runs-sbx-');
    const env = cleanEnv(home);
    const ran = await hotspareIn(
      { env },
      'failover',
      'runbooks/sandbox',
      '--sandbox',
      '--yes',
      '--speed',
      '50',
      '--traffic-rate',
      '5',
    );
    expect(ran.status, ran.stderr).toBe(0);
    const runId = /Starting run (\S+) of/.exec(ran.stdout)?.[1];
    expect(runId).toBeDefined();
    const r = await hotspareIn({ env }, 'runs', '--sandbox', '--json');
    expect(r.status, r.stderr).toBe(0);
    const runs = (JSON.parse(r.stdout) as { runs: Record<string, unknown>[] }).runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      runId,
      runbook: 'sandbox-drill',
      state: 'failed-over',
      strategy: 'redirect-instance',
      who: `${userInfo().username}@${hostname()}`,
      mode: 'sandbox',
    });
    const text = await hotspareIn({ env }, 'runs', '--sandbox');
    expect(text.stdout).toMatch(new RegExp(`^failed-over +${runId} +sandbox-drill +redirect-instance `, 'm'));
  }, 60_000);
});
