import {
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createLoadBalancer } from '../../src/aws/elbv2.js';

const mock = mockClient(ElasticLoadBalancingV2Client);
const lb = createLoadBalancer(new ElasticLoadBalancingV2Client({ region: 'us-east-1' }));
const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef';
const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/0123456789abcdef/0123456789abcdef';

beforeEach(() => mock.reset());

describe('describeTargetGroup', () => {
  beforeEach(() => {
    mock.on(DescribeTargetGroupsCommand).resolves({
      TargetGroups: [
        {
          TargetGroupArn: TG,
          TargetGroupName: 'web',
          Protocol: 'HTTP',
          Port: 8080,
          HealthCheckIntervalSeconds: 10,
          HealthyThresholdCount: 3,
          HealthCheckPath: '/up',
        },
      ],
    });
  });

  it('looks up by name or by ARN and reads the deregistration delay attribute', async () => {
    mock
      .on(DescribeTargetGroupAttributesCommand)
      .resolves({ Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '45' }] });
    const byName = await lb.describeTargetGroup('web');
    await lb.describeTargetGroup(TG);
    const inputs = mock.commandCalls(DescribeTargetGroupsCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([{ Names: ['web'] }, { TargetGroupArns: [TG] }]);
    expect(byName).toMatchObject({
      arn: TG,
      port: 8080,
      deregistrationDelaySeconds: 45,
      healthCheck: { intervalSeconds: 10, healthyThreshold: 3, path: '/up', timeoutSeconds: 5 },
    });
  });

  it('defaults the deregistration delay to 300 s when the attribute is absent', async () => {
    mock.on(DescribeTargetGroupAttributesCommand).resolves({ Attributes: [] });
    expect((await lb.describeTargetGroup('web')).deregistrationDelaySeconds).toBe(300);
  });
});

describe('targets', () => {
  it('returns the request id and sends targets exactly as given (the steps leave the zone out for instance targets)', async () => {
    mock.on(RegisterTargetsCommand).resolves({ $metadata: { requestId: 'req-123' } });
    mock.on(DeregisterTargetsCommand).resolves({ $metadata: { requestId: 'req-456' } });
    const receipt = await lb.registerTargets(TG, [{ id: 'i-0123456789abcdef0', port: 80 }]);
    expect(receipt).toEqual({ requestId: 'req-123' });
    expect(await lb.deregisterTargets(TG, [{ id: '10.0.0.5', port: 80, availabilityZone: 'all' }])).toEqual({
      requestId: 'req-456',
    });
    expect(mock.commandCalls(RegisterTargetsCommand)[0]?.args[0].input.Targets).toEqual([
      { Id: 'i-0123456789abcdef0', Port: 80 },
    ]);
    expect(mock.commandCalls(DeregisterTargetsCommand)[0]?.args[0].input.Targets).toEqual([
      { Id: '10.0.0.5', Port: 80, AvailabilityZone: 'all' },
    ]);
  });
});

describe('listener default actions', () => {
  const forward = {
    Type: 'forward' as const,
    TargetGroupArn: TG,
    ForwardConfig: {
      TargetGroups: [{ TargetGroupArn: TG, Weight: 1 }],
      TargetGroupStickinessConfig: { Enabled: false },
    },
  };

  it('reads actions without undefined members and writes them back untouched', async () => {
    mock.on(DescribeListenersCommand).resolves({
      Listeners: [
        {
          ListenerArn: LISTENER,
          LoadBalancerArn: 'lb',
          Port: 443,
          Protocol: 'HTTPS',
          DefaultActions: [{ ...forward, Order: undefined }],
        },
      ],
    });
    mock.on(ModifyListenerCommand).resolves({});
    const listener = await lb.describeListener(LISTENER);
    expect(listener).toEqual({
      arn: LISTENER,
      loadBalancerArn: 'lb',
      port: 443,
      protocol: 'HTTPS',
      defaultActions: [forward],
    });
    expect(Object.keys(listener.defaultActions[0] ?? {})).not.toContain('Order');
    await lb.setListenerDefaultActions(LISTENER, listener.defaultActions);
    expect(mock.commandCalls(ModifyListenerCommand)[0]?.args[0].input).toEqual({
      ListenerArn: LISTENER,
      DefaultActions: [forward],
    });
  });

  it('a listener the API does not return is NotFound', async () => {
    mock.on(DescribeListenersCommand).resolves({ Listeners: [] });
    await expect(lb.describeListener(LISTENER)).rejects.toMatchObject({ code: 'ListenerNotFound' });
  });
});
