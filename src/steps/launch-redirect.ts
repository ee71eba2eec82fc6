import { createHash } from 'node:crypto';
import { redirectBootFailed } from '../domain/failures.js';
import { HotspareError, UsageError } from '../domain/errors.js';
import { READ_POLICY, retryDelay } from '../domain/retry.js';
import type { InstanceInfo, LaunchSpec } from '../ports/index.js';
import type { StepSpecOf } from '../runbook/schema.js';
import { pollUntil } from './poll.js';
import type { ApiCall, StepOutputs } from '../domain/types.js';
import { launchChecks, redirectText } from './launch-preflight.js';
import { startedSpare, startSpare, stopSpare } from './launch-spare.js';
import {
  imageRefOf,
  readLaunchFacts,
  redirectChoiceOf,
  redirectConfigOf,
  redirectServerOf,
  type LaunchFacts,
} from './redirect-server.js';
import { findSpares, matchingSpare, SPARE_TAG } from './spare.js';
import type { DescribeContext, StepContext, StepDefinition } from './types.js';
import { renderUserData } from '../redirect/user-data.js';
import { launchRedirectJournal } from './launch-redirect.journal.js';
import { stateOf } from './journal-contract.js';
import { ssmParameterOf } from '../runbook/formats.js';

type Spec = StepSpecOf<'launch-redirect'>;

/** Tags that mark an instance as this run's redirect server; the replay look-up uses them. */
export function runTags(runId: string, stepId: string): Record<string, string> {
  return { 'hotspare:run': runId, 'hotspare:step': stepId };
}

/** `user@host` who started the run that launched an instance: other operators read it from AWS. */
export const STARTED_BY_TAG = 'hotspare:started-by';

/** A tag value EC2 accepts (letters, digits, spaces and `_ . : / = + - @`), at most 256 characters. */
export function tagValue(text: string): string {
  return text.replace(/[^\p{L}\p{N} _.:/=+\-@]/gu, '_').slice(0, 256);
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
export function launchSpec(
  ctx: DescribeContext,
  stepId: string,
  instanceType: string,
  imageId = imageRefOf(ctx.runbook),
): LaunchSpec {
  return { ...placeholderSpec(ctx, stepId, instanceType), imageId, redirect: redirectConfigOf(ctx) };
}

/** What the redirect server will answer, or why no server can (the plan shows it; preflight refuses it). */
function userDataText(ctx: DescribeContext): string {
  try {
    const config = redirectConfigOf(ctx);
    renderUserData(config);
    return redirectText(config);
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
    tags: {
      Name: `hotspare-redirect-${ctx.runbook.name}`.slice(0, 255),
      ...runTags(ctx.runId, stepId),
      // The run's starter (the same for every attempt, so a resumed launch sends the same request).
      ...(ctx.startedBy === undefined ? {} : { [STARTED_BY_TAG]: tagValue(ctx.startedBy) }),
    },
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

/** The call as sent and journaled: no spare was ready, so the plan's "when no prepared spare is ready" no longer applies. */
function sentCall(call: ApiCall, fallback: boolean): ApiCall {
  return { ...call, note: fallback ? 'the type before had no capacity' : undefined };
}

function instanceTypes(ctx: DescribeContext): string[] {
  const rs = redirectServerOf(ctx.runbook);
  return [rs.instanceType, ...(rs.fallbackInstanceTypes ?? [])];
}

/** The undo's calls once the run launched or started its instance: with its real id. */
function knownUndo(ctx: DescribeContext): ApiCall[] | undefined {
  const outputs = ctx.outputsOf?.('launch-redirect');
  const id = outputs?.['instanceId'];
  if (typeof id !== 'string') return undefined;
  if (outputs?.['spare'] === true)
    return [
      {
        service: 'ec2',
        operation: 'StopInstances',
        params: { InstanceIds: [id] },
        note: 'the started spare: stopped, ready for next time',
      },
    ];
  return [
    {
      service: 'ec2',
      operation: 'DescribeInstances',
      params: { Filters: [{ Name: 'tag:hotspare:run', Values: [ctx.runId] }] },
      note: 'every live instance of this run, not only the journaled one',
    },
    {
      service: 'ec2',
      operation: 'TerminateInstances',
      params: { InstanceIds: [id] },
      note: 'with any other live instance the read finds tagged with this run',
    },
  ];
}

/** Whether the account, as read, has a spare for this config that the step will start instead of launching. */
function spareReady(ctx: DescribeContext): boolean {
  const spares = ctx.env.redirectLaunch?.spares ?? [];
  if (spares.length === 0) return false;
  try {
    return matchingSpare(spares, redirectConfigOf(ctx)) !== undefined;
  } catch (error) {
    if (error instanceof HotspareError) return false;
    throw error;
  }
}

/** States of a redirect instance that will never serve: it powered itself off, or it is gone. */
export const BOOT_FAILED: ReadonlySet<string> = new Set(['stopping', 'stopped', 'shutting-down', 'terminated']);
const GONE: ReadonlySet<string> = new Set(['shutting-down', 'terminated']);

/** How many times one instance type's RunInstances is sent when its answer is lost (each after a look-up by tag). */
const LAUNCH_SENDS = 3;

/** The live instance this run's step launched, found by its tags (one read, no retry). */
async function lookUp(ctx: StepContext): Promise<InstanceInfo | undefined> {
  const found = await ctx.ports.compute.describeInstances({ tags: runTags(ctx.runId, ctx.stepId), liveOnly: true });
  return found[0];
}

/**
 * The instance the step's outputs name, read by id (the read the step's wait just made serves it),
 * when it is this run's (its tags) or a spare; else undefined, and the caller looks it up by tags.
 */
async function journaledInstance(
  ctx: StepContext,
  outputs: StepOutputs | undefined,
): Promise<InstanceInfo | undefined> {
  const id = outputs?.['instanceId'];
  if (typeof id !== 'string') return undefined;
  const [found] = await ctx.ports.compute.describeInstances({ ids: [id], liveOnly: false });
  const ours = found !== undefined && (found.tags['hotspare:run'] === ctx.runId || found.tags[SPARE_TAG] !== undefined);
  return ours && found.state !== 'terminated' && found.state !== 'shutting-down' ? found : undefined;
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
      const result = await ctx.mutate(
        sentCall(runCall(spec, redirectText(spec.redirect), fallback), fallback),
        () => ctx.ports.compute.runInstance(spec),
        {
          outputs: (r) => ({ instanceId: r.instance.id, instanceType: spec.instanceType, imageId: spec.imageId }),
        },
      );
      return result.instance;
    } catch (error) {
      if (
        !(error instanceof HotspareError) ||
        !error.retryable ||
        error.code === 'InsufficientInstanceCapacity' ||
        send >= LAUNCH_SENDS
      )
        throw error;
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

/** Launch a new redirect instance: the image resolved and checked first, then each instance type until one has capacity. */
async function launch(ctx: StepContext, facts: Promise<LaunchFacts>): Promise<InstanceInfo> {
  const image = (await facts).image;
  if (image.resolvedFrom !== undefined) ctx.progress(`image ${image.id} (resolved from ${image.resolvedFrom})`);
  const types = instanceTypes(ctx);
  for (const [i, type] of types.entries()) {
    try {
      return await launchType(ctx, launchSpec(ctx, ctx.stepId, type, image.id), i > 0);
    } catch (error) {
      const noCapacity = error instanceof HotspareError && error.code === 'InsufficientInstanceCapacity';
      if (!noCapacity || i === types.length - 1) throw error;
      ctx.progress(`no capacity for ${type}; trying ${types[i + 1]}`);
    }
  }
  throw new UsageError('redirectServer.instanceType is required.', { code: 'InvalidRunbook' });
}

export const launchRedirect: StepDefinition<Spec> = {
  type: 'launch-redirect',
  journal: launchRedirectJournal,
  mutating: true,
  title: (_spec, ctx) =>
    `${spareReady(ctx) ? 'Start the prepared spare redirect instance' : 'Launch the redirect instance'} (${redirectChoiceOf(ctx.runbook).server}, ${redirectServerOf(ctx.runbook).instanceType})`,
  describe: (spec, ctx) => {
    const id = spec.id ?? spec.type;
    const image = imageRefOf(ctx.runbook);
    return [
      {
        service: 'ec2',
        operation: 'DescribeInstances',
        params: { Filters: tagFilters(runTags(ctx.runId, id)) },
        note: 'reuse an instance this run already launched',
      },
      {
        service: 'ec2',
        operation: 'DescribeInstances',
        params: { Filters: tagFilters({ [SPARE_TAG]: ctx.runbook.name }) },
        note: 'a spare prepared ahead (hotspare prepare)',
      },
      {
        service: 'ec2',
        operation: 'StartInstances',
        params: { InstanceIds: ['<spare>'] },
        note: 'when a spare for this config is ready: nothing is launched',
      },
      ...(ssmParameterOf(image) !== undefined
        ? [
            {
              service: 'ssm' as const,
              operation: 'GetParameter',
              params: { Name: ssmParameterOf(image)! },
              note: 'the image the parameter names now',
            },
            {
              service: 'ec2' as const,
              operation: 'DescribeImages',
              params: { ImageIds: ["<the parameter's value>"] },
              note: 'checked against the instance type; RunInstances uses this id',
            },
          ]
        : []),
      ...instanceTypes(ctx).map((t, i) => runCall(placeholderSpec(ctx, id, t), userDataText(ctx), i > 0)),
      {
        service: 'ec2',
        operation: 'DescribeInstances',
        params: { InstanceIds: ['<launched>'] },
        note: 'every few seconds until running',
      },
    ];
  },
  describeUndo: (spec, ctx) =>
    knownUndo(ctx) ?? [
      {
        service: 'ec2',
        operation: 'DescribeInstances',
        params: { Filters: [{ Name: 'tag:hotspare:run', Values: [ctx.runId] }] },
        note: 'every live instance of this run, not only the journaled one',
      },
      {
        service: 'ec2',
        operation: 'TerminateInstances',
        params: { InstanceIds: [`<instances tagged hotspare:run=${ctx.runId} (${spec.id ?? spec.type})>`] },
      },
      {
        service: 'ec2',
        operation: 'StopInstances',
        params: { InstanceIds: ['<spare>'] },
        note: 'a started spare: stopped, ready for next time',
      },
    ],
  preflight: (ctx, spec) =>
    launchChecks(ctx, (imageId) =>
      launchSpec(ctx, spec.id ?? spec.type, redirectServerOf(ctx.runbook).instanceType, imageId),
    ),
  async run(ctx) {
    // The look-ups are independent: sent together, they cost one round trip instead of five. The
    // launch facts are only needed to launch; their failure counts only then.
    const facts = readLaunchFacts(ctx.runbook, ctx.ports.compute, (fn) => ctx.read(fn));
    facts.catch(() => undefined);
    const [tagged, spares] = await Promise.all([
      findExisting(ctx),
      ctx.read(() => findSpares(ctx.ports.compute, ctx.runbook.name)),
    ]);
    const spare = matchingSpare(spares, redirectConfigOf(ctx));
    const started = spare?.state === 'running' || spare?.state === 'pending' ? spare : undefined;
    const existing = tagged ?? started;
    if (existing !== undefined) ctx.progress(`found ${existing.id} from an earlier attempt; not launching another`);
    const instance = existing ?? (spare !== undefined ? await startSpare(ctx, spare) : await launch(ctx, facts));
    // A started spare may still read as stopped for a moment; a new instance that stops has failed its boot.
    const gaveUp = instance.tags[SPARE_TAG] === undefined ? BOOT_FAILED : GONE;
    const running = await pollUntil(ctx, {
      what: `${instance.id} to be running`,
      read: async () => {
        const found = await ctx.ports.compute.describeInstances({ ids: [instance.id], liveOnly: false });
        const state = found[0]?.state;
        if (state !== undefined && gaveUp.has(state)) throw redirectBootFailed(instance.id, state);
        return found;
      },
      check: (found) =>
        found[0]?.state === 'running' ? true : `${instance.id}: ${found[0]?.state ?? 'not visible yet'}`,
      timeoutMs: ctx.healthyTimeoutMs,
    });
    const info = running[0]!;
    const isSpare = info.tags[SPARE_TAG] !== undefined;
    return {
      instanceId: info.id,
      instanceType: info.instanceType ?? null,
      availabilityZone: info.availabilityZone ?? null,
      spare: isSpare,
    };
  },
  async verify(ctx, _spec, journaled) {
    const found = (await journaledInstance(ctx, journaled)) ?? (await lookUp(ctx)) ?? (await startedSpare(ctx, false));
    if (found === undefined)
      return { holds: false, detail: "no instance carries this run's tags, and no prepared spare is running" };
    const outputs: StepOutputs = {
      instanceId: found.id,
      instanceType: found.instanceType ?? null,
      spare: found.tags[SPARE_TAG] !== undefined,
    };
    return { holds: found.state === 'running', detail: `${found.id} is ${found.state}`, outputs };
  },
  /**
   * A started spare is stopped, ready for next time. Otherwise terminates every live instance tagged
   * with this run, the journaled one and any other (a second launch by an endpoint that ignored
   * ClientToken), so nothing is left running. Already stopped or terminated is done.
   */
  async undo(ctx, outputs) {
    const { instanceId, spare } = stateOf(launchRedirectJournal, outputs);
    if (spare === true && instanceId !== undefined) return stopSpare(ctx, instanceId);
    const journaled = instanceId === undefined ? [] : [instanceId];
    const tagged = await ctx.read(() =>
      ctx.ports.compute.describeInstances({ tags: { 'hotspare:run': ctx.runId }, liveOnly: true }),
    );
    // The journaled instance carries the run's tag: read it by id only when the tag look-up missed it.
    const unseen = journaled.filter((id) => !tagged.some((i) => i.id === id));
    const named =
      unseen.length === 0
        ? []
        : await ctx.read(() => ctx.ports.compute.describeInstances({ ids: unseen, liveOnly: true }));
    // A spare is never terminated here: it carries no run tag, and one named in an old journal is stopped instead.
    const ids = [...new Set([...tagged, ...named].filter((i) => i.tags[SPARE_TAG] === undefined).map((i) => i.id))];
    if (ids.length === 0) return 'no instance of this run is running';
    const call: ApiCall = { service: 'ec2', operation: 'TerminateInstances', params: { InstanceIds: ids } };
    await ctx.mutate(call, () => ctx.ports.compute.terminateInstances(ids));
    return ids.length > 1 ? `terminated ${ids.length} instances tagged with this run: ${ids.join(', ')}` : undefined;
  },
};

function tagFilters(tags: Record<string, string>): { Name: string; Values: string[] }[] {
  return Object.entries(tags).map(([k, v]) => ({ Name: `tag:${k}`, Values: [v] }));
}
