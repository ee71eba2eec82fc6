// The emergency runbook's failover plus rollback on moto, side by side, in one run of this script:
// - hotspare: `hotspare failover RUNBOOK --yes` then `hotspare rollback RUNBOOK --yes` (two
//   processes, the built CLI, as an operator runs them);
// - the same AWS calls as a bash script with the AWS CLI (`aws`, Debian's awscli 2.x at
//   /usr/bin/aws unless AWS_CLI names another), one `aws` process per call, waits as polling loops;
// - the same calls as one Node process of raw SDK v3 calls (the floor: no journal, no checks).
// With --against OTHER_BIN (another checkout's dist/cli/bin.js) that build runs the same two commands too.
// moto answers at once (instances run and targets are healthy at once), so this measures the tools,
// not AWS. Median of RUNS runs each, interleaved. Run `npm run build` first.
//   npx tsx bench/whole-run.ts [--runs 5]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { countingProxy } from './counting-proxy.js';
import { stringify } from 'yaml';
import { buildFixture, fixtureClients, FIXTURE_REGION, type Fixture } from '../test/aws/fixture.js';
import { motoChildEnv, startMoto, useFakeAwsCredentials } from '../test/helpers/moto.js';

const { values: flags } = parseArgs({ options: { runs: { type: 'string' }, against: { type: 'string' } } });
const RUNS = Number(flags.runs ?? 5);
const BIN = 'dist/cli/bin.js';
const AWS = process.env['AWS_CLI'] ?? '/usr/bin/aws';
const STEPS = ['suspend-scaling', 'launch-redirect', 'register-redirect', 'wait-redirect-healthy', 'deregister-web', 'verify-maintenance'] as const;

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}


/** Spawn to exit. Not spawnSync: the site and the maintenance site the child probes are served by this process. */
function timed(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; status: number | null; out: string }> {
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

/** The same calls as one Node process of raw SDK v3 calls, no checks and no journal: the floor. */
function sdkScript(f: Fixture, endpoint: string): string {
  const subnet = f.runbook.redirectServer?.subnetId;
  return `import { EC2Client, DescribeInstancesCommand, DescribeInstanceTypesCommand, DescribeSubnetsCommand, DescribeRouteTablesCommand, DescribeImagesCommand, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client, DescribeTargetGroupsCommand, DescribeTargetGroupAttributesCommand, DescribeListenersCommand, DescribeTargetHealthCommand, RegisterTargetsCommand, DeregisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
const config = { region: '${FIXTURE_REGION}', endpoint: '${endpoint}' };
const ec2 = new EC2Client(config), elb = new ElasticLoadBalancingV2Client(config), asg = new AutoScalingClient(config);
const TG = '${f.targetGroupArn}';
const web = ${JSON.stringify(f.webInstanceIds)}.map((Id) => ({ Id, Port: 80 }));
await Promise.all([
  elb.send(new DescribeTargetGroupsCommand({ Names: ['${f.runbook.loadBalancer.targetGroup}'] })),
  elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: TG })),
  ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:role', Values: ['web'] }] })),
  elb.send(new DescribeListenersCommand({ ListenerArns: ['${f.listenerArn}'] })),
  asg.send(new DescribeAutoScalingGroupsCommand({})),
  ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.micro'] })),
  ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['${subnet}'] })),
  ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: ['${subnet}'] }] })),
  ec2.send(new DescribeImagesCommand({ ImageIds: ['${f.imageId}'] })),
]);
await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }));
const run = await ec2.send(new RunInstancesCommand({ ImageId: '${f.imageId}', InstanceType: 't3.micro', SubnetId: '${subnet}', SecurityGroupIds: ['${f.securityGroupId}'], MinCount: 1, MaxCount: 1 }));
const id = run.Instances[0].InstanceId;
while ((await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations[0].Instances[0].State.Name !== 'running') await new Promise((r) => setTimeout(r, 1000));
await elb.send(new RegisterTargetsCommand({ TargetGroupArn: TG, Targets: [{ Id: id, Port: 80 }] }));
while ((await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG, Targets: [{ Id: id, Port: 80 }] }))).TargetHealthDescriptions[0].TargetHealth.State !== 'healthy') await new Promise((r) => setTimeout(r, 1000));
await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: TG, Targets: web }));
await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }));
await elb.send(new RegisterTargetsCommand({ TargetGroupArn: TG, Targets: web }));
await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }));
await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: TG, Targets: [{ Id: id, Port: 80 }] }));
await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
`;
}

async function main(): Promise<void> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
  useFakeAwsCredentials();
  const moto = await startMoto();
  const maintenance = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end("<h1>We'll be right back</h1>"));
  const maintenanceUrl = await listen(maintenance);
  const site = createServer((_, res) => res.writeHead(302, { location: maintenanceUrl }).end());
  const siteUrl = await listen(site);
  // Beside the project, so its imports find node_modules; removed however the run ends.
  const sdk = join(process.cwd(), 'bench', `.whole-run-sdk-${process.pid}.mjs`);
  try {
    const f = await buildFixture(fixtureClients(moto.endpoint), { siteUrl, maintenanceUrl, server: 'builtin', steps: [...STEPS] });
    const work = mkdtempSync(join(tmpdir(), 'hotspare-whole-run-'));
    const runbookFile = join(work, 'emergency.yaml');
    writeFileSync(runbookFile, stringify({ ...f.runbook, steps: f.runbook.steps.map((s) => s.type) }));
    const script = join(work, 'failover-and-back.sh');
    writeFileSync(script, cliScript(f, moto.endpoint, maintenanceUrl));
    writeFileSync(sdk, sdkScript(f, moto.endpoint));
    const env = motoChildEnv({ AWS_EC2_METADATA_DISABLED: 'true' });
    // Once, through a counting proxy: the requests hotspare sends for the two commands.
    const proxy = await countingProxy(moto.endpoint);
    const counted = mkdtempSync(join(work, 'journal-counted-'));
    for (const command of ['failover', 'rollback']) await timed(process.execPath, [BIN, command, runbookFile, '--yes', '--json', '--endpoint-url', proxy.endpoint, '--journal-dir', counted], env);
    proxy.close();
    const sent = [...proxy.counts.values()].reduce((a, b) => a + b, 0);
    const scripted = cliScript(f, moto.endpoint, maintenanceUrl).split('\n').filter((l) => /^\s*(ID=\$\()?aws |until .*aws /.test(l)).length;
    const hasCli = existsSync(AWS);
    const times = { hotspare: [] as number[], failover: [] as number[], rollback: [] as number[], cli: [] as number[], sdk: [] as number[], against: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      const journal = mkdtempSync(join(work, 'journal-'));
      const common = ['--yes', '--json', '--endpoint-url', moto.endpoint, '--journal-dir', journal];
      const a = await timed(process.execPath, [BIN, 'failover', runbookFile, ...common], env);
      const b = await timed(process.execPath, [BIN, 'rollback', runbookFile, ...common], env);
      if (a.status !== 0 || b.status !== 0) throw new Error(`hotspare failed (${a.status}, ${b.status}):\n${a.out.slice(-1500)}\n${b.out.slice(-1500)}`);
      times.failover.push(a.ms);
      times.rollback.push(b.ms);
      times.hotspare.push(a.ms + b.ms);
      if (flags.against !== undefined) {
        const j = mkdtempSync(join(work, 'journal-against-'));
        const other = ['--yes', '--json', '--endpoint-url', moto.endpoint, '--journal-dir', j];
        const x = await timed(process.execPath, [flags.against, 'failover', runbookFile, ...other], env);
        const y = await timed(process.execPath, [flags.against, 'rollback', runbookFile, ...other], env);
        if (x.status !== 0 || y.status !== 0) throw new Error(`${flags.against} failed (${x.status}, ${y.status}):\n${x.out.slice(-1500)}\n${y.out.slice(-1500)}`);
        times.against.push(x.ms + y.ms);
      }
      if (hasCli) {
        const c = await timed('bash', [script], env);
        if (c.status !== 0) throw new Error(`the AWS CLI script failed (${c.status}):\n${c.out.slice(-1500)}`);
        times.cli.push(c.ms);
      }
      const d = await timed(process.execPath, [sdk], env);
      if (d.status !== 0) throw new Error(`the SDK script failed (${d.status}):\n${d.out.slice(-1500)}`);
      times.sdk.push(d.ms);
    }
    const s = (v: number[]): string => `${(median(v) / 1000).toFixed(2)} s (runs ${v.map((x) => (x / 1000).toFixed(2)).join(', ')})`;
    const cliVersion = hasCli ? spawnSync(AWS, ['--version'], { encoding: 'utf8' }).stdout.trim() : 'not installed';
    console.log(`load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${RUNS} runs each, interleaved, median; ${cliVersion}`);
    console.log(`hotspare failover + rollback (two processes): ${s(times.hotspare)}; failover ${s(times.failover)}, rollback ${s(times.rollback)}`);
    console.log(`requests hotspare sends for the two: ${sent} (${[...proxy.counts].map(([op, n]) => `${op} ${n}`).join(', ')}); the script's aws commands: ${scripted}`);
    if (flags.against !== undefined) console.log(`${flags.against}, failover + rollback: ${s(times.against)}`);
    if (hasCli) console.log(`the same calls as a bash script of AWS CLI commands: ${s(times.cli)}; hotspare is ${(median(times.cli) / median(times.hotspare)).toFixed(1)}x faster`);
    console.log(`the same calls as one Node process of raw SDK calls (no journal, no checks): ${s(times.sdk)}`);
  } finally {
    rmSync(sdk, { force: true });
    site.close();
    maintenance.close();
    await moto.stop();
  }
}

await main();
