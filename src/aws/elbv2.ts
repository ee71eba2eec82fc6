import {
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  RegisterTargetsCommand,
  type Action,
  type TargetDescription,
  type TargetGroup,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { notFound } from '../ports/failures.js';
import type {
  ListenerAction,
  ListenerInfo,
  LoadBalancer,
  Target,
  TargetGroupInfo,
  TargetHealth,
  TargetState,
} from '../ports/index.js';
import { callAws, type CallContext } from './errors.js';
import { stripUndefined } from './json.js';
import { receiptOf } from './receipt.js';

/** ALB defaults, used when the API leaves a value out. */
const DEFAULT_DEREGISTRATION_DELAY = 300;

/**
 * The LoadBalancer port over ELBv2. Every call is translated by `errors.ts`; mutating calls return
 * the AWS request id for the journal.
 */
export function createLoadBalancer(client: ElasticLoadBalancingV2Client, endpoint?: string): LoadBalancer {
  const ctx = (operation: string, resource?: string): CallContext => ({ service: 'elbv2', operation, resource, endpoint });

  return {
    async describeTargetGroup(nameOrArn) {
      const byArn = nameOrArn.startsWith('arn:');
      const out = await callAws(ctx('DescribeTargetGroups', nameOrArn), () =>
        client.send(new DescribeTargetGroupsCommand(byArn ? { TargetGroupArns: [nameOrArn] } : { Names: [nameOrArn] })),
      );
      const group = out.TargetGroups?.[0];
      if (group?.TargetGroupArn === undefined) throw notFound('Target Group', nameOrArn);
      const arn = group.TargetGroupArn;
      const attrs = await callAws(ctx('DescribeTargetGroupAttributes', arn), () =>
        client.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })),
      );
      const delay = attrs.Attributes?.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value;
      return toTargetGroupInfo(group, arn, delay === undefined ? DEFAULT_DEREGISTRATION_DELAY : Number(delay));
    },

    async describeTargetHealth(targetGroupArn) {
      const out = await callAws(ctx('DescribeTargetHealth', targetGroupArn), () =>
        client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })),
      );
      return (out.TargetHealthDescriptions ?? []).map(toTargetHealth);
    },

    async registerTargets(targetGroupArn, targets) {
      const out = await callAws(ctx('RegisterTargets', targetGroupArn), () =>
        client.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: targets.map(toTargetDescription) })),
      );
      return receiptOf(out);
    },

    async deregisterTargets(targetGroupArn, targets) {
      const out = await callAws(ctx('DeregisterTargets', targetGroupArn), () =>
        client.send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: targets.map(toTargetDescription) })),
      );
      return receiptOf(out);
    },

    async describeListener(listenerArn) {
      const out = await callAws(ctx('DescribeListeners', listenerArn), () =>
        client.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] })),
      );
      const listener = out.Listeners?.[0];
      if (listener === undefined) throw notFound('Listener', listenerArn);
      const info: ListenerInfo = {
        arn: listener.ListenerArn ?? listenerArn,
        loadBalancerArn: listener.LoadBalancerArn ?? '',
        port: listener.Port ?? 0,
        protocol: listener.Protocol ?? '',
        defaultActions: (listener.DefaultActions ?? []).map((a) => stripUndefined(a) as ListenerAction),
      };
      return info;
    },

    async setListenerDefaultActions(listenerArn, actions) {
      const defaultActions = actions.map((a) => stripUndefined(a) as unknown as Action);
      const out = await callAws(ctx('ModifyListener', listenerArn), () =>
        client.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: defaultActions })),
      );
      return receiptOf(out);
    },
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
    deregistrationDelaySeconds: Number.isFinite(deregistrationDelaySeconds) ? deregistrationDelaySeconds : DEFAULT_DEREGISTRATION_DELAY,
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

/**
 * The API refuses an AvailabilityZone for instance targets (ValidationError): it is informational
 * there. It is only sent for IP targets, where deregistration must repeat the zone given at
 * registration.
 */
function toTargetDescription(t: Target): TargetDescription {
  const isInstanceOrArn = t.id.startsWith('i-') || t.id.startsWith('arn:');
  return {
    Id: t.id,
    ...(t.port === undefined ? {} : { Port: t.port }),
    ...(t.availabilityZone === undefined || isInstanceOrArn ? {} : { AvailabilityZone: t.availabilityZone }),
  };
}
