import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateRuleCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildFixture, fixtureClients, FIXTURE_REGION, type Fixture, type FixtureClients } from '../aws/fixture.js';
import { MARKER, startLocalSite, type LocalSite } from '../helpers/local-site.js';
import { motoChildEnv, startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';

/**
 * The staff bypass through the built CLI on moto: during a listener redirect, a rule with a
 * source-ip condition forwards the runbook's CIDRs to the web target group (read back with the
 * SDK), ahead of the rule covering /api/*; rollback leaves the listener's rules and default action
 * exactly as they were.
 */

const CLI = 'dist/cli/bin.js';
const OFFICE = ['203.0.113.0/24', '198.51.100.0/25', '2001:db8::/32'];

interface CliResult {
  readonly status: number | null;
  readonly output: string;
}

describe('staff bypass on moto, through the CLI', () => {
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
    work = mkdtempSync(join(tmpdir(), 'hotspare-bypass-moto-'));
  });

  afterAll(async () => {
    await site?.close();
    await moto?.stop();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  function hotspare(command: string, runbookFile: string, ...flags: string[]): Promise<CliResult> {
    const journal = command === 'plan' ? [] : ['--journal-dir', join(work, 'journal'), '--headless'];
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
      AWS_ENDPOINT_URL: moto.endpoint,
      HOME: work,
      XDG_STATE_HOME: join(work, 'state'),
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

  async function rules(f: Fixture): Promise<Rule[]> {
    const out = await clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: f.listenerArn }));
    return (out.Rules ?? []).filter((r) => r.IsDefault !== true);
  }

  async function defaultActions(f: Fixture): Promise<unknown> {
    const out = await clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [f.listenerArn] }));
    return out.Listeners?.[0]?.DefaultActions;
  }

  it('the source-ip rule exists with the CIDRs during the failover, ahead of the cover, and is gone after rollback', async () => {
    const fixture = await buildFixture(clients, {
      siteUrl: site.siteUrl,
      maintenanceUrl: site.maintenanceUrl,
      expectText: MARKER,
      steps: ['set-listener-redirect', 'verify-maintenance'],
    });
    await clients.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: fixture.listenerArn,
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }],
        Actions: [{ Type: 'forward', TargetGroupArn: fixture.targetGroupArn }],
      }),
    );
    const runbook = {
      ...fixture.runbook,
      loadBalancer: { ...fixture.runbook.loadBalancer, staffBypass: OFFICE },
      polling: { intervalSeconds: 0.5 },
    };
    const runbookFile = join(work, 'bypass.yaml');
    writeFileSync(runbookFile, stringify(runbook));
    const rulesBefore = await rules(fixture);
    const actionsBefore = await defaultActions(fixture);

    const plan = await hotspare('plan', runbookFile);
    expect(plan.status, plan.output).toBe(0);
    expect(plan.output).toContain('forwarding 203.0.113.0/24, 198.51.100.0/25, 2001:db8::/32 to');

    const failover = await hotspare('failover', runbookFile, '--yes');
    expect(failover.status, failover.output).toBe(0);
    const during = await rules(fixture);
    const bypass = during.filter((r) => r.Conditions?.[0]?.Field === 'source-ip');
    expect(bypass).toHaveLength(1);
    expect(bypass[0]?.Conditions).toEqual([
      expect.objectContaining({ Field: 'source-ip', SourceIpConfig: { Values: OFFICE } }),
    ]);
    expect(bypass[0]?.Actions?.[0]).toMatchObject({ Type: 'forward', TargetGroupArn: fixture.targetGroupArn });
    // The bypass answers before the rule that gives everyone else the maintenance redirect.
    const cover = during.find((r) => r.Actions?.[0]?.Type === 'redirect');
    expect(cover).toBeDefined();
    expect(Number(bypass[0]?.Priority)).toBeLessThan(Number(cover?.Priority));
    expect(Number(cover?.Priority)).toBeLessThan(10);

    const rollback = await hotspare('rollback', runbookFile, '--yes');
    expect(rollback.status, rollback.output).toBe(0);
    expect(await rules(fixture)).toEqual(rulesBefore);
    expect(await defaultActions(fixture)).toEqual(actionsBefore);
  });
});
