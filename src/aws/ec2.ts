import {
  DescribeInstancesCommand,
  type EC2Client,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  CreateTagsCommand,
  type DescribeInstancesCommandInput,
  type Filter,
  type Instance,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { BugError } from '../domain/errors.js';
import type { Compute, InstanceInfo, InstanceQuery, InstanceState, LaunchSpec } from '../ports/index.js';
import { awsErrorName, callAws, translateAwsError, type CallContext } from './errors.js';
import { receiptOf } from './receipt.js';
import { renderUserData } from '../redirect/user-data.js';
import { describeImage, describeInstanceType, describeSubnetNetwork } from './ec2-reads.js';
import type { ParameterReader } from './ssm.js';

const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

type Context = (operation: string, extra?: Partial<CallContext>) => CallContext;

/**
 * The Compute port over EC2. Launches are one instance with the spec's ClientToken and tags; the
 * caller looks instances up by tag before launching (not every emulator honours ClientToken).
 * Mutating calls go through `writer`, a client that never retries (see `createAwsPorts`).
 */
export function createCompute(
  client: EC2Client,
  endpoint?: string,
  writer: EC2Client = client,
  readParameter?: ParameterReader,
): Compute {
  const ctx: Context = (operation, extra = {}) => ({ service: 'ec2', operation, endpoint, ...extra });
  const noSsm: ParameterReader = async (name) => {
    throw new BugError(`No SSM client to resolve ${name}.`, { code: 'NoSsmClient' });
  };
  const stateChange = async (operation: 'StartInstances' | 'StopInstances', ids: readonly string[]) => {
    if (ids.length === 0) return {};
    const input = { InstanceIds: [...ids] };
    const command = operation === 'StartInstances' ? new StartInstancesCommand(input) : new StopInstancesCommand(input);
    return receiptOf(await callAws(ctx(operation, { resource: ids.join(', ') }), () => writer.send(command)));
  };
  return {
    describeInstances: (query) => describeInstances(client, ctx, query),
    describeImage: (ref) => describeImage(client, ctx, readParameter ?? noSsm, ref),
    describeInstanceType: (type) => describeInstanceType(client, ctx, type),
    describeSubnetNetwork: (subnetId) => describeSubnetNetwork(client, ctx, subnetId),
    startInstances: (ids) => stateChange('StartInstances', ids),
    stopInstances: (ids) => stateChange('StopInstances', ids),
    runInstance: async (spec) => {
      const out = await callAws(launchContext(ctx, spec), () => writer.send(new RunInstancesCommand(runInput(spec))));
      const instance = out.Instances?.[0];
      if (instance === undefined)
        throw new BugError('RunInstances returned no instance.', { code: 'NoInstanceReturned' });
      const info = toInstanceInfo(instance);
      // RunInstances echoes the tags only in some implementations; the spec's tags are what was asked for.
      return { ...receiptOf(out), instance: { ...info, tags: { ...spec.tags, ...info.tags } } };
    },
    checkLaunch: (spec) => checkLaunch(client, ctx, spec),
    tagInstances: async (ids, tags) => {
      if (ids.length === 0) return {};
      const input = { Resources: [...ids], Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
      return receiptOf(
        await callAws(ctx('CreateTags', { resource: ids.join(', ') }), () => writer.send(new CreateTagsCommand(input))),
      );
    },
    terminateInstances: async (ids) => {
      if (ids.length === 0) return {};
      const input = { InstanceIds: [...ids] };
      return receiptOf(
        await callAws(ctx('TerminateInstances', { resource: ids.join(', ') }), () =>
          writer.send(new TerminateInstancesCommand(input)),
        ),
      );
    },
  };
}

async function describeInstances(client: EC2Client, ctx: Context, query: InstanceQuery): Promise<InstanceInfo[]> {
  if (query.ids !== undefined && query.ids.length === 0) return [];
  const input = describeInput(query);
  const found: InstanceInfo[] = [];
  let nextToken: string | undefined;
  do {
    const out = await callAws(ctx('DescribeInstances', { resource: query.ids?.join(', ') }), () =>
      client.send(new DescribeInstancesCommand({ ...input, NextToken: nextToken })),
    );
    for (const reservation of out.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) found.push(toInstanceInfo(instance));
    }
    nextToken = out.NextToken;
  } while (nextToken !== undefined && nextToken !== '');
  return found;
}

/** DryRun: EC2 answers DryRunOperation when the call would have succeeded. */
async function checkLaunch(client: EC2Client, ctx: Context, spec: LaunchSpec): Promise<void> {
  try {
    await client.send(new RunInstancesCommand({ ...runInput(spec), DryRun: true }));
  } catch (error) {
    if (awsErrorName(error) === 'DryRunOperation') return;
    throw translateAwsError(error, launchContext(ctx, spec));
  }
  throw new BugError(
    'RunInstances with DryRun did not answer DryRunOperation; the endpoint may have launched an instance.',
    {
      code: 'DryRunIgnored',
      nextSteps: 'Look for instances tagged hotspare:run in the account and terminate any that should not run.',
    },
  );
}

function launchContext(ctx: Context, spec: LaunchSpec): CallContext {
  return ctx('RunInstances', {
    resource: spec.imageId,
    instanceType: spec.instanceType,
    where: `subnet ${spec.subnetId}`,
  });
}

function describeInput(query: InstanceQuery): DescribeInstancesCommandInput {
  const filters: Filter[] = Object.entries(query.tags ?? {}).map(([key, value]) => ({
    Name: `tag:${key}`,
    Values: [value],
  }));
  if (query.liveOnly ?? true) filters.push({ Name: 'instance-state-name', Values: LIVE_STATES });
  return {
    ...(query.ids === undefined ? {} : { InstanceIds: [...query.ids] }),
    ...(filters.length === 0 ? {} : { Filters: filters }),
  };
}

/** The RunInstances request for a spec; `checkLaunch` sends the same one with DryRun. */
export function runInput(spec: LaunchSpec): RunInstancesCommandInput {
  const tags = Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value }));
  return {
    ImageId: spec.imageId,
    InstanceType: spec.instanceType as RunInstancesCommandInput['InstanceType'],
    SubnetId: spec.subnetId,
    SecurityGroupIds: [...spec.securityGroupIds],
    ...(spec.keyName === undefined ? {} : { KeyName: spec.keyName }),
    MinCount: 1,
    MaxCount: 1,
    ClientToken: spec.clientToken,
    UserData: Buffer.from(renderUserData(spec.redirect, { spare: spec.spare }), 'utf8').toString('base64'),
    TagSpecifications: [{ ResourceType: 'instance', Tags: tags }],
    // A spare powers itself off once ready: it must stop, not terminate.
    ...(spec.spare === true ? { InstanceInitiatedShutdownBehavior: 'stop' as const } : {}),
  };
}

function toInstanceInfo(instance: Instance): InstanceInfo {
  const tags: Record<string, string> = {};
  for (const tag of instance.Tags ?? []) {
    if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
  }
  return {
    id: instance.InstanceId ?? '',
    state: (instance.State?.Name ?? 'pending') as InstanceState,
    instanceType: instance.InstanceType,
    availabilityZone: instance.Placement?.AvailabilityZone,
    privateIpAddress: instance.PrivateIpAddress,
    launchTime: instance.LaunchTime?.toISOString(),
    tags,
  };
}
