import { createHash } from 'node:crypto';
import { HotspareError, UsageError } from '../ports/errors.js';
import { READ_POLICY, retryDelay } from '../ports/retry.js';
import type { InstanceInfo, LaunchSpec } from '../ports/index.js';
import type { StepSpecOf } from '../runbook/schema.js';
import { pollUntil } from './poll.js';
import type { ApiCall, StepOutputs } from '../domain/types.js';
import type { DescribeContext, StepContext, StepDefinition } from './types.js';

type Spec = StepSpecOf<'launch-redirect'>;

/** Tags that mark an instance as this run's redirect server; the replay look-up uses them. */
export function runTags(runId: string, stepId: string): Record<string, string> {
  return { 'hotspare:run': runId, 'hotspare:step': stepId };
}

/**
 * EC2 ClientToken (max 64 ASCII): one per run, step and instance type, so a retry never starts a
 * second instance. A long step id is shortened to a hash so the instance type always stays in.
 */
export function clientToken(runId: string, stepId: string, instanceType: string): string {
  const plain = `hs-${runId}-${stepId}-${instanceType}`;
  if (plain.length <= 64) return plain;
  const digest = createHash('sha256').update(`${runId}/${stepId}`).digest('hex').slice(0, 20);
  return `hs-${digest}-${instanceType}`.slice(0, 64);
}

function server(ctx: DescribeContext) {
  const rs = ctx.runbook.redirectServer;
  if (rs === undefined) throw new UsageError('launch-redirect needs a redirectServer section in the runbook.');
  return rs;
}

/** The launch request for one instance type. */
export function launchSpec(ctx: DescribeContext, stepId: string, instanceType: string): LaunchSpec {
  const rs = server(ctx);
  const tg = ctx.env.targetGroup;
  return {
    imageId: rs.imageId,
    instanceType,
    subnetId: rs.subnetId,
    securityGroupIds: rs.securityGroupIds,
    keyName: rs.keyName,
    redirect: {
      server: rs.server,
      targetUrl: ctx.runbook.maintenance.url,
      statusCode: rs.statusCode,
      port: tg.port,
      healthCheckPath: tg.healthCheck.path ?? '/',
    },
    clientToken: clientToken(ctx.runId, stepId, instanceType),
    tags: { Name: `hotspare-redirect-${ctx.runbook.name}`.slice(0, 255), ...runTags(ctx.runId, stepId) },
  };
}

function runCall(spec: LaunchSpec, fallback: boolean): ApiCall {
  return {
    service: 'ec2',
    operation: 'RunInstances',
    params: {
      ImageId: spec.imageId,
      InstanceType: spec.instanceType,
      SubnetId: spec.subnetId,
      SecurityGroupIds: [...spec.securityGroupIds],
      KeyName: spec.keyName,
      MinCount: 1,
      MaxCount: 1,
      ClientToken: spec.clientToken,
      UserData: `${spec.redirect.server}: ${spec.redirect.statusCode} every path to ${spec.redirect.targetUrl} (health check ${spec.redirect.healthCheckPath} answers 200)`,
      Tags: spec.tags,
    },
    note: fallback ? 'only if the type before has no capacity' : undefined,
  };
}

function instanceTypes(ctx: DescribeContext): string[] {
  const rs = server(ctx);
  return [rs.instanceType, ...(rs.fallbackInstanceTypes ?? [])];
}

/** How many times one instance type's RunInstances is sent when its answer is lost (each after a look-up by tag). */
const LAUNCH_SENDS = 3;

/** The live instance this run's step launched, found by its tags (one read, no retry). */
async function lookUp(ctx: StepContext): Promise<InstanceInfo | undefined> {
  const found = await ctx.ports.compute.describeInstances({ tags: runTags(ctx.runId, ctx.stepId), liveOnly: true });
  return found[0];
}

/** `lookUp` with the engine's read retry, for `run`. */
function findExisting(ctx: StepContext): Promise<InstanceInfo | undefined> {
  return ctx.read(() => lookUp(ctx));
}

/**
 * RunInstances for one type. The SDK never re-sends it (a lost answer re-sent blindly is a second
 * instance where the endpoint ignores ClientToken): on a retryable failure this looks the instance
 * up by the run's tags first, and sends again (same ClientToken) only when none is found.
 */
async function launchType(ctx: StepContext, spec: LaunchSpec, fallback: boolean): Promise<InstanceInfo> {
  for (let send = 1; ; send++) {
    try {
      const result = await ctx.mutate(runCall(spec, fallback), () => ctx.ports.compute.runInstance(spec), {
        outputs: (r) => ({ instanceId: r.instance.id, instanceType: spec.instanceType }),
      });
      return result.instance;
    } catch (error) {
      if (!(error instanceof HotspareError) || !error.retryable || error.code === 'InsufficientInstanceCapacity' || send >= LAUNCH_SENDS) throw error;
      const found = await findExisting(ctx);
      if (found !== undefined) {
        ctx.progress(`RunInstances did go through: found ${found.id} by its tags`);
        return found;
      }
      ctx.progress(`RunInstances failed (${error.message}); no instance carries this run's tags, sending it again`);
      await ctx.ports.clock.sleep(retryDelay(READ_POLICY, send), ctx.signal);
    }
  }
}

async function launch(ctx: StepContext): Promise<InstanceInfo> {
  const types = instanceTypes(ctx);
  for (const [i, type] of types.entries()) {
    try {
      return await launchType(ctx, launchSpec(ctx, ctx.stepId, type), i > 0);
    } catch (error) {
      const noCapacity = error instanceof HotspareError && error.code === 'InsufficientInstanceCapacity';
      if (!noCapacity || i === types.length - 1) throw error;
      ctx.progress(`no capacity for ${type}; trying ${types[i + 1]}`);
    }
  }
  throw new UsageError('redirectServer.instanceType is required.');
}

export const launchRedirect: StepDefinition<Spec> = {
  type: 'launch-redirect',
  mutating: true,
  title: (_spec, ctx) => `Launch the redirect instance (${server(ctx).server}, ${server(ctx).instanceType})`,
  describe: (spec, ctx) => {
    const id = spec.id ?? spec.type;
    return [
      { service: 'ec2', operation: 'DescribeInstances', params: { Filters: tagFilters(ctx.runId, id) }, note: 'reuse an instance this run already launched' },
      ...instanceTypes(ctx).map((t, i) => runCall(launchSpec(ctx, id, t), i > 0)),
      { service: 'ec2', operation: 'DescribeInstances', params: { InstanceIds: ['<launched>'] }, note: 'every few seconds until running' },
    ];
  },
  describeUndo: (spec, ctx) => [
    { service: 'ec2', operation: 'DescribeInstances', params: { Filters: [{ Name: 'tag:hotspare:run', Values: [ctx.runId] }] }, note: 'every live instance of this run, not only the journaled one' },
    { service: 'ec2', operation: 'TerminateInstances', params: { InstanceIds: [`<instances tagged hotspare:run=${ctx.runId} (${spec.id ?? spec.type})>`] } },
  ],
  preflight: (ctx, spec) => {
    const launch = launchSpec(ctx, spec.id ?? spec.type, server(ctx).instanceType);
    return [{ name: 'launch permission (EC2 DryRun)', run: async () => (await ctx.ports.compute.checkLaunch(launch), `${launch.imageId} in ${launch.subnetId}: permitted`) }];
  },
  async run(ctx) {
    const existing = await findExisting(ctx);
    if (existing !== undefined) ctx.progress(`found ${existing.id} from an earlier attempt; not launching another`);
    const instance = existing ?? (await launch(ctx));
    const running = await pollUntil(ctx, {
      what: `${instance.id} to be running`,
      read: () => ctx.ports.compute.describeInstances({ ids: [instance.id], liveOnly: false }),
      check: (found) => (found[0]?.state === 'running' ? true : `${instance.id}: ${found[0]?.state ?? 'not visible yet'}`),
      timeoutMs: ctx.healthyTimeoutMs,
    });
    const info = running[0]!;
    return { instanceId: info.id, instanceType: info.instanceType ?? null, availabilityZone: info.availabilityZone ?? null };
  },
  async verify(ctx) {
    const found = await lookUp(ctx);
    if (found === undefined) return { holds: false, detail: 'no instance carries this run\'s tags' };
    const outputs: StepOutputs = { instanceId: found.id, instanceType: found.instanceType ?? null };
    return { holds: found.state === 'running', detail: `${found.id} is ${found.state}`, outputs };
  },
  /**
   * Terminates every live instance tagged with this run, the journaled one and any other (a second
   * launch by an endpoint that ignored ClientToken), so nothing is left running. Already terminated
   * is done.
   */
  async undo(ctx, outputs) {
    const journaled = typeof outputs['instanceId'] === 'string' ? [outputs['instanceId']] : [];
    const tagged = await ctx.read(() => ctx.ports.compute.describeInstances({ tags: { 'hotspare:run': ctx.runId }, liveOnly: true }));
    const named = journaled.length === 0 ? [] : await ctx.read(() => ctx.ports.compute.describeInstances({ ids: journaled, liveOnly: true }));
    const ids = [...new Set([...tagged, ...named].map((i) => i.id))];
    if (ids.length === 0) return 'no instance of this run is running';
    const call: ApiCall = { service: 'ec2', operation: 'TerminateInstances', params: { InstanceIds: ids } };
    await ctx.mutate(call, () => ctx.ports.compute.terminateInstances(ids));
    return ids.length > 1 ? `terminated ${ids.length} instances tagged with this run: ${ids.join(', ')}` : undefined;
  },
};

function tagFilters(runId: string, stepId: string): { Name: string; Values: string[] }[] {
  return Object.entries(runTags(runId, stepId)).map(([k, v]) => ({ Name: `tag:${k}`, Values: [v] }));
}
