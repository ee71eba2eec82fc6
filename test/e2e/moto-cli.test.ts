import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  StopInstancesCommand,
  type Instance,
} from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import type { StepSpec } from '../../src/runbook/schema.js';
import { createAwsPorts } from '../../src/aws/index.js';
import type { RedirectServerKind } from '../../src/ports/index.js';
import { redirectConfigFor } from '../../src/redirect/config.js';
import {
  attachScalingGroup,
  buildFixture,
  fixtureClients,
  FIXTURE_REGION,
  type Fixture,
  type FixtureClients,
  type FixtureOptions,
} from '../aws/fixture.js';
import { MARKER, startLocalSite, type LocalSite } from '../helpers/local-site.js';
import { expectRedirectServerAnswers, runUserData, startRealServer } from '../redirect/real-server.js';
import { motoChildEnv, startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';
import { waitUntil } from '../helpers/wait.js';

/**
 * The built CLI against moto, end to end: failover, rollback, and a crash right after RunInstances
 * followed by resume. moto has no data plane, so the site and maintenance URLs are tiny local servers.
 */

/** The built CLI: `npm test` builds it first. */
const CLI = 'dist/cli/bin.js';
const STEPS = [
  'launch-redirect',
  'register-redirect',
  'wait-redirect-healthy',
  'deregister-web',
  'verify-maintenance',
] as const;

interface CliResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

interface Scenario {
  readonly fixture: Fixture;
  readonly runbookFile: string;
  readonly journalDir: string;
  readonly originalActions: unknown;
}

describe('hotspare CLI against moto', () => {
  let moto: Moto;
  let site: LocalSite;
  let clients: FixtureClients;
  let work: string;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
    useFakeAwsCredentials();
    moto = await startMoto();
    site = await startLocalSite();
    clients = fixtureClients(moto.endpoint);
    work = mkdtempSync(join(tmpdir(), 'hotspare-moto-e2e-'));
  });

  afterAll(async () => {
    await site?.close();
    await moto?.stop();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  async function scenario(
    name: string,
    steps: readonly StepSpec['type'][] = STEPS,
    extra: FixtureOptions = {},
  ): Promise<Scenario> {
    const fixture = await buildFixture(clients, {
      siteUrl: site.siteUrl,
      maintenanceUrl: site.maintenanceUrl,
      expectText: MARKER,
      steps: [...steps],
      ...extra,
    });
    const runbookFile = join(work, `${name}.yaml`);
    writeFileSync(runbookFile, stringify({ ...fixture.runbook, polling: { intervalSeconds: 0.5 } }));
    return {
      fixture,
      runbookFile,
      journalDir: join(work, `${name}-journal`),
      originalActions: await listenerActions(fixture),
    };
  }

  /** Run the CLI without blocking this process's event loop: the local site lives here. */
  function hotspare(
    command: string,
    s: Scenario,
    extraEnv: Record<string, string> = {},
    flags: readonly string[] = ['--yes'],
  ): Promise<CliResult> {
    // Each command takes its own flags: plan and prepare write no journal and print no dashboard.
    const session = command !== 'plan' && command !== 'prepare';
    const local = [
      ...(session ? ['--journal-dir', s.journalDir] : []),
      ...(session && command !== 'status' ? ['--headless'] : []),
    ];
    const args = [
      CLI,
      command,
      s.runbookFile,
      ...flags,
      ...local,
      '--region',
      FIXTURE_REGION,
      '--endpoint-url',
      moto.endpoint,
    ];
    const env = motoChildEnv({
      ...extraEnv,
      AWS_ENDPOINT_URL: moto.endpoint,
      HOME: work,
      XDG_STATE_HOME: join(work, 'state'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const child = spawn('node', args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (status, signal) => resolve({ status, signal, output }));
    });
  }

  async function suspendedOf(group: string): Promise<string[]> {
    const out = await scalingClient().send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }));
    return (out.AutoScalingGroups?.[0]?.SuspendedProcesses ?? []).map((p) => p.ProcessName ?? '').sort();
  }

  function scalingClient(): AutoScalingClient {
    return new AutoScalingClient({
      region: FIXTURE_REGION,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
  }

  async function redirectInstances(liveOnly = true): Promise<Instance[]> {
    const filters = [{ Name: 'tag-key', Values: ['hotspare:run'] }];
    if (liveOnly) filters.push({ Name: 'instance-state-name', Values: ['pending', 'running'] });
    const out = await clients.ec2.send(new DescribeInstancesCommand({ Filters: filters }));
    return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  }

  async function targetIds(f: Fixture): Promise<string[]> {
    const out = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: f.targetGroupArn }));
    return (out.TargetHealthDescriptions ?? [])
      .filter((d) => d.TargetHealth?.State !== 'draining')
      .map((d) => d.Target?.Id ?? '')
      .sort();
  }

  async function listenerActions(f: Fixture): Promise<unknown> {
    const out = await clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [f.listenerArn] }));
    return out.Listeners?.[0]?.DefaultActions;
  }

  /**
   * The user data moto received for an instance, run for real on this machine: the server it
   * configures must answer visitors and the health checker as the target group (read from moto) needs.
   */
  async function expectUserDataServes(
    f: Fixture,
    instanceId: string,
    server: RedirectServerKind,
    spare = false,
  ): Promise<void> {
    const attribute = await clients.ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'userData' }),
    );
    const userData = Buffer.from(attribute.UserData?.Value ?? '', 'base64').toString('utf8');
    expect(userData).toMatch(/^#!\/bin\/bash\n/);
    const tg = await createAwsPorts({ region: FIXTURE_REGION, endpointUrl: moto.endpoint }).lb.describeTargetGroup(
      f.targetGroupArn,
    );
    const config = redirectConfigFor(tg, { server, targetUrl: site.maintenanceUrl, statusCode: 302 });
    // A spare powers off once it is ready; any other instance only when its boot failed (redirect/boot-script.ts).
    expect(userData.trimEnd().endsWith('systemctl poweroff')).toBe(spare);
    // A spare's own health check before its poweroff asks the server systemctl would have started: answer it as that server would.
    const running = await startRealServer(
      runUserData(userData, spare ? { curl: `printf ${config.healthCheck.status}` } : {}),
      server,
    );
    try {
      await expectRedirectServerAnswers(running, config, tg.healthCheck.matcher ?? '200');
    } finally {
      await running.stop();
    }
  }

  it('fails over to a running, registered redirect instance and rolls back to the original state', async () => {
    const s = await scenario('failover');
    // The target group as CreateTargetGroup makes it by default: GET / on the traffic port, matcher 200.
    const created = (
      await clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [s.fixture.targetGroupArn] }))
    ).TargetGroups?.[0];
    expect(created).toMatchObject({
      HealthCheckPath: '/',
      HealthCheckPort: 'traffic-port',
      HealthCheckProtocol: 'HTTP',
      Matcher: { HttpCode: '200' },
    });
    const failover = await hotspare('failover', s);
    expect(failover.status, failover.output).toBe(0);
    // The rollback command it prints is the one run below (which adds --yes: there is no terminal here).
    expect(failover.output).toContain(
      `Roll back with \`hotspare rollback ${s.runbookFile} --journal-dir ${s.journalDir} --region ${FIXTURE_REGION} --endpoint-url ${moto.endpoint}\`.`,
    );
    const launched = await redirectInstances();
    expect(launched.map((i) => i.State?.Name)).toEqual(['running']);
    const redirectId = launched[0]?.InstanceId ?? '';
    await expectUserDataServes(s.fixture, redirectId, 'nginx');
    expect(await targetIds(s.fixture)).toEqual([redirectId]);
    expect(await listenerActions(s.fixture)).toEqual(s.originalActions);

    const rollback = await hotspare('rollback', s);
    expect(rollback.status, rollback.output).toBe(0);
    expect(await targetIds(s.fixture)).toEqual([...s.fixture.webInstanceIds].sort());
    expect(await redirectInstances()).toEqual([]);
    const all = await redirectInstances(false);
    expect(all.map((i) => [i.InstanceId, i.State?.Name])).toEqual([
      [redirectId, expect.stringMatching(/^(shutting-down|terminated)$/)],
    ]);
    expect(await listenerActions(s.fixture)).toEqual(s.originalActions);
  });

  it('freezes the Auto Scaling group attached to the target group, and rollback resumes only what it suspended', async () => {
    await moto.reset();
    const s = await scenario('scaling', ['suspend-scaling', ...STEPS]);
    const group = await attachScalingGroup(moto.endpoint, s.fixture, ['AZRebalance']);
    const plan = await hotspare('plan', s, {}, []);
    expect(plan.output).toContain(`Auto Scaling group ${group} will be frozen for the maintenance`);
    const failover = await hotspare('failover', s);
    expect(failover.status, failover.output).toBe(0);
    const frozen = await suspendedOf(group);
    expect(frozen).toEqual([
      'AZRebalance',
      'AddToLoadBalancer',
      'AlarmNotification',
      'HealthCheck',
      'InstanceRefresh',
      'Launch',
      'ReplaceUnhealthy',
      'ScheduledActions',
      'Terminate',
    ]);
    const rollback = await hotspare('rollback', s);
    expect(rollback.status, rollback.output).toBe(0);
    // Suspended before the run: left suspended.
    expect(await suspendedOf(group)).toEqual(['AZRebalance']);
    expect(await targetIds(s.fixture)).toEqual([...s.fixture.webInstanceIds].sort());
  });

  it('a runbook without suspend-scaling is warned about the group in plan', async () => {
    await moto.reset();
    const s = await scenario('scaling-missing');
    const group = await attachScalingGroup(moto.endpoint, s.fixture);
    const plan = await hotspare('plan', s, {}, []);
    expect(plan.output).toContain(`DANGER: Auto Scaling group ${group} registers instances into`);
  });

  it('after a crash right after RunInstances, resume finds the instance instead of launching a second', async () => {
    await moto.reset();
    const s = await scenario('crash');
    const crashed = await hotspare('failover', s, { HOTSPARE_TEST_KILL_AFTER_SEND: 'RunInstances' });
    expect(crashed.signal, crashed.output).toBe('SIGKILL');
    expect(await redirectInstances()).toHaveLength(1);
    expect(await targetIds(s.fixture)).toEqual([...s.fixture.webInstanceIds].sort());

    const resumed = await hotspare('resume', s);
    expect(resumed.status, resumed.output).toBe(0);
    const live = await redirectInstances();
    expect(live).toHaveLength(1);
    expect(await redirectInstances(false)).toHaveLength(1);
    expect(await targetIds(s.fixture)).toEqual([live[0]?.InstanceId]);
  });

  async function record(f: Fixture): Promise<unknown> {
    const out = await clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: f.hostedZoneId }));
    return out.ResourceRecordSets?.find((r) => r.Name?.replace(/\.$/, '') === f.recordName && r.Type === 'CNAME');
  }

  it('listener redirect: ModifyListener to the maintenance host, rollback restores the actions exactly', async () => {
    await moto.reset();
    const s = await scenario('listener', ['set-listener-redirect', 'verify-maintenance']);
    const failover = await hotspare('failover', s);
    expect(failover.status, failover.output).toBe(0);
    const during = (await listenerActions(s.fixture)) as {
      Type?: string;
      RedirectConfig?: { Host?: string; StatusCode?: string };
    }[];
    expect(during).toHaveLength(1);
    expect(during[0]).toMatchObject({
      Type: 'redirect',
      RedirectConfig: { Host: '127.0.0.1', StatusCode: 'HTTP_302' },
    });
    expect(await targetIds(s.fixture)).toEqual([...s.fixture.webInstanceIds].sort());

    const rollback = await hotspare('rollback', s);
    expect(rollback.status, rollback.output).toBe(0);
    expect(await listenerActions(s.fixture)).toEqual(s.originalActions);
  });

  it('DNS failover: the record points at the static site until rollback restores it exactly', async () => {
    await moto.reset();
    const s = await scenario('dns', ['dns-failover', 'verify-maintenance']);
    const before = await record(s.fixture);
    expect(before).toMatchObject({ TTL: 300, ResourceRecords: [{ Value: s.fixture.recordValue }] });
    const failover = await hotspare('failover', s);
    expect(failover.status, failover.output).toBe(0);
    expect(await record(s.fixture)).toMatchObject({
      TTL: 60,
      ResourceRecords: [{ Value: 'maintenance.example.test' }],
    });
    expect(failover.output).toContain('resolvers may keep the old answer for up to 300 s');

    const rollback = await hotspare('rollback', s);
    expect(rollback.status, rollback.output).toBe(0);
    expect(await record(s.fixture)).toEqual(before);
  });

  it('status and plan read the real account', async () => {
    await moto.reset();
    const s = await scenario('status');
    const status = await hotspare('status', s, {}, []);
    expect(status.status, status.output).toBe(0);
    // The AZ as the dashboard shows it: the instance's, where ELBv2 names none for an instance target.
    for (const id of s.fixture.webInstanceIds)
      expect(status.output).toMatch(new RegExp(`${id}\\s+web\\s+web-\\d\\s+us-east-1[ab]\\s+80\\s+healthy`));
    expect(status.output).toMatch(/: web 3\/3 healthy\n/);
    expect(status.output).not.toContain('DANGER');
    expect(status.output).toContain('default action: forward');
    const plan = await hotspare('plan', s, {}, []);
    expect(plan.status, plan.output).toBe(0);
    expect(plan.output).not.toContain('ALB defaults');
    expect(plan.output).toMatch(/Deregister 3 web server\(s\)/);
    expect(plan.output).toContain(s.fixture.targetGroupArn);
  });

  it('nginx in a subnet with no way out: plan says so, failover refuses before launching anything', async () => {
    await moto.reset();
    const s = await scenario('private', STEPS, { redirectSubnet: 'private' });
    const plan = await hotspare('plan', s, {}, []);
    expect(plan.status, plan.output).toBe(0);
    expect(plan.output).toMatch(
      /DANGER: nginx is installed at boot, and subnet-[0-9a-f]+ routes 0\.0\.0\.0\/0 to igw-[0-9a-f]+, but gives instances no public IP/,
    );
    const failover = await hotspare('failover', s);
    expect(failover.status).toBe(1);
    expect(failover.output).toContain('hotspare: The redirect server (nginx) installs packages at boot');
    expect(await redirectInstances(false)).toEqual([]);
    expect(await targetIds(s.fixture)).toEqual([...s.fixture.webInstanceIds].sort());
  });

  it('a spare prepared ahead in a private subnet (builtin server): the failover starts it, rollback stops it', async () => {
    await moto.reset();
    const s = await scenario('spare', STEPS, { redirectSubnet: 'private', server: 'builtin' });
    const preparing = hotspare('prepare', s, {}, []);
    // moto runs no user data: play the instance's own poweroff once it exists.
    const spare = await eventuallyFound(async () =>
      (await redirectInstances()).find((i) => i.Tags?.some((t) => t.Key === 'hotspare:spare')),
    );
    const behaviour = await clients.ec2.send(
      new DescribeInstanceAttributeCommand({
        InstanceId: spare.InstanceId,
        Attribute: 'instanceInitiatedShutdownBehavior',
      }),
    );
    expect(behaviour.InstanceInitiatedShutdownBehavior?.Value).toBe('stop');
    await clients.ec2.send(new StopInstancesCommand({ InstanceIds: [spare.InstanceId!] }));
    const prepared = await preparing;
    expect(prepared.status, prepared.output).toBe(0);
    expect(prepared.output).toContain(`Spare ${spare.InstanceId} is prepared, checked and stopped`);
    await expectUserDataServes(s.fixture, spare.InstanceId!, 'builtin', true);

    const failover = await hotspare('failover', s);
    expect(failover.status, failover.output).toBe(0);
    expect(failover.output).toContain('StartInstances');
    expect(failover.output).not.toMatch(/✓ ec2 RunInstances/);
    expect(await targetIds(s.fixture)).toEqual([spare.InstanceId]);

    const rollback = await hotspare('rollback', s);
    expect(rollback.status, rollback.output).toBe(0);
    expect(await targetIds(s.fixture)).toEqual([...s.fixture.webInstanceIds].sort());
    const after = (await redirectInstances(false)).find((i) => i.InstanceId === spare.InstanceId);
    expect(after?.State?.Name).toBe('stopped');
  });

  async function eventuallyFound<T>(read: () => Promise<T | undefined>): Promise<T> {
    const found = await waitUntil(read, (value) => value !== undefined, {
      what: 'the instance',
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    return found as T;
  }

  it('a dry run sends no mutation: no instance, targets untouched', async () => {
    await moto.reset();
    const s = await scenario('dry');
    const dry = await hotspare('failover', s, {}, ['--dry-run']);
    expect(dry.status, dry.output).toBe(0);
    expect(dry.output).toContain('launch permission (EC2 DryRun)');
    expect(await redirectInstances(false)).toEqual([]);
    expect(await targetIds(s.fixture)).toEqual([...s.fixture.webInstanceIds].sort());
  });
}, 240_000);
