import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Compute,
  Dns,
  DnsRecord,
  InstanceInfo,
  LaunchSpec,
  ListenerAction,
  LoadBalancer,
  TargetGroupInfo,
} from '../../src/ports/index.js';
import type { Runbook } from '../../src/runbook/schema.js';
import { groupsTouching } from '../../src/domain/scaling.js';
import type { AutoScaling } from '../../src/ports/scaling.js';
import { EVERY_PATH } from '../../src/domain/listener-rules.js';
import { comparableRecord as comparable } from '../../src/domain/dns-name.js';
import { forApi } from '../../src/steps/targets.js';
import { redirectConfigFor } from '../../src/redirect/config.js';
import { guessArchitecture, latestAmazonLinux } from '../../src/redirect/image.js';
import { waitUntil } from '../helpers/wait.js';

/** What each implementation under contract hands the suite. */
export interface ContractSetup {
  readonly ports: {
    readonly lb: LoadBalancer;
    readonly compute: Compute;
    readonly dns: Dns;
    readonly scaling: AutoScaling;
  };
  readonly runbook: Runbook;
  cleanup(): Promise<void>;
}

const SETTLE_MS = 20_000;
const TEST_TIMEOUT_MS = 60_000;

/** Poll `read` until `accept` holds (real timers), returning the last value; fails with `what` on timeout. */
function eventually<T>(
  what: string,
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = SETTLE_MS,
): Promise<T> {
  return waitUntil(read, accept, { what, timeoutMs, intervalMs: 250 });
}

function launchSpecFor(
  runbook: Runbook,
  tg: TargetGroupInfo,
  imageId: string,
  runTag: string,
  clientToken: string,
): LaunchSpec {
  const server = runbook.redirectServer;
  if (server === undefined) throw new Error('the contract runbook needs a redirectServer section');
  return {
    imageId,
    instanceType: server.instanceType,
    subnetId: server.subnetId,
    securityGroupIds: server.securityGroupIds,
    keyName: server.keyName,
    redirect: redirectConfigFor(tg, {
      server: server.server ?? 'builtin',
      targetUrl: runbook.maintenance.url,
      statusCode: server.statusCode,
    }),
    clientToken,
    tags: { Name: 'hotspare-contract', 'hotspare:run': runTag, 'hotspare:step': 'launch-redirect' },
  };
}

/** The engine's launch idiom: look up by tag, launch only when nothing live carries the tags. */
async function launchOnce(compute: Compute, spec: LaunchSpec): Promise<InstanceInfo> {
  const existing = await compute.describeInstances({ tags: spec.tags });
  if (existing[0] !== undefined) return existing[0];
  return (await compute.runInstance(spec)).instance;
}

/**
 * The port contract every implementation (aws adapters on moto, the sandbox) must keep, driven only
 * by the runbook's own names and ids. Tests run in order and share one setup; each puts back what it
 * changed, except instances it launched, which it terminates.
 */
export function portContract(label: string, setup: () => Promise<ContractSetup>): void {
  describe(
    `port contract: ${label}`,
    () => {
      let ctx: ContractSetup;
      let tg: TargetGroupInfo;
      let webIds: string[];
      let launched: InstanceInfo | undefined;
      let imageId: string;

      beforeAll(async () => {
        ctx = await setup();
        tg = await ctx.ports.lb.describeTargetGroup(ctx.runbook.loadBalancer.targetGroup);
        const web = ctx.runbook.webServers;
        webIds = web.instanceIds ?? (await ctx.ports.compute.describeInstances({ tags: web.tags })).map((i) => i.id);
        const server = ctx.runbook.redirectServer;
        imageId = (
          await ctx.ports.compute.describeImage(
            server?.imageId ?? latestAmazonLinux(guessArchitecture(server?.instanceType ?? 't3.micro')),
          )
        ).id;
      });

      afterAll(async () => {
        if (launched !== undefined) await ctx.ports.compute.terminateInstances([launched.id]).catch(() => undefined);
        await ctx?.cleanup();
      });

      it('describes the target group by name and by ARN alike', async () => {
        const byArn = await ctx.ports.lb.describeTargetGroup(tg.arn);
        const byName = await ctx.ports.lb.describeTargetGroup(tg.name);
        expect(byArn).toEqual(byName);
        expect(byName.arn).toMatch(/^arn:aws[\w-]*:elasticloadbalancing:[^:]+:\d{12}:targetgroup\//);
        expect(byName.healthCheck.intervalSeconds).toBeGreaterThan(0);
        expect(byName.healthCheck.healthyThreshold).toBeGreaterThan(0);
        expect(byName.deregistrationDelaySeconds).toBeGreaterThanOrEqual(0);
      });

      it('finds the web servers and reports them healthy in the target group', async () => {
        expect(webIds.length).toBeGreaterThan(0);
        const health = await eventually(
          'every web server healthy',
          () => ctx.ports.lb.describeTargetHealth(tg.arn),
          (targets) => webIds.every((id) => targets.some((t) => t.id === id && t.state === 'healthy')),
        );
        for (const id of webIds) expect(health.find((t) => t.id === id)?.port).toBe(tg.port);
      });

      it('describes an image by id, and the latest Amazon Linux 2023 through its SSM parameter', async () => {
        const image = await ctx.ports.compute.describeImage(imageId);
        expect(image).toMatchObject({ id: imageId, platform: 'linux' });
        expect(['x86_64', 'arm64']).toContain(image.architecture);
        for (const arch of ['x86_64', 'arm64'] as const) {
          const latest = await ctx.ports.compute.describeImage(latestAmazonLinux(arch));
          expect(latest).toMatchObject({
            id: expect.stringMatching(/^ami-[0-9a-f]{8,17}$/),
            architecture: arch,
            platform: 'linux',
            resolvedFrom: `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`,
          });
          expect(latest.name).toMatch(/al2023/);
        }
        await expect(
          ctx.ports.compute.describeImage('resolve:ssm:/hotspare/contract/no-such-parameter'),
        ).rejects.toMatchObject({ kind: 'external', code: 'SSMParameterNotFound' });
        await expect(ctx.ports.compute.describeImage('ami-0fffffffffffffff0')).rejects.toMatchObject({
          kind: 'external',
          code: 'AMINotFound',
        });
      });

      it('describes instance types with their architectures; an unknown type is NotFound', async () => {
        expect(await ctx.ports.compute.describeInstanceType('t3.micro')).toEqual({
          instanceType: 't3.micro',
          architectures: ['x86_64'],
        });
        expect(await ctx.ports.compute.describeInstanceType('t4g.micro')).toEqual({
          instanceType: 't4g.micro',
          architectures: ['arm64'],
        });
        await expect(ctx.ports.compute.describeInstanceType('t9.nope')).rejects.toMatchObject({
          kind: 'external',
          code: 'InstanceTypeNotFound',
        });
      });

      it("reads the redirect subnet's network: its VPC and the routes of the table in effect", async () => {
        const subnetId = ctx.runbook.redirectServer?.subnetId ?? '';
        const network = await ctx.ports.compute.describeSubnetNetwork(subnetId);
        expect(network).toMatchObject({
          subnetId,
          vpcId: expect.stringMatching(/^vpc-/),
          mapPublicIpOnLaunch: expect.any(Boolean),
        });
        expect(network.routeTableId).toMatch(/^rtb-/);
        expect(network.routes).toContainEqual(expect.objectContaining({ target: 'local' }));
        await expect(ctx.ports.compute.describeSubnetNetwork('subnet-0fffffffffffffff0')).rejects.toMatchObject({
          kind: 'external',
          code: 'SubnetNotFound',
        });
      });

      it('checks a launch (DryRun) without starting anything', async () => {
        const spec = launchSpecFor(ctx.runbook, tg, imageId, `contract-${randomUUID()}`, randomUUID());
        await expect(ctx.ports.compute.checkLaunch(spec)).resolves.toBeUndefined();
        expect(await ctx.ports.compute.describeInstances({ tags: spec.tags, liveOnly: false })).toEqual([]);
      });

      it('launches at most one redirect instance per tag set, found by its tags', async () => {
        const spec = launchSpecFor(ctx.runbook, tg, imageId, `contract-${randomUUID()}`, randomUUID());
        expect(await ctx.ports.compute.describeInstances({ tags: spec.tags })).toEqual([]);
        launched = await launchOnce(ctx.ports.compute, spec);
        expect(['pending', 'running']).toContain(launched.state);
        expect(launched.tags).toMatchObject(spec.tags);
        const again = await launchOnce(ctx.ports.compute, spec);
        expect(again.id).toBe(launched.id);
        const found = await ctx.ports.compute.describeInstances({ tags: spec.tags });
        expect(found.map((i) => i.id)).toEqual([launched.id]);
        expect(found[0]?.tags).toMatchObject(spec.tags);
      });

      it('registers and deregisters a target: deregistered means draining or gone', async () => {
        const instance = launched;
        if (instance === undefined) throw new Error('needs the instance launched by the previous test');
        await eventually(
          'the redirect instance running',
          () => ctx.ports.compute.describeInstances({ ids: [instance.id] }),
          (l) => l[0]?.state === 'running',
        );
        const registered = await ctx.ports.lb.registerTargets(tg.arn, [{ id: instance.id, port: tg.port }]);
        expect(registered).toBeTypeOf('object');
        const after = await ctx.ports.lb.describeTargetHealth(tg.arn);
        expect(after.find((t) => t.id === instance.id)?.state).toMatch(/^(initial|healthy)$/);
        await ctx.ports.lb.deregisterTargets(tg.arn, [{ id: instance.id, port: tg.port }]);
        const gone = await ctx.ports.lb.describeTargetHealth(tg.arn);
        expect(['draining', undefined]).toContain(gone.find((t) => t.id === instance.id)?.state);
      });

      it('re-registers a deregistered web target from its journaled id, port and zone (rollback)', async () => {
        const before = await ctx.ports.lb.describeTargetHealth(tg.arn);
        const web = before.find((t) => webIds.includes(t.id));
        if (web === undefined) throw new Error('no web target registered');
        const [target] = forApi(tg.targetType, [
          { id: web.id, port: web.port, availabilityZone: web.availabilityZone },
        ]);
        if (target === undefined) throw new Error('no target');
        await ctx.ports.lb.deregisterTargets(tg.arn, [target]);
        await ctx.ports.lb.registerTargets(tg.arn, [target]);
        await eventually(
          'the web target back in service',
          () => ctx.ports.lb.describeTargetHealth(tg.arn),
          (l) => l.some((t) => t.id === web.id && t.state === 'healthy'),
        );
      });

      it('stops and starts the instance (a spare): stopped is still live, then running again', async () => {
        const instance = launched;
        if (instance === undefined) throw new Error('needs the instance launched earlier');
        await ctx.ports.compute.stopInstances([instance.id]);
        await eventually(
          'the instance stopped',
          () => ctx.ports.compute.describeInstances({ ids: [instance.id] }),
          (l) => l[0]?.state === 'stopped',
        );
        await ctx.ports.compute.stopInstances([instance.id]);
        await ctx.ports.compute.startInstances([instance.id]);
        await eventually(
          'the instance running again',
          () => ctx.ports.compute.describeInstances({ ids: [instance.id] }),
          (l) => l[0]?.state === 'running',
        );
        await ctx.ports.compute.startInstances([instance.id]);
        expect((await ctx.ports.compute.describeInstances({ ids: [instance.id] }))[0]?.state).toBe('running');
      });

      it('terminates the instance: live look-ups stop finding it', async () => {
        const instance = launched;
        if (instance === undefined) throw new Error('needs the instance launched earlier');
        await ctx.ports.compute.terminateInstances([instance.id]);
        await eventually(
          'no live instance',
          () => ctx.ports.compute.describeInstances({ ids: [instance.id] }),
          (l) => l.length === 0,
        );
        const all = await ctx.ports.compute.describeInstances({ ids: [instance.id], liveOnly: false });
        expect(all.map((i) => i.state)).toEqual([expect.stringMatching(/^(shutting-down|terminated)$/)]);
        launched = undefined;
      });

      it('sets listener default actions and restores the originals exactly', async () => {
        const listenerArn = ctx.runbook.loadBalancer.listener;
        if (listenerArn === undefined) return;
        const original = await ctx.ports.lb.describeListener(listenerArn);
        expect(original.defaultActions.length).toBeGreaterThan(0);
        const redirect: ListenerAction = {
          Type: 'redirect',
          RedirectConfig: {
            Protocol: 'HTTPS',
            Port: '443',
            Host: 'maintenance.example.com',
            Path: '/',
            Query: '',
            StatusCode: 'HTTP_302',
          },
        };
        await ctx.ports.lb.setListenerDefaultActions(listenerArn, [redirect]);
        const redirected = await ctx.ports.lb.describeListener(listenerArn);
        expect(redirected.defaultActions).toEqual([expect.objectContaining(redirect)]);
        await ctx.ports.lb.setListenerDefaultActions(listenerArn, original.defaultActions);
        expect(await ctx.ports.lb.describeListener(listenerArn)).toEqual(original);
      });

      it("creates a rule ahead of the listener's rules, replaces and restores a rule's actions, and deletes the rule", async () => {
        const listenerArn = ctx.runbook.loadBalancer.listener;
        if (listenerArn === undefined) return;
        const before = await ctx.ports.lb.describeRules(listenerArn);
        const forward: ListenerAction = { Type: 'forward', TargetGroupArn: tg.arn };
        const api = await ctx.ports.lb.createRule(
          listenerArn,
          20,
          [{ Field: 'path-pattern', Values: ['/api/*'] }],
          [forward],
        );
        const fixed: ListenerAction = {
          Type: 'fixed-response',
          FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'back soon' },
        };
        const cover = await ctx.ports.lb.createRule(listenerArn, 1, EVERY_PATH, [fixed]);
        const rules = await ctx.ports.lb.describeRules(listenerArn);
        expect(rules.map((r) => r.priority)).toEqual([...before.map((r) => r.priority), 1, 20].sort((a, b) => a - b));
        expect(rules.find((r) => r.arn === cover.ruleArn)).toMatchObject({
          priority: 1,
          conditions: EVERY_PATH,
          actions: [expect.objectContaining(fixed)],
        });
        await expect(ctx.ports.lb.createRule(listenerArn, 1, EVERY_PATH, [fixed])).rejects.toMatchObject({
          kind: 'external',
          code: 'AwsError',
          awsCode: 'PriorityInUse',
        });
        await ctx.ports.lb.setRuleActions(api.ruleArn, [fixed]);
        expect((await ctx.ports.lb.describeRules(listenerArn)).find((r) => r.arn === api.ruleArn)?.actions).toEqual([
          expect.objectContaining(fixed),
        ]);
        await ctx.ports.lb.setRuleActions(api.ruleArn, [forward]);
        await ctx.ports.lb.deleteRule(cover.ruleArn);
        await ctx.ports.lb.deleteRule(api.ruleArn);
        expect(await ctx.ports.lb.describeRules(listenerArn)).toEqual(before);
      });

      it('finds the Auto Scaling group attached to the target group, and suspends and resumes its processes', async () => {
        const groups = groupsTouching(await ctx.ports.scaling.describeGroups(), tg.arn, webIds);
        expect(groups.length).toBe(1);
        const group = groups[0]!;
        await ctx.ports.scaling.suspendProcesses(group.name, ['Launch', 'AddToLoadBalancer']);
        const suspended = (await ctx.ports.scaling.describeGroups()).find((g) => g.name === group.name);
        expect(suspended?.suspended).toEqual(expect.arrayContaining(['Launch', 'AddToLoadBalancer']));
        await ctx.ports.scaling.resumeProcesses(group.name, ['Launch', 'AddToLoadBalancer']);
        const resumed = (await ctx.ports.scaling.describeGroups()).find((g) => g.name === group.name);
        expect(resumed?.suspended).toEqual(group.suspended);
        await expect(ctx.ports.scaling.suspendProcesses('no-such-group', ['Launch'])).rejects.toMatchObject({
          kind: 'external',
        });
      });

      it('upserts a DNS record, waits for INSYNC, and restores the previous record', async () => {
        const dns = ctx.runbook.dns;
        if (dns === undefined) return;
        expect(await ctx.ports.dns.hasHostedZone(dns.hostedZoneId)).toBe(true);
        const previous = await ctx.ports.dns.getRecord(dns.hostedZoneId, dns.recordName, dns.type);
        const failover: DnsRecord = { name: dns.recordName, type: dns.type, ttl: dns.ttl, values: [dns.failoverValue] };
        const change = await ctx.ports.dns.upsertRecord(dns.hostedZoneId, failover);
        expect(change.changeId).not.toBe('');
        await eventually(
          'the change INSYNC',
          () => ctx.ports.dns.getChange(change.changeId),
          (s) => s === 'INSYNC',
        );
        expect(comparable(await ctx.ports.dns.getRecord(dns.hostedZoneId, dns.recordName, dns.type))).toEqual(
          comparable(failover),
        );
        if (previous === undefined) await ctx.ports.dns.deleteRecord(dns.hostedZoneId, failover);
        else await ctx.ports.dns.upsertRecord(dns.hostedZoneId, previous);
        expect(comparable(await ctx.ports.dns.getRecord(dns.hostedZoneId, dns.recordName, dns.type))).toEqual(
          comparable(previous),
        );
      });

      it('says a hosted zone that does not exist is absent', async () => {
        expect(await ctx.ports.dns.hasHostedZone('Z0000000000000000NONE')).toBe(false);
      });

      it('rejects an unknown target group with an external NotFound error', async () => {
        await expect(ctx.ports.lb.describeTargetGroup('does-not-exist')).rejects.toMatchObject({
          name: 'ExternalError',
          kind: 'external',
          code: expect.stringMatching(/NotFound$/),
          nextSteps: expect.any(String),
        });
      });
    },
    TEST_TIMEOUT_MS,
  );
}
