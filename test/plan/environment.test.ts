import { describe, expect, it } from 'vitest';
import {
  accountOf,
  ALB_DEFAULTS,
  assumedEnvironment,
  discoverEnvironment,
  tagText,
} from '../../src/plan/environment.js';
import { ExternalError } from '../../src/domain/errors.js';
import type { Clock, Ports } from '../../src/ports/index.js';
import { good, shipped, TG_ARN } from './env.js';

describe('assumedEnvironment', () => {
  it('uses the ALB defaults and a placeholder ARN for a target group given by name', async () => {
    const env = assumedEnvironment(await shipped('classic-order'));
    expect(env.discovered).toBe(false);
    expect(env.account).toBeUndefined();
    expect(env.targetGroup.name).toBe('example-web-tg');
    expect(env.targetGroup.arn).toBe(
      'arn:aws:elasticloadbalancing:us-east-1:<account>:targetgroup/example-web-tg/<id>',
    );
    expect(env.targetGroup.healthCheck.intervalSeconds).toBe(30);
    expect(env.targetGroup.healthCheck.healthyThreshold).toBe(5);
    expect(env.targetGroup.deregistrationDelaySeconds).toBe(300);
    expect(env.webTargets).toEqual([{ id: '<instances tagged role=web>', port: 80 }]);
  });

  it('takes the name and account from a target group ARN, and the web servers from instance ids', async () => {
    const env = assumedEnvironment(await good('instance-ids'));
    expect(env.targetGroup.arn).toBe(
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-tg/0123456789abcdef',
    );
    expect(env.targetGroup.name).toBe('shop-tg');
    expect(env.account).toBe('123456789012');
    expect(env.webTargets.map((t) => t.id)).toEqual(['i-0123456789abcdef0', 'i-0fedcba9876543210']);
  });

  it('ALB_DEFAULTS are the documented ALB defaults', () => {
    expect(ALB_DEFAULTS).toEqual({
      intervalSeconds: 30,
      timeoutSeconds: 5,
      healthyThreshold: 5,
      unhealthyThreshold: 2,
      deregistrationDelaySeconds: 300,
    });
  });
});

describe('accountOf and tagText', () => {
  it('reads the account from any ARN', () => {
    expect(accountOf(TG_ARN)).toBe('123456789012');
    expect(accountOf('arn:aws-us-gov:ec2:us-gov-west-1:210987654321:instance/i-0123')).toBe('210987654321');
    expect(accountOf('example-web-tg')).toBeUndefined();
    expect(accountOf('arn:aws:s3:::bucket')).toBeUndefined();
  });

  it('writes tags as k=v,k=v', () => {
    expect(tagText({ role: 'web', env: 'prod' })).toBe('role=web,env=prod');
    expect(tagText({})).toBe('');
  });
});

/** The EC2 reads about the redirect instance's image, type and subnet, answering as an account with a NAT. */
const launchReads = {
  describeImage: async (ref: string) => ({
    id: ref.startsWith('ami-') ? ref : 'ami-0a1b2c3d4e5f60718',
    name: 'al2023-ami-x86_64',
    architecture: 'x86_64',
    platform: 'linux',
  }),
  describeInstanceType: async (instanceType: string) => ({ instanceType, architectures: ['x86_64'] }),
  describeSubnetNetwork: async (subnetId: string) => ({
    subnetId,
    vpcId: 'vpc-1',
    mapPublicIpOnLaunch: false,
    routes: [{ destination: '0.0.0.0/0', target: 'nat-1' }],
    gatewayEndpoints: [],
  }),
};

/** A clock that never waits and remembers how long it was asked to. */
function fakeClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => 0, sleep: async (ms: number) => void slept.push(ms) };
}

describe('discoverEnvironment', () => {
  it('keeps the web servers that are registered and not draining, with their port and AZ', async () => {
    const runbook = await shipped('emergency-mode');
    const asked: unknown[] = [];
    const tg = {
      arn: TG_ARN,
      name: 'example-web-tg',
      protocol: 'HTTP',
      port: 80,
      targetType: 'instance',
      healthCheck: {
        protocol: 'HTTP',
        port: 'traffic-port',
        intervalSeconds: 10,
        timeoutSeconds: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 2,
      },
      deregistrationDelaySeconds: 30,
      loadBalancerArns: [],
    };
    const listener = {
      arn: runbook.loadBalancer.listener!,
      loadBalancerArn: 'arn:lb',
      port: 80,
      protocol: 'HTTP',
      defaultActions: [{ Type: 'forward', TargetGroupArn: TG_ARN }],
    };
    const ports = {
      lb: {
        describeTargetGroup: async (ref: string) => (asked.push(['tg', ref]), tg),
        describeTargetHealth: async () => [
          { id: 'i-0aaaaaaaaaaaaaaa1', port: 80, availabilityZone: 'us-east-1a', state: 'healthy' },
          { id: 'i-0bbbbbbbbbbbbbbb2', port: 8080, availabilityZone: 'us-east-1b', state: 'unhealthy' },
          { id: 'i-0ccccccccccccccc3', port: 80, state: 'draining' },
          { id: 'i-0ddddddddddddddd4', port: 80, state: 'healthy' }, // registered, but not a web server
        ],
        describeListener: async (arn: string) => (asked.push(['listener', arn]), listener),
        describeRules: async () => [],
      },
      compute: {
        describeInstances: async (query: unknown) => (
          asked.push(['instances', query]),
          ['i-0aaaaaaaaaaaaaaa1', 'i-0bbbbbbbbbbbbbbb2', 'i-0ccccccccccccccc3'].map((id) => ({
            id,
            state: 'running',
            tags: { role: 'web' },
          }))
        ),
        ...launchReads,
      },
      scaling: {
        describeGroups: async () => [
          {
            name: 'web-asg',
            desired: 3,
            min: 3,
            max: 6,
            instanceIds: ['i-0zzzzzzzzzzzzzzz9'],
            targetGroupArns: [TG_ARN],
            suspended: [],
          },
          {
            name: 'owns-a-web-server',
            desired: 1,
            min: 1,
            max: 1,
            instanceIds: ['i-0bbbbbbbbbbbbbbb2'],
            targetGroupArns: [],
            suspended: [],
          },
          {
            name: 'batch',
            desired: 2,
            min: 0,
            max: 4,
            instanceIds: ['i-0yyyyyyyyyyyyyyy8'],
            targetGroupArns: ['arn:other'],
            suspended: [],
          },
        ],
      },
      clock: fakeClock(),
    } as unknown as Pick<Ports, 'lb' | 'compute' | 'clock' | 'scaling'>;
    const env = await discoverEnvironment(runbook, ports);
    expect(env.scalingGroups?.map((g) => g.name)).toEqual(['web-asg', 'owns-a-web-server']);
    expect(env.discovered).toBe(true);
    expect(env.account).toBe('123456789012');
    expect(env.webTargets).toEqual([
      { id: 'i-0aaaaaaaaaaaaaaa1', port: 80, availabilityZone: 'us-east-1a' },
      { id: 'i-0bbbbbbbbbbbbbbb2', port: 8080, availabilityZone: 'us-east-1b' },
    ]);
    expect(env.listener).toEqual({ ...listener, rules: [] });
    expect(asked).toEqual(
      expect.arrayContaining([
        ['tg', 'example-web-tg'],
        ['instances', { tags: { role: 'web' }, liveOnly: true }],
        ['listener', runbook.loadBalancer.listener],
      ]),
    );
  });

  it('retries a throttled read and gives up on an access error', async () => {
    const runbook = await good('instance-ids');
    const clock = fakeClock();
    let calls = 0;
    const tg = {
      arn: TG_ARN,
      name: 'shop-tg',
      protocol: 'HTTP',
      port: 80,
      targetType: 'instance',
      healthCheck: {
        protocol: 'HTTP',
        port: 'traffic-port',
        intervalSeconds: 10,
        timeoutSeconds: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 2,
      },
      deregistrationDelaySeconds: 30,
      loadBalancerArns: [],
    };
    const portsWith = (describeTargetGroup: () => Promise<unknown>) =>
      ({
        lb: {
          describeTargetGroup,
          describeTargetHealth: async () => [],
          describeListener: async () => undefined,
          describeRules: async () => [],
        },
        compute: { describeInstances: async () => [], ...launchReads },
        scaling: {
          describeGroups: async () => {
            throw new ExternalError('not authorized to perform: autoscaling:DescribeAutoScalingGroups', {
              code: 'AccessDenied',
            });
          },
        },
        clock,
      }) as unknown as Pick<Ports, 'lb' | 'compute' | 'clock' | 'scaling'>;
    const throttledOnce = portsWith(async () => {
      calls++;
      if (calls === 1) throw new ExternalError('Rate exceeded', { code: 'Throttling', retryable: true });
      return tg;
    });
    const env = await discoverEnvironment(runbook, throttledOnce);
    expect(env.targetGroup).toBe(tg);
    expect(env.webTargets).toEqual([]);
    // Auto Scaling that cannot be read is noted, not fatal.
    expect(env.scalingReadError).toMatch(/autoscaling:DescribeAutoScalingGroups/);
    expect(calls).toBe(2);
    expect(clock.slept).toHaveLength(1);
    const denied = portsWith(async () => {
      throw new ExternalError('not authorized', { code: 'AccessDenied', retryable: false });
    });
    await expect(discoverEnvironment(runbook, denied)).rejects.toThrow('not authorized');
    expect(clock.slept).toHaveLength(1);
  });

  it('reads where the redirect instance would run; a failed read is kept as a problem, not thrown', async () => {
    const runbook = await shipped('emergency-mode');
    const tg = {
      arn: TG_ARN,
      name: 'example-web-tg',
      protocol: 'HTTP',
      port: 80,
      targetType: 'instance',
      healthCheck: {
        protocol: 'HTTP',
        port: 'traffic-port',
        intervalSeconds: 10,
        timeoutSeconds: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 2,
      },
      deregistrationDelaySeconds: 30,
      loadBalancerArns: [],
    };
    const portsWith = (compute: Record<string, unknown>) =>
      ({
        lb: {
          describeTargetGroup: async () => tg,
          describeTargetHealth: async () => [],
          describeListener: async () => undefined,
          describeRules: async () => [],
        },
        compute: { describeInstances: async () => [], ...launchReads, ...compute },
        scaling: { describeGroups: async () => [] },
        clock: fakeClock(),
      }) as unknown as Pick<Ports, 'lb' | 'compute' | 'clock' | 'scaling'>;
    // The builtin server installs nothing: the subnet's way out is not read at all.
    const noSubnetRead = { describeSubnetNetwork: async () => Promise.reject(new Error('the subnet was read')) };
    const builtin = await discoverEnvironment(runbook, portsWith(noSubnetRead));
    expect(builtin.redirectLaunch).toMatchObject({
      image: { id: 'ami-0123456789abcdef0' },
      architectures: ['x86_64'],
      spares: [],
    });
    expect(builtin.redirectLaunch?.network).toBeUndefined();
    // nginx is installed at boot: the way out matters, and is read.
    const nginx = { ...runbook, redirectServer: { ...runbook.redirectServer!, server: 'nginx' as const } };
    const env = await discoverEnvironment(nginx, portsWith({}));
    expect(env.redirectLaunch).toMatchObject({
      image: { id: 'ami-0123456789abcdef0' },
      architectures: ['x86_64'],
      network: { subnetId: 'subnet-0123456789abcdef0' },
      spares: [],
    });
    const missing = await discoverEnvironment(
      nginx,
      portsWith({
        describeSubnetNetwork: async () =>
          Promise.reject(
            new ExternalError('Subnet subnet-0123456789abcdef0 was not found in this account and region.', {
              code: 'SubnetNotFound',
            }),
          ),
      }),
    );
    expect(missing.redirectLaunch).toEqual({
      problem: 'Subnet subnet-0123456789abcdef0 was not found in this account and region.',
    });
  });
});
