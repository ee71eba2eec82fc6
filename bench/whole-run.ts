// The emergency runbook (runbooks/emergency-mode.yaml, its ids replaced by a site built in moto with
// 4 web servers and no Auto Scaling group): failover plus rollback, side by side, in one run:
// - hotspare: `hotspare failover RUNBOOK --yes` then `hotspare rollback RUNBOOK --yes` (two
//   processes, the built CLI, as an operator runs them);
// - the same AWS requests hotspare sends, as one Node process of raw SDK v3 calls (the floor: no
//   journal, no checks, no probes); the script is printed in `sdkScript` below;
// - the same calls as a bash script with the AWS CLI (`aws`, Debian's awscli 2.x at /usr/bin/aws
//   unless AWS_CLI names another), one `aws` process per call, waits as polling loops (when installed).
// With --against OTHER_BIN (another checkout's dist/cli/bin.js) that build runs the same two commands too.
// It prints the requests hotspare sends (counted by a proxy, by command and operation) and the wall
// time of hotspare against the raw SDK calls, with the targets (at most 30 requests; within 1.3x).
// moto answers at once (instances run and targets are healthy at once), so this measures the tools,
// not AWS. Median of RUNS runs each, interleaved. Run `npm run build` first.
//   npx tsx bench/whole-run.ts [--runs 5] [--against OTHER_BIN]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { countingProxy } from './counting-proxy.js';
import { parse, stringify } from 'yaml';
import { buildFixture, fixtureClients, FIXTURE_REGION, type Fixture } from '../test/aws/fixture.js';
import { motoChildEnv, startMoto, useFakeAwsCredentials } from '../test/helpers/moto.js';

const { values: flags } = parseArgs({ options: { runs: { type: 'string' }, against: { type: 'string' } } });
const RUNS = Number(flags.runs ?? 5);
const BIN = 'dist/cli/bin.js';
const AWS = process.env['AWS_CLI'] ?? '/usr/bin/aws';
/** The targets of the issue: requests for failover plus rollback, and wall time against the raw SDK calls. */
const MAX_REQUESTS = 30;
const MAX_RATIO = 1.3;
const WEB_SERVERS = 4;

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** Spawn to exit. Not spawnSync: the site and the maintenance site the child probes are served by this process. */
function timed(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ ms: number; status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ ms: Number(process.hrtime.bigint() - t) / 1e6, status, out }));
  });
}

/** runbooks/emergency-mode.yaml with the site's real ids and local URLs in place of its placeholders (steps as shipped). */
function emergencyRunbook(f: Fixture): string {
  const shipped = parse(readFileSync('runbooks/emergency-mode.yaml', 'utf8')) as Record<string, unknown> & {
    redirectServer: Record<string, unknown>;
    maintenance: Record<string, unknown>;
  };
  const rs = f.runbook.redirectServer!;
  return stringify({
    ...shipped,
    name: f.runbook.name,
    site: f.runbook.site,
    maintenance: { url: f.runbook.maintenance.url, expectText: f.runbook.maintenance.expectText },
    loadBalancer: f.runbook.loadBalancer,
    webServers: f.runbook.webServers,
    redirectServer: {
      ...shipped.redirectServer,
      imageId: rs.imageId,
      subnetId: rs.subnetId,
      securityGroupIds: rs.securityGroupIds,
    },
  });
}

/** The calls hotspare makes for this runbook (open, preflight, steps; rollback), as one bash script of `aws` commands. */
function cliScript(f: Fixture, endpoint: string, maintenanceUrl: string): string {
  const web = f.webInstanceIds.map((id) => `Id=${id},Port=80`).join(' ');
  return `#!/usr/bin/env bash
set -euo pipefail
export AWS_PAGER="" AWS_DEFAULT_REGION=${FIXTURE_REGION}
aws() { "${AWS}" --endpoint-url ${endpoint} --output json "$@"; }
TG=${f.targetGroupArn}
# Read the environment (as hotspare does when it opens the runbook).
aws elbv2 describe-target-groups --names ${f.runbook.loadBalancer.targetGroup} >/dev/null
aws elbv2 describe-target-group-attributes --target-group-arn "$TG" >/dev/null
aws ec2 describe-instances --filters Name=tag:role,Values=web Name=tag:fixture,Values=${f.runbook.webServers.tags?.['fixture']} Name=instance-state-name,Values=pending,running,stopping,stopped >/dev/null
aws elbv2 describe-listeners --listener-arns ${f.listenerArn} >/dev/null
aws autoscaling describe-auto-scaling-groups >/dev/null
aws ec2 describe-instance-types --instance-types t3.micro >/dev/null
aws ec2 describe-subnets --subnet-ids ${f.runbook.redirectServer?.subnetId} >/dev/null
aws ec2 describe-route-tables --filters Name=association.subnet-id,Values=${f.runbook.redirectServer?.subnetId} >/dev/null
aws ec2 describe-images --image-ids ${f.imageId} >/dev/null
aws elbv2 describe-target-health --target-group-arn "$TG" >/dev/null
# Failover: launch the redirect instance, register it, wait until healthy, deregister the web servers.
ID=$(aws ec2 run-instances --image-id ${f.imageId} --instance-type t3.micro --subnet-id ${f.runbook.redirectServer?.subnetId} \\
  --security-group-ids ${f.securityGroupId} --count 1 --user-data 'redirect' \\
  --tag-specifications 'ResourceType=instance,Tags=[{Key=hotspare:run,Value=cli}]' --query 'Instances[0].InstanceId' --output text)
until [ "$(aws ec2 describe-instances --instance-ids "$ID" --query 'Reservations[0].Instances[0].State.Name' --output text)" = running ]; do sleep 1; done
aws elbv2 register-targets --target-group-arn "$TG" --targets Id="$ID",Port=80 >/dev/null
until aws elbv2 describe-target-health --target-group-arn "$TG" --targets Id="$ID",Port=80 --query 'TargetHealthDescriptions[0].TargetHealth.State' --output text | grep -q healthy; do sleep 1; done
aws elbv2 deregister-targets --target-group-arn "$TG" --targets ${web} >/dev/null
aws elbv2 describe-target-health --target-group-arn "$TG" >/dev/null
curl -s -o /dev/null ${maintenanceUrl}
# Rollback: the web servers back and healthy, then the redirect instance out and terminated.
aws elbv2 register-targets --target-group-arn "$TG" --targets ${web} >/dev/null
aws elbv2 describe-target-health --target-group-arn "$TG" >/dev/null
aws elbv2 deregister-targets --target-group-arn "$TG" --targets Id="$ID",Port=80 >/dev/null
aws ec2 terminate-instances --instance-ids "$ID" >/dev/null
`;
}

/**
 * The requests hotspare sends for the two commands (as the proxy counts them), as one Node process
 * of raw SDK v3 calls in the same order and with the same concurrency: the environment's reads
 * together, the DryRun launch, the steps, then the rollback. No journal, no checks, no probes.
 */
function sdkScript(f: Fixture, endpoint: string): string {
  const rs = f.runbook.redirectServer!;
  const tags = Object.entries(f.runbook.webServers.tags ?? {}).map(([k, v]) => ({ Name: `tag:${k}`, Values: [v] }));
  const launch = `{ ImageId: '${f.imageId}', InstanceType: 't3.micro', SubnetId: '${rs.subnetId}', SecurityGroupIds: ['${f.securityGroupId}'], MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'hotspare:run', Value: 'sdk' }] }] }`;
  return `import { EC2Client, DescribeInstancesCommand, DescribeInstanceTypesCommand, DescribeImagesCommand, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client, DescribeTargetGroupsCommand, DescribeTargetGroupAttributesCommand, DescribeListenersCommand, DescribeRulesCommand, DescribeTargetHealthCommand, RegisterTargetsCommand, DeregisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
const config = { region: '${FIXTURE_REGION}', endpoint: '${endpoint}' };
const ec2 = new EC2Client(config), elb = new ElasticLoadBalancingV2Client(config), asg = new AutoScalingClient(config);
const TG = '${f.targetGroupArn}';
const live = { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] };
const running = async (id) => (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations[0].Instances[0].State.Name === 'running';
const healthy = async (ids) => (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }))).TargetHealthDescriptions.filter((d) => ids.includes(d.Target.Id) && d.TargetHealth.State === 'healthy').length === ids.length;
const [, , web] = await Promise.all([
  elb.send(new DescribeListenersCommand({ ListenerArns: ['${f.listenerArn}'] })),
  elb.send(new DescribeRulesCommand({ ListenerArn: '${f.listenerArn}' })),
  ec2.send(new DescribeInstancesCommand({ Filters: [...${JSON.stringify(tags)}, live] })),
  ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:hotspare:spare', Values: ['${f.runbook.name}'] }, live] })),
  asg.send(new DescribeAutoScalingGroupsCommand({})),
  elb.send(new DescribeTargetGroupsCommand({ Names: ['${f.runbook.loadBalancer.targetGroup}'] })).then(() => elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: TG }))),
  ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.micro'] })).then(() => ec2.send(new DescribeImagesCommand({ ImageIds: ['${f.imageId}'] }))),
]);
await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }));
await ec2.send(new RunInstancesCommand({ ...${launch}, DryRun: true })).catch((e) => { if (e.name !== 'DryRunOperation') throw e; });
await asg.send(new DescribeAutoScalingGroupsCommand({}));
await Promise.all([
  ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:hotspare:run', Values: ['sdk'] }, live] })),
  ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:hotspare:spare', Values: ['${f.runbook.name}'] }, live] })),
]);
const id = (await ec2.send(new RunInstancesCommand(${launch}))).Instances[0].InstanceId;
while (!(await running(id))) await new Promise((r) => setTimeout(r, 1000));
await elb.send(new RegisterTargetsCommand({ TargetGroupArn: TG, Targets: [{ Id: id, Port: 80 }] }));
while (!(await healthy([id]))) await new Promise((r) => setTimeout(r, 1000));
const webIds = web.Reservations.flatMap((r) => r.Instances.map((i) => i.InstanceId));
await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: TG, Targets: webIds.map((Id) => ({ Id, Port: 80 })) }));
await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }));
// Rollback.
await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }));
await ec2.send(new DescribeInstancesCommand({ InstanceIds: webIds }));
await elb.send(new RegisterTargetsCommand({ TargetGroupArn: TG, Targets: webIds.map((Id) => ({ Id, Port: 80 })) }));
while (!(await healthy(webIds))) await new Promise((r) => setTimeout(r, 1000));
await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: TG, Targets: [{ Id: id, Port: 80 }] }));
await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:hotspare:run', Values: ['sdk'] }, live] }));
await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
`;
}

/** Requests by operation, as one line: `DescribeInstances 4, ...`, most first. */
function byOperation(counts: Map<string, number>): string {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
}

const total = (counts: Map<string, number>): number => [...counts.values()].reduce((a, b) => a + b, 0);

async function main(): Promise<void> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
  useFakeAwsCredentials();
  const moto = await startMoto();
  const maintenance = createServer((_, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end("<h1>We'll be right back</h1>"),
  );
  const maintenanceUrl = await listen(maintenance);
  const site = createServer((_, res) => res.writeHead(302, { location: maintenanceUrl }).end());
  const siteUrl = await listen(site);
  // Beside the project, so its imports find node_modules; removed however the run ends.
  const sdk = join(process.cwd(), 'bench', `.whole-run-sdk-${process.pid}.mjs`);
  try {
    const f = await buildFixture(fixtureClients(moto.endpoint), {
      siteUrl,
      maintenanceUrl,
      server: 'builtin',
      webServers: WEB_SERVERS,
    });
    const work = mkdtempSync(join(tmpdir(), 'hotspare-whole-run-'));
    const runbookFile = join(work, 'emergency-mode.yaml');
    writeFileSync(runbookFile, emergencyRunbook(f));
    const script = join(work, 'failover-and-back.sh');
    writeFileSync(script, cliScript(f, moto.endpoint, maintenanceUrl));
    writeFileSync(sdk, sdkScript(f, moto.endpoint));
    const env = motoChildEnv({ AWS_EC2_METADATA_DISABLED: 'true' });
    // Every run goes through a counting proxy (hotspare and the raw script alike): the requests each sends, and the time.
    const proxy = await countingProxy(moto.endpoint);
    writeFileSync(sdk, sdkScript(f, proxy.endpoint));
    const scripted = cliScript(f, moto.endpoint, maintenanceUrl)
      .split('\n')
      .filter((l) => /^\s*(ID=\$\()?aws |until .*aws /.test(l)).length;
    const hasCli = existsSync(AWS);
    const times = {
      hotspare: [] as number[],
      failover: [] as number[],
      rollback: [] as number[],
      cli: [] as number[],
      sdk: [] as number[],
      against: [] as number[],
    };
    const sent = {
      failover: [] as Map<string, number>[],
      rollback: [] as Map<string, number>[],
      sdk: [] as Map<string, number>[],
      against: [] as Map<string, number>[],
    };
    for (let i = 0; i < RUNS; i++) {
      const journal = mkdtempSync(join(work, 'journal-'));
      const common = ['--yes', '--json', '--endpoint-url', proxy.endpoint, '--journal-dir', journal];
      proxy.take();
      const a = await timed(process.execPath, [BIN, 'failover', runbookFile, ...common], env);
      sent.failover.push(proxy.take());
      const b = await timed(process.execPath, [BIN, 'rollback', runbookFile, ...common], env);
      sent.rollback.push(proxy.take());
      if (a.status !== 0 || b.status !== 0)
        throw new Error(`hotspare failed (${a.status}, ${b.status}):\n${a.out.slice(-1500)}\n${b.out.slice(-1500)}`);
      times.failover.push(a.ms);
      times.rollback.push(b.ms);
      times.hotspare.push(a.ms + b.ms);
      const d = await timed(process.execPath, [sdk], env);
      sent.sdk.push(proxy.take());
      if (d.status !== 0) throw new Error(`the SDK script failed (${d.status}):\n${d.out.slice(-1500)}`);
      times.sdk.push(d.ms);
      if (flags.against !== undefined) {
        const j = mkdtempSync(join(work, 'journal-against-'));
        const other = ['--yes', '--json', '--endpoint-url', proxy.endpoint, '--journal-dir', j];
        proxy.take();
        const x = await timed(process.execPath, [flags.against, 'failover', runbookFile, ...other], env);
        const y = await timed(process.execPath, [flags.against, 'rollback', runbookFile, ...other], env);
        sent.against.push(proxy.take());
        if (x.status !== 0 || y.status !== 0)
          throw new Error(
            `${flags.against} failed (${x.status}, ${y.status}):\n${x.out.slice(-1500)}\n${y.out.slice(-1500)}`,
          );
        times.against.push(x.ms + y.ms);
      }
      if (hasCli) {
        const c = await timed('bash', [script], env);
        if (c.status !== 0) throw new Error(`the AWS CLI script failed (${c.status}):\n${c.out.slice(-1500)}`);
        times.cli.push(c.ms);
      }
    }
    proxy.close();
    const s = (v: number[]): string =>
      `${(median(v) / 1000).toFixed(2)} s (runs ${v.map((x) => (x / 1000).toFixed(2)).join(', ')})`;
    const cliVersion = hasCli ? spawnSync(AWS, ['--version'], { encoding: 'utf8' }).stdout.trim() : 'not installed';
    const perRun = sent.failover.map((fo, i) => total(fo) + total(sent.rollback[i]!));
    const requests = median(perRun);
    const ratio = median(times.hotspare) / median(times.sdk);
    const typical = (runs: Map<string, number>[]): Map<string, number> => runs[perRun.indexOf(requests)] ?? runs[0]!;
    console.log(
      `load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; ${RUNS} runs each, interleaved, median; ${WEB_SERVERS} web servers; AWS CLI ${cliVersion}`,
    );
    console.log(
      `requests hotspare sends, failover + rollback: ${requests} (runs ${perRun.join(', ')}; target at most ${MAX_REQUESTS}: ${Math.max(...perRun) <= MAX_REQUESTS ? 'met in every run' : 'NOT met'})`,
    );
    for (const command of ['failover', 'rollback'] as const)
      console.log(`  ${command}: ${total(typical(sent[command]))} (${byOperation(typical(sent[command]))})`);
    console.log(`  the raw SDK script: ${total(sent.sdk[0]!)} (${byOperation(sent.sdk[0]!)})`);
    console.log(
      `hotspare failover + rollback (two processes): ${s(times.hotspare)}; failover ${s(times.failover)}, rollback ${s(times.rollback)}`,
    );
    console.log(`the same requests as one Node process of raw SDK calls: ${s(times.sdk)}`);
    console.log(
      `hotspare / raw SDK: ${ratio.toFixed(2)}x (target at most ${MAX_RATIO}x: ${ratio <= MAX_RATIO ? 'met' : 'NOT met'})`,
    );
    if (flags.against !== undefined) {
      console.log(
        `${flags.against}, failover + rollback: ${s(times.against)}; ${(median(times.against) / median(times.sdk)).toFixed(2)}x the raw SDK calls`,
      );
      console.log(`  requests: ${total(sent.against[0]!)} (${byOperation(sent.against[0]!)})`);
    }
    if (hasCli)
      console.log(
        `the same calls as a bash script of ${scripted} AWS CLI commands: ${s(times.cli)}; hotspare is ${(median(times.cli) / median(times.hotspare)).toFixed(1)}x faster`,
      );
  } finally {
    rmSync(sdk, { force: true });
    site.close();
    maintenance.close();
    await moto.stop();
  }
}

await main();
