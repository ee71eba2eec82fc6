import {
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type DescribeInstancesCommandInput,
  type Filter,
  type Instance,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { BugError } from '../ports/errors.js';
import { accessDenied } from '../ports/failures.js';
import type { Compute, InstanceInfo, InstanceQuery, InstanceState, LaunchSpec } from '../ports/index.js';
import { awsErrorName, callAws, translateAwsError, type CallContext } from './errors.js';
import { receiptOf } from './receipt.js';
import { renderUserData } from './user-data.js';

const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

/**
 * The Compute port over EC2. Launches are one instance with the spec's ClientToken and tags; the
 * caller looks instances up by tag before launching (not every emulator honours ClientToken).
 */
export function createCompute(client: EC2Client, endpoint?: string): Compute {
  const ctx = (operation: string, extra: Partial<CallContext> = {}): CallContext => ({ service: 'ec2', operation, endpoint, ...extra });

  return {
    async describeInstances(query) {
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
    },

    async runInstance(spec) {
      const out = await callAws(launchContext(ctx, spec), () => client.send(new RunInstancesCommand(runInput(spec))));
      const instance = out.Instances?.[0];
      if (instance === undefined) throw new BugError('RunInstances returned no instance.', { code: 'NoInstanceReturned' });
      const info = toInstanceInfo(instance);
      // RunInstances echoes the tags only in some implementations; the spec's tags are what was asked for.
      const launched: InstanceInfo = { ...info, tags: { ...spec.tags, ...info.tags } };
      return { ...receiptOf(out), instance: launched };
    },

    async checkLaunch(spec) {
      try {
        await client.send(new RunInstancesCommand({ ...runInput(spec), DryRun: true }));
      } catch (error) {
        const name = awsErrorName(error);
        if (name === 'DryRunOperation') return;
        if (name === 'UnauthorizedOperation') throw accessDenied('ec2:RunInstances', undefined, error);
        throw translateAwsError(error, launchContext(ctx, spec));
      }
      throw new BugError('RunInstances with DryRun did not answer DryRunOperation; the endpoint may have launched an instance.', {
        code: 'DryRunIgnored',
        nextSteps: 'Look for instances tagged hotspare:run in the account and terminate any that should not run.',
      });
    },

    async terminateInstances(ids) {
      if (ids.length === 0) return {};
      const out = await callAws(ctx('TerminateInstances', { resource: ids.join(', ') }), () =>
        client.send(new TerminateInstancesCommand({ InstanceIds: [...ids] })),
      );
      return receiptOf(out);
    },
  };
}

function launchContext(ctx: (op: string, extra?: Partial<CallContext>) => CallContext, spec: LaunchSpec): CallContext {
  return ctx('RunInstances', { resource: spec.imageId, instanceType: spec.instanceType, where: `subnet ${spec.subnetId}` });
}

function describeInput(query: InstanceQuery): DescribeInstancesCommandInput {
  const filters: Filter[] = Object.entries(query.tags ?? {}).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] }));
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
    UserData: Buffer.from(renderUserData(spec.redirect), 'utf8').toString('base64'),
    TagSpecifications: [{ ResourceType: 'instance', Tags: tags }],
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
