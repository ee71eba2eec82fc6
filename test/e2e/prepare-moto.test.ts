import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstancesCommand, StopInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildFixture, fixtureClients, FIXTURE_REGION, type Fixture, type FixtureClients } from '../aws/fixture.js';
import { MARKER, startLocalSite, type LocalSite } from '../helpers/local-site.js';
import { motoChildEnv, startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';
import { waitUntil } from '../helpers/wait.js';

/**
 * `hotspare prepare` on moto through the built CLI (issue 20, item 4): a run of its own in the
 * journal, a bounded wait it announces, an interruption that says what it left and how to clean up
 * (and exits non-zero), and a spare that is ready only once it stopped after its self-check and was
 * tagged so. Moto runs no user data, so the test stops the instance itself where the real spare
 * powers itself off after its check.
 */

const CLI = 'dist/cli/bin.js';

interface Running {
  readonly child: ChildProcess;
  output(): string;
  done: Promise<number | null>;
}

describe('hotspare prepare on moto', () => {
  let moto: Moto;
  let site: LocalSite;
  let clients: FixtureClients;
  let work: string;
  let fixture: Fixture;
  let runbookFile: string;
  let journalDir: string;
  let spareId = '';

  function start(command: string, ...flags: string[]): Running {
    const aws = command === 'runs' ? [] : [runbookFile, '--region', FIXTURE_REGION, '--endpoint-url', moto.endpoint];
    const args = [CLI, command, ...aws, ...flags];
    const env = motoChildEnv({
      USER: 'alice',
      AWS_ENDPOINT_URL: moto.endpoint,
      HOME: work,
      XDG_STATE_HOME: join(work, 'state'),
      AWS_EC2_METADATA_DISABLED: 'true',
      NO_COLOR: '1',
    });
    const child = spawn('node', args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const done = new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (status, signal) => resolve(status ?? (signal === null ? null : -1)));
    });
    return { child, output: () => output, done };
  }

  async function run(command: string, ...flags: string[]): Promise<{ status: number | null; output: string }> {
    const r = start(command, ...flags);
    const status = await r.done;
    return { status, output: r.output() };
  }

  async function spares(): Promise<Instance[]> {
    const out = await clients.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag-key', Values: ['hotspare:spare'] }] }),
    );
    return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).filter((i) => i.State?.Name !== 'terminated');
  }

  const tag = (i: Instance | undefined, key: string): string | undefined => i?.Tags?.find((t) => t.Key === key)?.Value;

  function prepareJournal(): { kind: string; [k: string]: unknown }[] {
    const files = readdirSync(journalDir).filter((f) => f.includes('.spare--') && f.endsWith('.jsonl'));
    expect(files).toHaveLength(1);
    return readFileSync(join(journalDir, files[0] ?? ''), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string });
  }

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
    useFakeAwsCredentials();
    moto = await startMoto();
    site = await startLocalSite();
    clients = fixtureClients(moto.endpoint);
    work = mkdtempSync(join(tmpdir(), 'hotspare-prepare-'));
    journalDir = join(work, 'journal');
    fixture = await buildFixture(clients, {
      siteUrl: site.siteUrl,
      maintenanceUrl: site.maintenanceUrl,
      expectText: MARKER,
      steps: ['launch-redirect', 'register-redirect', 'wait-redirect-healthy', 'deregister-web'],
    });
    runbookFile = join(work, 'spare.yaml');
    writeFileSync(
      runbookFile,
      stringify({ ...fixture.runbook, polling: { intervalSeconds: 0.5, healthyTimeoutSeconds: 60 } }),
    );
  }, 120_000);

  afterAll(async () => {
    await site?.close();
    await moto?.stop();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('interrupted mid-wait: journaled, says what it left and the command to clean up, exits 143; plan says not ready', async () => {
    const prepare = start('prepare', '--journal-dir', journalDir);
    await waitUntil(prepare.output, (o) => /waiting up to 60 s \(until \d\d:\d\d:\d\d UTC\) for i-/.test(o), {
      what: 'the announced wait',
      timeoutMs: 60_000,
    });
    spareId = /for (i-[0-9a-f]+) to install, check itself and power off/.exec(prepare.output())?.[1] ?? '';
    expect(spareId).not.toBe('');
    prepare.child.kill('SIGTERM');
    expect(await prepare.done).toBe(143);
    const output = prepare.output();
    expect(output).toMatch(
      new RegExp(`prepare interrupted by SIGTERM: it left ${spareId} \\((pending|running), never checked\\) in AWS`),
    );
    expect(output).toMatch(/Prepare run \S+ is journaled as interrupted/);
    expect(output).toContain(
      `aws ec2 terminate-instances --instance-ids ${spareId} --region ${FIXTURE_REGION} --endpoint-url ${moto.endpoint}`,
    );

    const records = prepareJournal();
    expect(records[0]).toMatchObject({ kind: 'run-started', purpose: 'prepare', runbook: fixture.runbook.name });
    const intent = records.findIndex((r) => r.kind === 'intent');
    expect(records[intent]).toMatchObject({ call: { service: 'ec2', operation: 'RunInstances' } });
    expect(records[intent + 1]).toMatchObject({ kind: 'result', outputs: { instanceId: spareId } });
    expect(records.at(-1)).toMatchObject({ kind: 'interrupted', command: 'prepare', signal: 'SIGTERM' });

    const [left] = await spares();
    expect(left?.InstanceId).toBe(spareId);
    expect(['pending', 'running']).toContain(left?.State?.Name);
    expect(tag(left, 'hotspare:spare-checked')).toBeUndefined();

    const plan = await run('plan');
    expect(plan.output).toMatch(new RegExp(`${spareId} \\((pending|running)\\) never passed its self-check`));
    expect(plan.output).not.toContain('A spare prepared for this config is ready');
    const runs = await run('runs', '--journal-dir', journalDir, '--json');
    expect(runs.status, runs.output).toBe(0);
    expect(runs.output).toContain('"state":"interrupted"');
  }, 120_000);

  it('run again: waits for the same spare, tags it checked once it stopped itself, and plan calls it ready', async () => {
    expect(spareId).not.toBe('');
    const prepare = start('prepare', '--journal-dir', journalDir);
    await waitUntil(prepare.output, (o) => o.includes(`${spareId} (running) was left by an earlier prepare`), {
      what: 'the wait for the spare left',
      timeoutMs: 60_000,
    });
    // Where the real spare powers itself off after its self-check.
    await clients.ec2.send(new StopInstancesCommand({ InstanceIds: [spareId] }));
    expect(await prepare.done, prepare.output()).toBe(0);
    expect(prepare.output()).toContain(`Spare ${spareId} is prepared, checked and stopped`);
    const [ready] = await spares();
    expect(ready?.State?.Name).toBe('stopped');
    expect(tag(ready, 'hotspare:spare-checked')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);

    const files = readdirSync(journalDir).filter((f) => f.includes('.spare--'));
    expect(files).toHaveLength(2);
    const latest = readFileSync(join(journalDir, files.sort().at(-1) ?? ''), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string });
    const tagIntent = latest.findIndex((r) => r.kind === 'intent');
    expect(latest[tagIntent]).toMatchObject({ call: { operation: 'CreateTags', params: { Resources: [spareId] } } });
    expect(latest[tagIntent + 1]).toMatchObject({ kind: 'result' });
    expect(latest.at(-1)).toMatchObject({ kind: 'step-succeeded', outputs: { instanceId: spareId } });

    const plan = await run('plan');
    expect(plan.output).toContain(`A spare prepared for this config is ready (${spareId}, stopped)`);
    const runs = await run('runs', '--journal-dir', journalDir, '--json');
    expect(runs.output).toContain('"state":"prepared"');
  }, 120_000);
});
