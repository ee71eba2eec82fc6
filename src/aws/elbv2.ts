import {
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  RegisterTargetsCommand,
  type Action,
  type TargetDescription,
  type TargetGroup,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { notFound } from '../domain/failures.js';
import type {
  ListenerAction,
  ListenerInfo,
  LoadBalancer,
  Target,
  TargetGroupInfo,
  TargetHealth,
  TargetState,
} from '../ports/index.js';
import { ruleMethods } from './elbv2-rules.js';
import { callAws } from './errors.js';
import { stripUndefined } from './json.js';
import { receiptOf } from './receipt.js';

/** ALB defaults, used when the API leaves a value out. */
const DEFAULT_DEREGISTRATION_DELAY = 300;

type Call = <T>(operation: string, resource: string, send: () => Promise<T>) => Promise<T>;

/**
 * The LoadBalancer port over ELBv2. Every call is translated by `errors.ts`; mutating calls return
 * the AWS request id for the journal and go through `writer`, a client that never retries.
 */
export function createLoadBalancer(
  client: ElasticLoadBalancingV2Client,
  endpoint?: string,
  writer: ElasticLoadBalancingV2Client = client,
): LoadBalancer {
  const call: Call = (operation, resource, send) => callAws({ service: 'elbv2', operation, resource, endpoint }, send);
  return {
    describeTargetGroup: (nameOrArn) => describeTargetGroup(client, call, nameOrArn),
    describeTargetHealth: async (arn) => {
      const out = await call('DescribeTargetHealth', arn, () =>
        client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
      );
      return (out.TargetHealthDescriptions ?? []).map(toTargetHealth);
    },
    registerTargets: async (arn, targets) => {
      const input = { TargetGroupArn: arn, Targets: targets.map(toTargetDescription) };
      return receiptOf(await call('RegisterTargets', arn, () => writer.send(new RegisterTargetsCommand(input))));
    },
    deregisterTargets: async (arn, targets) => {
      const input = { TargetGroupArn: arn, Targets: targets.map(toTargetDescription) };
      return receiptOf(await call('DeregisterTargets', arn, () => writer.send(new DeregisterTargetsCommand(input))));
    },
    describeListener: (arn) => describeListener(client, call, arn),
    setListenerDefaultActions: async (arn, actions) => {
      const input = { ListenerArn: arn, DefaultActions: actions.map((a) => stripUndefined(a) as unknown as Action) };
      return receiptOf(await call('ModifyListener', arn, () => writer.send(new ModifyListenerCommand(input))));
    },
    ...ruleMethods(client, writer, call),
  };
}

async function describeTargetGroup(
  client: ElasticLoadBalancingV2Client,
  call: Call,
  nameOrArn: string,
): Promise<TargetGroupInfo> {
  const input = nameOrArn.startsWith('arn:') ? { TargetGroupArns: [nameOrArn] } : { Names: [nameOrArn] };
  const out = await call('DescribeTargetGroups', nameOrArn, () => client.send(new DescribeTargetGroupsCommand(input)));
  const group = out.TargetGroups?.[0];
  if (group?.TargetGroupArn === undefined) throw notFound('Target Group', nameOrArn);
  const arn = group.TargetGroupArn;
  const attrs = await call('DescribeTargetGroupAttributes', arn, () =>
    client.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })),
  );
  const delay = attrs.Attributes?.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value;
  return toTargetGroupInfo(group, arn, delay === undefined ? DEFAULT_DEREGISTRATION_DELAY : Number(delay));
}

async function describeListener(client: ElasticLoadBalancingV2Client, call: Call, arn: string): Promise<ListenerInfo> {
  const out = await call('DescribeListeners', arn, () =>
    client.send(new DescribeListenersCommand({ ListenerArns: [arn] })),
  );
  const listener = out.Listeners?.[0];
  if (listener === undefined) throw notFound('Listener', arn);
  return {
    arn: listener.ListenerArn ?? arn,
    loadBalancerArn: listener.LoadBalancerArn ?? '',
    port: listener.Port ?? 0,
    protocol: listener.Protocol ?? '',
    defaultActions: (listener.DefaultActions ?? []).map((a) => stripUndefined(a) as ListenerAction),
  };
}

function toTargetGroupInfo(group: TargetGroup, arn: string, deregistrationDelaySeconds: number): TargetGroupInfo {
  return {
    arn,
    name: group.TargetGroupName ?? '',
    protocol: group.Protocol ?? 'HTTP',
    port: group.Port ?? 80,
    vpcId: group.VpcId,
    targetType: group.TargetType ?? 'instance',
    healthCheck: {
      protocol: group.HealthCheckProtocol ?? group.Protocol ?? 'HTTP',
      path: group.HealthCheckPath,
      port: group.HealthCheckPort ?? 'traffic-port',
      intervalSeconds: group.HealthCheckIntervalSeconds ?? 30,
      timeoutSeconds: group.HealthCheckTimeoutSeconds ?? 5,
      healthyThreshold: group.HealthyThresholdCount ?? 5,
      unhealthyThreshold: group.UnhealthyThresholdCount ?? 2,
      matcher: group.Matcher?.HttpCode ?? group.Matcher?.GrpcCode,
    },
    deregistrationDelaySeconds: Number.isFinite(deregistrationDelaySeconds)
      ? deregistrationDelaySeconds
      : DEFAULT_DEREGISTRATION_DELAY,
    loadBalancerArns: group.LoadBalancerArns ?? [],
  };
}

function toTargetHealth(d: TargetHealthDescription): TargetHealth {
  return {
    id: d.Target?.Id ?? '',
    port: d.Target?.Port,
    availabilityZone: d.Target?.AvailabilityZone,
    state: (d.TargetHealth?.State ?? 'unavailable') as TargetState,
    reason: d.TargetHealth?.Reason,
    description: d.TargetHealth?.Description,
  };
}

/** A target as sent: exactly as given (the steps decide what to send, see `steps/targets.ts`). */
function toTargetDescription(t: Target): TargetDescription {
  return {
    Id: t.id,
    ...(t.port === undefined ? {} : { Port: t.port }),
    ...(t.availabilityZone === undefined ? {} : { AvailabilityZone: t.availabilityZone }),
  };
}
