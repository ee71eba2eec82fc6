import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildFixture, fixtureClients, FIXTURE_REGION, type Fixture, type FixtureClients } from '../aws/fixture.js';
import { MARKER, startLocalSite, type LocalSite } from '../helpers/local-site.js';
import { motoChildEnv, startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';

/**
 * AWS's hotspare tags are the truth (issue 20, items 2 and 3): alice fails over from her journal
 * directory, leaving the web servers registered beside her redirect instance. bob, on "another
 * laptop" (another journal directory), sees from AWS that a run is in effect (run id, who, since
 * when, which instances), as a danger in status and plan, and his failover is refused; alice sees
 * it as her run. Once alice abandons the run, the instance left registered is a danger for her too.
 */

const CLI = 'dist/cli/bin.js';

interface CliResult {
  readonly status: number | null;
  readonly output: string;
}

describe('runs in effect, from AWS tags, whatever the journal directory', () => {
  let moto: Moto;
  let site: LocalSite;
  let clients: FixtureClients;
  let work: string;
  let fixture: Fixture;
  let runbookFile: string;
  let runId: string;
  let redirectId: string;

  function hotspare(user: string, command: string, ...flags: string[]): Promise<CliResult> {
    const journal = command === 'plan' ? [] : ['--journal-dir', join(work, `${user}-journal`)];
    const args = [
      CLI,
      command,
      runbookFile,
      ...flags,
      ...journal,
      '--region',
      FIXTURE_REGION,
      '--endpoint-url',
      moto.endpoint,
    ];
    const env = motoChildEnv({
      USER: user,
      AWS_ENDPOINT_URL: moto.endpoint,
      HOME: work,
      XDG_STATE_HOME: join(work, `${user}-state`),
      AWS_EC2_METADATA_DISABLED: 'true',
      NO_COLOR: '1',
    });
    const child = spawn('node', args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (status) => resolve({ status, output }));
    });
  }

  async function taggedInstances(): Promise<Instance[]> {
    const out = await clients.ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: 'tag-key', Values: ['hotspare:run'] },
          { Name: 'instance-state-name', Values: ['pending', 'running'] },
        ],
      }),
    );
    return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  }

  async function registered(): Promise<string[]> {
    const out = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: fixture.targetGroupArn }));
    return (out.TargetHealthDescriptions ?? []).map((d) => d.Target?.Id ?? '').sort();
  }

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
    useFakeAwsCredentials();
    moto = await startMoto();
    site = await startLocalSite();
    clients = fixtureClients(moto.endpoint);
    work = mkdtempSync(join(tmpdir(), 'hotspare-in-effect-'));
    fixture = await buildFixture(clients, {
      siteUrl: site.siteUrl,
      maintenanceUrl: site.maintenanceUrl,
      expectText: MARKER,
      steps: ['launch-redirect', 'register-redirect'],
    });
    runbookFile = join(work, 'half.yaml');
    writeFileSync(runbookFile, stringify({ ...fixture.runbook, polling: { intervalSeconds: 0.5 } }));
    const failover = await hotspare('alice', 'failover', '--yes', '--headless');
    expect(failover.status, failover.output).toBe(0);
    runId = /Starting run (\S+) of/.exec(failover.output)?.[1] ?? '';
    expect(runId).not.toBe('');
    const tagged = await taggedInstances();
    expect(tagged).toHaveLength(1);
    redirectId = tagged[0]?.InstanceId ?? '';
    expect(tagged[0]?.Tags).toContainEqual({ Key: 'hotspare:started-by', Value: `alice@${hostname()}` });
    expect(await registered()).toEqual([...fixture.webInstanceIds, redirectId].sort());
  }, 120_000);

  afterAll(async () => {
    await site?.close();
    await moto?.stop();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it("status from another journal directory: the redirect instance is counted apart and is a danger naming alice's run", async () => {
    const r = await hotspare('bob', 'status');
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/: web 3\/3 healthy · redirect \d\/1 healthy/);
    expect(r.output).toMatch(new RegExp(`${redirectId}\\s+redirect\\s+hotspare-redirect-`));
    for (const id of fixture.webInstanceIds) expect(r.output).toMatch(new RegExp(`${id}\\s+web\\s+web-\\d`));
    const danger = r.output.split('\n').find((l) => l.startsWith('DANGER: '));
    expect(danger).toBeDefined();
    expect(danger).toContain(`run ${runId} started by alice@${hostname()} since `);
    expect(danger).toContain(`${redirectId} (redirect, `);
    expect(danger).toContain('about 1 in 4 visitors');
    expect(danger).toContain(
      `aws elbv2 deregister-targets --target-group-arn ${fixture.targetGroupArn} --targets Id=${redirectId},Port=80`,
    );
    expect(danger).toContain(`aws ec2 terminate-instances --instance-ids ${redirectId}`);
  });

  it('status --json gives roles, counts, the run in effect and the danger', async () => {
    const r = await hotspare('bob', 'status', '--json');
    expect(r.status, r.output).toBe(0);
    const out = JSON.parse(r.output) as {
      counts: { web: { total: number }; redirect: { total: number } };
      runsInEffect: { runId: string; startedBy: string; ours: boolean; instances: { id: string }[] }[];
      danger: string | null;
      targets: { id: string; role: string }[];
    };
    expect(out.counts.web.total).toBe(3);
    expect(out.counts.redirect.total).toBe(1);
    expect(out.runsInEffect).toEqual([
      expect.objectContaining({
        runId,
        startedBy: `alice@${hostname()}`,
        ours: false,
        instances: [expect.objectContaining({ id: redirectId, role: 'redirect' })],
      }),
    ]);
    expect(out.danger).toContain(runId);
    expect(out.targets.find((t) => t.id === redirectId)?.role).toBe('redirect');
  });

  it('plan calls it a danger and says a failover is refused', async () => {
    const r = await hotspare('bob', 'plan');
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(
      new RegExp(
        `DANGER: hotspare instance registered in the target group with no run in progress here .*run ${runId} started by alice@`,
      ),
    );
    expect(r.output).toContain('A failover is refused until it is gone.');
  });

  it("bob's failover is refused with the reason, and nothing is launched or registered", async () => {
    const r = await hotspare('bob', 'failover', '--yes', '--headless');
    expect(r.status, r.output).toBe(3);
    expect(r.output).toContain(
      `AWS shows a hotspare run in effect on ${fixture.runbook.loadBalancer.targetGroup}: run ${runId} started by alice@${hostname()} since `,
    );
    expect(r.output).toContain(`${redirectId} (redirect, `);
    expect(r.output).toContain('a team shares one journal directory');
    expect((await taggedInstances()).map((i) => i.InstanceId)).toEqual([redirectId]);
    expect(await registered()).toEqual([...fixture.webInstanceIds, redirectId].sort());
  });

  it("alice's own status shows it as her run in effect, not a danger", async () => {
    const r = await hotspare('alice', 'status');
    expect(r.status, r.output).toBe(0);
    expect(r.output).not.toContain('DANGER');
    expect(r.output).toContain(`In effect (AWS tags): run ${runId} started by alice@${hostname()} since `);
    expect(r.output).toContain('— the run in this journal directory');
  });

  it('after alice abandons the run, the instance left registered is a danger in her journal directory too', async () => {
    const abandon = await hotspare('alice', 'abandon', '--yes', '--headless');
    expect(abandon.status, abandon.output).toBe(0);
    // What it left, with the commands that undo it by hand, real ids in.
    expect(abandon.output).toContain(
      `aws ec2 terminate-instances --cli-input-json '{"InstanceIds":["${redirectId}"]}'`,
    );
    expect(abandon.output).toContain(
      `aws elbv2 deregister-targets --cli-input-json '{"TargetGroupArn":"${fixture.targetGroupArn}","Targets":[{"Id":"${redirectId}"`,
    );
    const r = await hotspare('alice', 'status');
    expect(r.output).toMatch(/^DANGER: hotspare instance registered in the target group with no run in progress here/m);
    expect(r.output).toContain(`run ${runId} started by alice@`);
  });
});
