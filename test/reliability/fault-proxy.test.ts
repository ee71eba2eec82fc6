import { CreateVpcCommand, DescribeVpcsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy.js';

/** The proxy does what the fault trials say it does: each fault, as the SDK sees it. */
describe('the fault proxy in front of moto', () => {
  let moto: Moto;
  let proxy: FaultProxy;
  const config = () => ({
    region: 'us-east-1',
    endpoint: proxy.endpoint,
    maxAttempts: 1,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });

  beforeAll(async () => {
    useFakeAwsCredentials();
    moto = await startMoto();
    proxy = await startFaultProxy(moto.endpoint);
  });

  afterAll(async () => {
    await proxy?.close();
    await moto?.stop();
  });

  async function failure(
    p: Promise<unknown>,
  ): Promise<{ name: string; status?: number | undefined; code?: string | undefined }> {
    try {
      await p;
    } catch (error) {
      const e = error as { name: string; code?: string; $metadata?: { httpStatusCode?: number } };
      return { name: e.name, status: e.$metadata?.httpStatusCode, code: e.code };
    }
    throw new Error('the call succeeded');
  }

  it('names operations: Action= for EC2 and ELBv2, the REST path for Route 53; passes the rest through', async () => {
    const ec2 = new EC2Client(config());
    await ec2.send(new DescribeVpcsCommand({}));
    await new ElasticLoadBalancingV2Client(config()).send(new DescribeLoadBalancersCommand({}));
    await new Route53Client(config()).send(new ListHostedZonesCommand({}));
    expect(proxy.seen.slice(-3)).toEqual(['DescribeVpcs', 'DescribeLoadBalancers', 'ListHostedZones']);
  });

  it("throttles, fails, denies in each service's own error format", async () => {
    const ec2 = new EC2Client(config());
    const elbv2 = new ElasticLoadBalancingV2Client(config());
    const route53 = new Route53Client(config());
    proxy.inject({ operation: 'DescribeVpcs', kind: 'throttle' });
    expect(await failure(ec2.send(new DescribeVpcsCommand({})))).toMatchObject({
      name: 'RequestLimitExceeded',
      status: 400,
    });
    proxy.inject({ operation: 'DescribeLoadBalancers', kind: 'throttle' });
    expect(await failure(elbv2.send(new DescribeLoadBalancersCommand({})))).toMatchObject({
      name: 'Throttling',
      status: 400,
    });
    proxy.inject({ operation: 'ListHostedZones', kind: 'throttle' });
    expect(await failure(route53.send(new ListHostedZonesCommand({})))).toMatchObject({
      name: 'Throttling',
      status: 400,
    });
    proxy.inject({ operation: 'DescribeVpcs', kind: 'access-denied' });
    expect(await failure(ec2.send(new DescribeVpcsCommand({})))).toMatchObject({
      name: 'UnauthorizedOperation',
      status: 403,
    });
    proxy.inject({ operation: 'DescribeLoadBalancers', kind: 'access-denied' });
    expect(await failure(elbv2.send(new DescribeLoadBalancersCommand({})))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
    proxy.inject({ operation: 'DescribeLoadBalancers', kind: '503' });
    expect(await failure(elbv2.send(new DescribeLoadBalancersCommand({})))).toMatchObject({
      name: 'ServiceUnavailable',
      status: 503,
    });
    proxy.inject({ operation: 'ListHostedZones', kind: '500' });
    expect(await failure(route53.send(new ListHostedZonesCommand({})))).toMatchObject({
      name: 'InternalFailure',
      status: 500,
    });
    proxy.inject({ operation: 'RunInstances', kind: 'capacity' });
    const launch = new RunInstancesCommand({
      ImageId: 'ami-12345678',
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.micro',
    });
    expect(await failure(ec2.send(launch))).toMatchObject({ name: 'InsufficientInstanceCapacity', status: 500 });
    // Each rule was a single fault: the next call goes through.
    await ec2.send(new DescribeVpcsCommand({}));
    expect(proxy.injected.map((i) => i.kind)).toEqual([
      'throttle',
      'throttle',
      'throttle',
      'access-denied',
      'access-denied',
      '503',
      '500',
      'capacity',
    ]);
  });

  it('a reset never reaches moto; a lost response does, and only its answer is lost', async () => {
    const ec2 = new EC2Client(config());
    const count = async () => (await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length ?? 0;
    const before = await count();
    proxy.inject({ operation: 'CreateVpc', kind: 'reset' });
    expect((await failure(ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' })))).code).toMatch(
      /ECONNRESET|socket hang up/,
    );
    expect(await count()).toBe(before);
    proxy.inject({ operation: 'CreateVpc', kind: 'lost-response' });
    expect((await failure(ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' })))).code).toMatch(
      /ECONNRESET|socket hang up/,
    );
    expect(await count()).toBe(before + 1);
  });

  it('a slow answer arrives, late', async () => {
    proxy.inject({ operation: 'DescribeVpcs', kind: 'slow' });
    const out = await new EC2Client(config()).send(new DescribeVpcsCommand({}));
    expect(out.Vpcs).toBeDefined();
    expect(proxy.injected.at(-1)).toEqual({ operation: 'DescribeVpcs', kind: 'slow' });
  });
});
