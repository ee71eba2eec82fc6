import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/engine/journal.js';
import type { JournalRecord } from '../../src/engine/journal-records.js';
import { FIXTURE_REGION } from '../aws/fixture.js';
import { requireBuiltCli } from '../helpers/cli.js';
import { motoChildEnv } from '../helpers/moto.js';
import { CLI, describeRun, runCli, type CliRun } from '../reliability/helpers/cli.js';
import { startFaultProxy, type FaultProxy } from '../reliability/helpers/fault-proxy.js';
import { failedOverProblems } from '../reliability/helpers/invariants.js';
import { newSite, siteCli, startMotoWorld, type MotoSite, type MotoWorld } from '../reliability/helpers/moto-world.js';

/**
 * Every way a command can stop before it finishes, with the built CLI on moto: the process running
 * out of work (the process guard), Ctrl-C at a headless question, SIGTERM and SIGHUP in the middle
 * of a run. Each exits non-zero, prints the commands that go on or undo, and journals the
 * interruption so the timeline shows it.
 */
let world: MotoWorld;
let proxy: FaultProxy;

beforeAll(async () => {
  requireBuiltCli();
  world = await startMotoWorld();
  proxy = await startFaultProxy(world.moto.endpoint);
});

afterAll(async () => {
  await proxy?.close();
  await world?.stop();
});

function lastRecords(journalDir: string): JournalRecord[] {
  const file = readdirSync(journalDir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort()
    .at(-1);
  if (file === undefined) throw new Error(`no journal in ${journalDir}`);
  return [...readJournal(join(journalDir, file)).records];
}

function timeline(site: MotoSite, journalDir: string): Promise<CliRun> {
  return runCli(['timeline', '--journal-dir', journalDir], { home: site.dir });
}

/** What every interrupted command prints: the real commands to go on and to undo, for this runbook and endpoint. */
function expectNextCommands(run: CliRun, site: MotoSite): void {
  const out = `${run.stdout}${run.stderr}`;
  expect(out, describeRun(run)).toContain(`hotspare resume ${site.runbookFile}`);
  expect(out, describeRun(run)).toContain(`hotspare rollback ${site.runbookFile}`);
}

/** The built CLI, headless, started without waiting for it: `signal` it once `ready` shows in its output. */
function started(
  site: MotoSite,
  args: readonly string[],
  ready: RegExp,
): { until: Promise<void>; ended: Promise<CliRun>; kill(signal: NodeJS.Signals): void } {
  const env = motoChildEnv({
    NO_COLOR: '1',
    HOME: site.dir,
    XDG_STATE_HOME: join(site.dir, 'state'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  delete env['AWS_ENDPOINT_URL'];
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let seen: () => void = () => undefined;
  const until = new Promise<void>((resolve) => (seen = resolve));
  const look = (): void => {
    if (ready.test(stdout + stderr)) seen();
  };
  child.stdout.on('data', (c: Buffer) => ((stdout += c.toString()), look()));
  child.stderr.on('data', (c: Buffer) => ((stderr += c.toString()), look()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const ended = new Promise<CliRun>((resolve) =>
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ args, status, signal, stdout, stderr, hung: false });
    }),
  );
  return { until, ended, kill: (signal) => child.kill(signal) };
}

function headlessArgs(site: MotoSite, command: string, journalDir: string, flags: readonly string[]): string[] {
  return [
    command,
    site.runbookFile,
    ...flags,
    '--headless',
    '--endpoint-url',
    proxy.endpoint,
    '--region',
    FIXTURE_REGION,
    '--journal-dir',
    journalDir,
  ];
}

describe('a command that did not reach its end never exits 0 (built CLI on moto)', () => {
  it('the process running out of work in the middle of a failover exits 1, says so, and journals it', async () => {
    const site = await newSite(world);
    const journal = join(site.dir, 'journal');
    const run = await siteCli(world, site, 'failover', {
      journalDir: journal,
      env: { HOTSPARE_TEST_STALL_AFTER_SEND: 'RunInstances' },
    });
    expect(run.status, describeRun(run)).toBe(1);
    expect(run.stderr, describeRun(run)).toMatch(/failover stopped before it finished/);
    expectNextCommands(run, site);
    const last = lastRecords(journal).at(-1);
    expect(last).toMatchObject({ kind: 'interrupted', by: 'stalled', command: 'failover' });
    expect((await timeline(site, journal)).stdout).toMatch(/\*\*Interrupted\*\*: failover stopped before it finished/);
    // The run is resumable from there, and the lock was released.
    const resumed = await siteCli(world, site, 'resume', { journalDir: journal });
    expect(resumed.status, describeRun(resumed)).toBe(0);
    expect(await failedOverProblems(site.view, site.original)).toEqual([]);
    expect((await siteCli(world, site, 'rollback', { journalDir: journal })).status).toBe(0);
  }, 90_000);

  it('Ctrl-C at a headless question exits 130, prints the next commands and journals the interruption', async () => {
    const site = await newSite(world);
    const journal = join(site.dir, 'journal');
    const cli = started(site, headlessArgs(site, 'failover', journal, []), /type the runbook name/);
    await cli.until;
    cli.kill('SIGINT');
    const run = await cli.ended;
    expect(run.status, describeRun(run)).toBe(130);
    expect(run.stderr, describeRun(run)).toContain('interrupted by SIGINT while failover was running');
    expectNextCommands(run, site);
    expect(lastRecords(journal).at(-1)).toMatchObject({
      kind: 'interrupted',
      by: 'signal',
      signal: 'SIGINT',
      command: 'failover',
    });
    expect((await timeline(site, journal)).stdout).toContain(
      '**Interrupted**: interrupted by SIGINT while failover was running',
    );
    // Nothing was changed yet: the run can still be rolled back (nothing to undo) or resumed.
    expect((await siteCli(world, site, 'rollback', { journalDir: journal })).status).toBe(0);
  }, 90_000);

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal} in the middle of a failover exits ${code}, prints the next commands, journals it; resume then finishes`, async () => {
      const site = await newSite(world);
      const journal = join(site.dir, 'journal');
      // Each read of the target group's health answers 2.5 s late: the run is caught waiting for one.
      proxy.clear();
      proxy.inject({ operation: 'DescribeTargetHealth', kind: 'slow', times: 20 });
      try {
        const cli = started(site, headlessArgs(site, 'failover', journal, ['--yes']), /▶ register-redirect/);
        await cli.until;
        cli.kill(signal);
        const run = await cli.ended;
        expect(run.status, describeRun(run)).toBe(code);
        expect(run.stderr, describeRun(run)).toContain(`interrupted by ${signal} while failover was running`);
        expectNextCommands(run, site);
        expect(lastRecords(journal).at(-1)).toMatchObject({
          kind: 'interrupted',
          by: 'signal',
          signal,
          command: 'failover',
        });
      } finally {
        proxy.clear();
      }
      expect((await timeline(site, journal)).stdout).toContain(
        `**Interrupted**: interrupted by ${signal} while failover was running`,
      );
      const resumed = await siteCli(world, site, 'resume', { journalDir: journal });
      expect(resumed.status, describeRun(resumed)).toBe(0);
      expect(await failedOverProblems(site.view, site.original)).toEqual([]);
      expect((await siteCli(world, site, 'rollback', { journalDir: journal })).status).toBe(0);
    }, 90_000);
  }
});
