import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import { DescribeListenersCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildFixture, fixtureClients, FIXTURE_REGION, type Fixture, type FixtureClients } from '../aws/fixture.js';
import { motoChildEnv, startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';

/**
 * The built CLI against moto, end to end: failover, rollback, and a crash right after RunInstances
 * followed by resume. moto has no data plane, so the site and maintenance URLs are tiny local servers.
 */

// package.json's "bin" names dist/cli/main.js, which only exports main(); bin.js is what runs it.
const CLI = ['dist/cli/bin.js', 'dist/cli/main.js'].find((p) => existsSync(p)) ?? 'dist/cli/bin.js';
const MARKER = "We'll be right back";
const STEPS = ['launch-redirect', 'register-redirect', 'wait-redirect-healthy', 'deregister-web', 'verify-maintenance'] as const;

interface Site {
  readonly siteUrl: string;
  readonly maintenanceUrl: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

async function startSite(): Promise<Site> {
  const maintenance = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>${MARKER}</h1>`));
  const maintenanceUrl = await listen(maintenance);
  const site = createServer((_, res) => res.writeHead(302, { location: maintenanceUrl }).end());
  const siteUrl = await listen(site);
  const close = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));
  return { siteUrl, maintenanceUrl, close: async () => void (await Promise.all([close(site), close(maintenance)])) };
}

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

describe.skipIf(!existsSync(CLI))('hotspare CLI against moto', () => {
  let moto: Moto;
  let site: Site;
  let clients: FixtureClients;
  let work: string;

  beforeAll(async () => {
    useFakeAwsCredentials();
    moto = await startMoto();
    site = await startSite();
    clients = fixtureClients(moto.endpoint);
    work = mkdtempSync(join(tmpdir(), 'hotspare-moto-e2e-'));
  });

  afterAll(async () => {
    await site?.close();
    await moto?.stop();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  async function scenario(name: string): Promise<Scenario> {
    const fixture = await buildFixture(clients, { siteUrl: site.siteUrl, maintenanceUrl: site.maintenanceUrl, expectText: MARKER, steps: [...STEPS] });
    const runbookFile = join(work, `${name}.yaml`);
    writeFileSync(runbookFile, stringify({ ...fixture.runbook, polling: { intervalSeconds: 0.5 } }));
    return { fixture, runbookFile, journalDir: join(work, `${name}-journal`), originalActions: await listenerActions(fixture) };
  }

  /** Run the CLI without blocking this process's event loop: the local site lives here. */
  function hotspare(command: string, s: Scenario, extraEnv: Record<string, string> = {}): Promise<CliResult> {
    const args = [CLI, command, s.runbookFile, '--yes', '--headless', '--endpoint-url', moto.endpoint, '--region', FIXTURE_REGION, '--journal-dir', s.journalDir];
    const env = motoChildEnv({ ...extraEnv, AWS_ENDPOINT_URL: moto.endpoint, HOME: work, XDG_STATE_HOME: join(work, 'state'), AWS_EC2_METADATA_DISABLED: 'true' });
    const child = spawn('node', args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (status, signal) => resolve({ status, signal, output }));
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
    return (out.TargetHealthDescriptions ?? []).filter((d) => d.TargetHealth?.State !== 'draining').map((d) => d.Target?.Id ?? '').sort();
  }

  async function listenerActions(f: Fixture): Promise<unknown> {
    const out = await clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [f.listenerArn] }));
    return out.Listeners?.[0]?.DefaultActions;
  }

  it('fails over to a running, registered redirect instance and rolls back to the original state', async () => {
    const s = await scenario('failover');
    const failover = await hotspare('failover', s);
    expect(failover.status, failover.output).toBe(0);
    const launched = await redirectInstances();
    expect(launched.map((i) => i.State?.Name)).toEqual(['running']);
    const redirectId = launched[0]?.InstanceId ?? '';
    expect(await targetIds(s.fixture)).toEqual([redirectId]);
    expect(await listenerActions(s.fixture)).toEqual(s.originalActions);

    const rollback = await hotspare('rollback', s);
    expect(rollback.status, rollback.output).toBe(0);
    expect(await targetIds(s.fixture)).toEqual([...s.fixture.webInstanceIds].sort());
    expect(await redirectInstances()).toEqual([]);
    const all = await redirectInstances(false);
    expect(all.map((i) => [i.InstanceId, i.State?.Name])).toEqual([[redirectId, expect.stringMatching(/^(shutting-down|terminated)$/)]]);
    expect(await listenerActions(s.fixture)).toEqual(s.originalActions);
  });

  it('after a crash right after RunInstances, resume finds the instance instead of launching a second', async () => {
    await moto.reset();
    const s = await scenario('crash');
    const crashed = await hotspare('failover', s, { HOTSPARE_CRASH_AFTER: 'RunInstances' });
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
}, 240_000);
