import { createHash } from 'node:crypto';
import { HotspareError, UsageError } from '../ports/errors.js';
import type { InstanceInfo, LaunchSpec } from '../ports/index.js';
import type { StepSpecOf } from '../runbook/schema.js';
import { pollUntil } from './poll.js';
import type { ApiCall, StepOutputs } from '../domain/types.js';
import { launchChecks, redirectText } from './launch-preflight.js';
import { imageRefOf, readLaunchFacts, redirectChoiceOf, redirectConfigOf, redirectServerOf } from './redirect-server.js';
import { findSpares, matchingSpare, SPARE_TAG } from './spare.js';
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

/** The launch request for one instance type and image (by default the runbook's reference, unresolved). */
export function launchSpec(ctx: DescribeContext, stepId: string, instanceType: string, imageId = imageRefOf(ctx.runbook)): LaunchSpec {
  return { ...placeholderSpec(ctx, stepId, instanceType), imageId, redirect: redirectConfigOf(ctx) };
}

/** What the redirect server will answer, or why no server can (the plan shows it; preflight refuses it). */
function userDataText(ctx: DescribeContext): string {
  try {
    return redirectText(redirectConfigOf(ctx));
  } catch (error) {
    if (error instanceof HotspareError) return `none: ${error.message}`;
    throw error;
  }
}

/** The launch request as the plan shows it: everything but the redirect config, which may not be servable. */
function placeholderSpec(ctx: DescribeContext, stepId: string, instanceType: string): Omit<LaunchSpec, 'redirect'> {
  const rs = redirectServerOf(ctx.runbook);
  return {
    imageId: imageRefOf(ctx.runbook),
    instanceType,
    subnetId: rs.subnetId,
    securityGroupIds: rs.securityGroupIds,
    keyName: rs.keyName,
    clientToken: clientToken(ctx.runId, stepId, instanceType),
    tags: { Name: `hotspare-redirect-${ctx.runbook.name}`.slice(0, 255), ...runTags(ctx.runId, stepId) },
  };
}

function runCall(spec: Omit<LaunchSpec, 'redirect'>, userData: string, fallback: boolean): ApiCall {
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
      UserData: userData,
      Tags: spec.tags,
    },
    note: fallback ? 'only if the type before has no capacity' : 'when no prepared spare is ready',
  };
}

function instanceTypes(ctx: DescribeContext): string[] {
  const rs = redirectServerOf(ctx.runbook);
  return [rs.instanceType, ...(rs.fallbackInstanceTypes ?? [])];
}

async function findExisting(ctx: StepContext): Promise<InstanceInfo | undefined> {
  const found = await ctx.ports.compute.describeInstances({ tags: runTags(ctx.runId, ctx.stepId), liveOnly: true });
  return found[0];
}

async function launch(ctx: StepContext): Promise<InstanceInfo> {
  const image = (await readLaunchFacts(ctx.runbook, ctx.ports)).image;
  if (image.resolvedFrom !== undefined) ctx.progress(`image ${image.id} (resolved from ${image.resolvedFrom})`);
  const types = instanceTypes(ctx);
  for (const [i, type] of types.entries()) {
    const spec = launchSpec(ctx, ctx.stepId, type, image.id);
    try {
      const result = await ctx.mutate(runCall(spec, redirectText(spec.redirect), i > 0), () => ctx.ports.compute.runInstance(spec), {
        outputs: (r) => ({ instanceId: r.instance.id, instanceType: type, imageId: image.id }),
      });
      return result.instance;
    } catch (error) {
      const noCapacity = error instanceof HotspareError && error.code === 'InsufficientInstanceCapacity';
      if (!noCapacity || i === types.length - 1) throw error;
      ctx.progress(`no capacity for ${type}; trying ${types[i + 1]}`);
    }
  }
  throw new UsageError('redirectServer.instanceType is required.');
}

/** Start the prepared spare (after a stop still in progress): no install, no way out needed. */
async function startSpare(ctx: StepContext, spare: InstanceInfo): Promise<InstanceInfo> {
  ctx.progress(`starting the prepared spare ${spare.id} instead of launching`);
  if (spare.state === 'stopping') {
    await pollUntil(ctx, {
      what: `${spare.id} to finish stopping`,
      read: () => ctx.ports.compute.describeInstances({ ids: [spare.id], liveOnly: false }),
      check: (found) => (found[0]?.state === 'stopped' ? true : `${spare.id}: ${found[0]?.state ?? 'not visible'}`),
      timeoutMs: ctx.healthyTimeoutMs,
    });
  }
  if (spare.state === 'stopped' || spare.state === 'stopping') {
    const call: ApiCall = { service: 'ec2', operation: 'StartInstances', params: { InstanceIds: [spare.id] }, note: 'the prepared spare' };
    await ctx.mutate(call, () => ctx.ports.compute.startInstances([spare.id]), { outputs: () => ({ instanceId: spare.id, spare: true }) });
  }
  return spare;
}

async function runningSpare(ctx: StepContext): Promise<InstanceInfo | undefined> {
  const spare = matchingSpare(await findSpares(ctx.ports.compute, ctx.runbook.name), redirectConfigOf(ctx));
  return spare?.state === 'running' || spare?.state === 'pending' ? spare : undefined;
}

export const launchRedirect: StepDefinition<Spec> = {
  type: 'launch-redirect',
  mutating: true,
  title: (_spec, ctx) => `Start the redirect instance (${redirectChoiceOf(ctx.runbook).server}, ${redirectServerOf(ctx.runbook).instanceType})`,
  describe: (spec, ctx) => {
    const id = spec.id ?? spec.type;
    const image = imageRefOf(ctx.runbook);
    return [
      { service: 'ec2', operation: 'DescribeInstances', params: { Filters: tagFilters(runTags(ctx.runId, id)) }, note: 'reuse an instance this run already launched' },
      { service: 'ec2', operation: 'DescribeInstances', params: { Filters: tagFilters({ [SPARE_TAG]: ctx.runbook.name }) }, note: 'a spare prepared ahead (hotspare prepare)' },
      { service: 'ec2', operation: 'StartInstances', params: { InstanceIds: ['<spare>'] }, note: 'when a spare for this config is ready: nothing is launched' },
      ...(image.startsWith('resolve:ssm:')
        ? [
            { service: 'ssm' as const, operation: 'GetParameter', params: { Name: image.slice('resolve:ssm:'.length) }, note: 'the image the parameter names now' },
            { service: 'ec2' as const, operation: 'DescribeImages', params: { ImageIds: ['<the parameter\'s value>'] }, note: 'checked against the instance type; RunInstances uses this id' },
          ]
        : []),
      ...instanceTypes(ctx).map((t, i) => runCall(placeholderSpec(ctx, id, t), userDataText(ctx), i > 0)),
      { service: 'ec2', operation: 'DescribeInstances', params: { InstanceIds: ['<launched>'] }, note: 'every few seconds until running' },
    ];
  },
  describeUndo: () => [
    { service: 'ec2', operation: 'TerminateInstances', params: { InstanceIds: ['<launched>'] }, note: 'a launched instance' },
    { service: 'ec2', operation: 'StopInstances', params: { InstanceIds: ['<spare>'] }, note: 'a started spare: stopped, ready for next time' },
  ],
  preflight: (ctx, spec) => launchChecks(ctx, (imageId) => launchSpec(ctx, spec.id ?? spec.type, redirectServerOf(ctx.runbook).instanceType, imageId)),
  async run(ctx) {
    const existing = (await findExisting(ctx)) ?? (await runningSpare(ctx));
    if (existing !== undefined) ctx.progress(`found ${existing.id} from an earlier attempt; not launching another`);
    const spare = existing === undefined ? matchingSpare(await findSpares(ctx.ports.compute, ctx.runbook.name), redirectConfigOf(ctx)) : undefined;
    const instance = existing ?? (spare !== undefined ? await startSpare(ctx, spare) : await launch(ctx));
    const running = await pollUntil(ctx, {
      what: `${instance.id} to be running`,
      read: () => ctx.ports.compute.describeInstances({ ids: [instance.id], liveOnly: false }),
      check: (found) => (found[0]?.state === 'running' ? true : `${instance.id}: ${found[0]?.state ?? 'not visible yet'}`),
      timeoutMs: ctx.healthyTimeoutMs,
    });
    const info = running[0]!;
    const isSpare = info.tags[SPARE_TAG] !== undefined;
    return { instanceId: info.id, instanceType: info.instanceType ?? null, availabilityZone: info.availabilityZone ?? null, spare: isSpare };
  },
  async verify(ctx) {
    const found = (await findExisting(ctx)) ?? (await runningSpare(ctx));
    if (found === undefined) return { holds: false, detail: 'no instance carries this run\'s tags, and no prepared spare is running' };
    const outputs: StepOutputs = { instanceId: found.id, instanceType: found.instanceType ?? null, spare: found.tags[SPARE_TAG] !== undefined };
    return { holds: found.state === 'running', detail: `${found.id} is ${found.state}`, outputs };
  },
  async undo(ctx, outputs) {
    const id = typeof outputs['instanceId'] === 'string' ? outputs['instanceId'] : (await findExisting(ctx))?.id;
    if (id === undefined) return;
    if (outputs['spare'] === true) {
      const call: ApiCall = { service: 'ec2', operation: 'StopInstances', params: { InstanceIds: [id] }, note: 'the spare, ready for next time' };
      await ctx.mutate(call, () => ctx.ports.compute.stopInstances([id]));
      return;
    }
    const call: ApiCall = { service: 'ec2', operation: 'TerminateInstances', params: { InstanceIds: [id] } };
    await ctx.mutate(call, () => ctx.ports.compute.terminateInstances([id]));
  },
};

function tagFilters(tags: Record<string, string>): { Name: string; Values: string[] }[] {
  return Object.entries(tags).map(([k, v]) => ({ Name: `tag:${k}`, Values: [v] }));
}
