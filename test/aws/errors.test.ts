import { EC2Client, EC2ServiceException, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ElasticLoadBalancingV2ServiceException,
  ModifyListenerCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  ChangeResourceRecordSetsCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  Route53ServiceException,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsPorts } from '../../src/aws/index.js';
import { translateAwsError } from '../../src/aws/errors.js';
import type { LaunchSpec } from '../../src/ports/index.js';
import { sampleRedirect } from '../helpers/redirect-config.js';

const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const ec2 = mockClient(EC2Client);
const route53 = mockClient(Route53Client);

type Ctor = typeof EC2ServiceException | typeof ElasticLoadBalancingV2ServiceException | typeof Route53ServiceException;

function awsError(Service: Ctor, name: string, status: number, message = `${name} happened`): Error {
  return new Service({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'req-err' },
    message,
  });
}

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef';
const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/0123456789abcdef/0123456789abcdef';

const spec: LaunchSpec = {
  imageId: 'ami-0123456789abcdef0',
  instanceType: 't3.micro',
  subnetId: 'subnet-0123456789abcdef0',
  securityGroupIds: ['sg-0123456789abcdef0'],
  redirect: sampleRedirect({ server: 'nginx' }),
  clientToken: 'run-1-launch-redirect-1',
  tags: { Name: 'hotspare-redirect', 'hotspare:run': 'run-1', 'hotspare:step': 'launch-redirect' },
};

const ports = () => createAwsPorts({ region: 'us-east-1' });

beforeEach(() => {
  elbv2.reset();
  ec2.reset();
  route53.reset();
});

describe('access denied names the IAM action', () => {
  it('for ELBv2 RegisterTargets', async () => {
    elbv2.on(RegisterTargetsCommand).rejects(awsError(ElasticLoadBalancingV2ServiceException, 'AccessDenied', 403));
    const error = await ports()
      .lb.registerTargets(TG, [{ id: 'i-0123456789abcdef0', port: 80 }])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ExternalError', kind: 'external', code: 'AccessDenied', retryable: false });
    expect((error as Error).message).toContain('elasticloadbalancing:RegisterTargets');
    expect((error as Error).message).toContain(TG);
    expect((error as { nextSteps: string }).nextSteps).toContain('hotspare iam-policy');
  });

  it('for EC2 UnauthorizedOperation on TerminateInstances', async () => {
    ec2
      .on(TerminateInstancesCommand)
      .rejects(
        awsError(
          EC2ServiceException,
          'UnauthorizedOperation',
          403,
          'You are not authorized to perform this operation.',
        ),
      );
    await expect(ports().compute.terminateInstances(['i-0123456789abcdef0'])).rejects.toMatchObject({
      code: 'AccessDenied',
      message: expect.stringContaining('ec2:TerminateInstances'),
    });
  });

  it('prefers the action AWS names in its message (tagging during RunInstances)', async () => {
    const message =
      'User: arn:aws:iam::123456789012:user/ops is not authorized to perform: ec2:CreateTags on resource: arn:aws:ec2:us-east-1:123456789012:instance/*';
    ec2.on(RunInstancesCommand).rejects(awsError(EC2ServiceException, 'UnauthorizedOperation', 403, message));
    const error = (await ports()
      .compute.runInstance(spec)
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('ec2:CreateTags on arn:aws:ec2:us-east-1:123456789012:instance/*');
  });

  it('for Route 53 ChangeResourceRecordSets', async () => {
    route53.on(ChangeResourceRecordSetsCommand).rejects(awsError(Route53ServiceException, 'AccessDenied', 403));
    await expect(
      ports().dns.upsertRecord('Z123', { name: 'www.example.com', type: 'CNAME', ttl: 60, values: ['m.example.com'] }),
    ).rejects.toMatchObject({
      code: 'AccessDenied',
      message: expect.stringContaining('route53:ChangeResourceRecordSets'),
    });
  });
});

describe('throttling is retryable whatever the service calls it', () => {
  it.each([
    [
      'elbv2 Throttling',
      () =>
        elbv2
          .on(DescribeTargetGroupsCommand)
          .rejects(awsError(ElasticLoadBalancingV2ServiceException, 'Throttling', 400)),
    ],
    [
      'a bare HTTP 429',
      () =>
        elbv2
          .on(DescribeTargetGroupsCommand)
          .rejects(awsError(ElasticLoadBalancingV2ServiceException, 'SlowDown', 429)),
    ],
  ])('%s', async (_, arrange) => {
    arrange();
    await expect(ports().lb.describeTargetGroup('web')).rejects.toMatchObject({
      code: 'Throttling',
      retryable: true,
      message: expect.stringContaining('DescribeTargetGroups'),
    });
  });

  it('EC2 RequestLimitExceeded', async () => {
    ec2.on(TerminateInstancesCommand).rejects(awsError(EC2ServiceException, 'RequestLimitExceeded', 503));
    await expect(ports().compute.terminateInstances(['i-0123456789abcdef0'])).rejects.toMatchObject({
      code: 'Throttling',
      retryable: true,
    });
  });

  it('Route 53 ThrottlingException', async () => {
    route53.on(ListResourceRecordSetsCommand).rejects(awsError(Route53ServiceException, 'ThrottlingException', 400));
    await expect(ports().dns.getRecord('Z123', 'www.example.com', 'CNAME')).rejects.toMatchObject({
      code: 'Throttling',
      retryable: true,
    });
  });
});

describe('launch failures', () => {
  it('InsufficientInstanceCapacity names the type and subnet so the caller can fall back', async () => {
    ec2.on(RunInstancesCommand).rejects(awsError(EC2ServiceException, 'InsufficientInstanceCapacity', 500));
    await expect(ports().compute.runInstance(spec)).rejects.toMatchObject({
      name: 'ExternalError',
      code: 'InsufficientInstanceCapacity',
      retryable: true,
      message: expect.stringMatching(/t3\.micro.*subnet-0123456789abcdef0/),
      nextSteps: expect.stringContaining('fallbackInstanceTypes'),
    });
  });

  it('a missing AMI is a NotFound naming the id from the AWS message', async () => {
    ec2
      .on(RunInstancesCommand)
      .rejects(
        awsError(
          EC2ServiceException,
          'InvalidAMIID.NotFound',
          400,
          "The image id '[ami-0aaaabbbbcccc1111]' does not exist",
        ),
      );
    await expect(ports().compute.runInstance(spec)).rejects.toMatchObject({
      code: 'AMINotFound',
      message: expect.stringContaining('ami-0aaaabbbbcccc1111'),
    });
  });

  it('an unsafe redirect URL is a usage error and nothing is sent', async () => {
    const bad = { ...spec, redirect: { ...spec.redirect, targetUrl: 'https://x.example.com/$(reboot)' } };
    await expect(ports().compute.runInstance(bad)).rejects.toMatchObject({
      name: 'UsageError',
      code: 'UnsafeRedirectUrl',
    });
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(0);
  });
});

describe('checkLaunch (RunInstances with DryRun)', () => {
  it('resolves on DryRunOperation: permitted', async () => {
    ec2
      .on(RunInstancesCommand)
      .rejects(
        awsError(EC2ServiceException, 'DryRunOperation', 412, 'Request would have succeeded, but DryRun flag is set.'),
      );
    await expect(ports().compute.checkLaunch(spec)).resolves.toBeUndefined();
    expect(ec2.commandCalls(RunInstancesCommand)[0]?.args[0].input).toMatchObject({
      DryRun: true,
      ClientToken: spec.clientToken,
    });
  });

  it('UnauthorizedOperation is access denied to ec2:RunInstances', async () => {
    ec2
      .on(RunInstancesCommand)
      .rejects(
        awsError(
          EC2ServiceException,
          'UnauthorizedOperation',
          403,
          'You are not authorized to perform this operation. Encoded authorization failure message: abc',
        ),
      );
    await expect(ports().compute.checkLaunch(spec)).rejects.toMatchObject({
      code: 'AccessDenied',
      message: expect.stringContaining('ec2:RunInstances'),
    });
  });

  it('a missing subnet is reported as such', async () => {
    ec2
      .on(RunInstancesCommand)
      .rejects(
        awsError(
          EC2ServiceException,
          'InvalidSubnetID.NotFound',
          400,
          "The subnet ID 'subnet-0123456789abcdef0' does not exist",
        ),
      );
    await expect(ports().compute.checkLaunch(spec)).rejects.toMatchObject({ code: 'SubnetNotFound' });
  });

  it('an endpoint that ignores DryRun (and may have launched) is a bug, not a pass', async () => {
    ec2.on(RunInstancesCommand).resolves({ Instances: [{ InstanceId: 'i-0123456789abcdef0' }] });
    await expect(ports().compute.checkLaunch(spec)).rejects.toMatchObject({ name: 'BugError', code: 'DryRunIgnored' });
  });
});

describe('credentials', () => {
  it.each(['ExpiredToken', 'ExpiredTokenException'])('%s: refresh and resume', async (name) => {
    elbv2.on(DescribeTargetGroupsCommand).rejects(awsError(ElasticLoadBalancingV2ServiceException, name, 403));
    await expect(ports().lb.describeTargetGroup('web')).rejects.toMatchObject({
      code: 'ExpiredToken',
      retryable: false,
      nextSteps: expect.stringContaining('resume'),
    });
  });

  it('a CredentialsProviderError is a usage error: no credentials', async () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    elbv2.on(DescribeTargetGroupsCommand).rejects(error);
    await expect(ports().lb.describeTargetGroup('web')).rejects.toMatchObject({
      name: 'UsageError',
      code: 'NoCredentials',
      nextSteps: expect.stringContaining('--profile'),
    });
  });
});

describe('target and resource errors', () => {
  it('InvalidTarget carries the AWS detail', async () => {
    elbv2
      .on(RegisterTargetsCommand)
      .rejects(
        awsError(
          ElasticLoadBalancingV2ServiceException,
          'InvalidTargetException',
          400,
          'The following targets are not in a running state',
        ),
      );
    await expect(ports().lb.registerTargets(TG, [{ id: 'i-0123456789abcdef0' }])).rejects.toMatchObject({
      code: 'InvalidTarget',
      message: expect.stringContaining('not in a running state'),
    });
  });

  it('NoSuchHostedZone is NotFound for reads and false for hasHostedZone', async () => {
    route53.on(ListResourceRecordSetsCommand).rejects(awsError(Route53ServiceException, 'NoSuchHostedZone', 404));
    route53.on(GetHostedZoneCommand).rejects(awsError(Route53ServiceException, 'NoSuchHostedZone', 404));
    await expect(ports().dns.getRecord('Z123', 'www.example.com', 'CNAME')).rejects.toMatchObject({
      code: 'HostedZoneNotFound',
    });
    await expect(ports().dns.hasHostedZone('Z123')).resolves.toBe(false);
  });

  it('an unknown AWS error keeps its code and message, with no stack in the message', async () => {
    elbv2
      .on(ModifyListenerCommand)
      .rejects(
        awsError(
          ElasticLoadBalancingV2ServiceException,
          'ValidationError',
          400,
          'A redirect action must change something',
        ),
      );
    const error = (await ports()
      .lb.setListenerDefaultActions(LISTENER, [{ Type: 'redirect' }])
      .catch((e: unknown) => e)) as Error & { code: string; retryable: boolean };
    expect(error).toMatchObject({
      name: 'ExternalError',
      code: 'AwsError',
      awsCode: 'ValidationError',
      retryable: false,
    });
    expect(error.message).toContain('A redirect action must change something');
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  it('a 5xx AWS error is retryable', () => {
    const error = translateAwsError(awsError(EC2ServiceException, 'InternalError', 500), {
      service: 'ec2',
      operation: 'DescribeInstances',
    });
    expect(error).toMatchObject({ code: 'AwsError', awsCode: 'InternalError', retryable: true });
  });
});

describe('against real sockets (loopback only)', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    elbv2.restore();
    ec2.restore();
    route53.restore();
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('a refused connection is NetworkError naming the endpoint', async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
    const lb = createAwsPorts({ region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1 }).lb;
    await expect(lb.describeTargetGroup('web')).rejects.toMatchObject({
      code: 'NetworkError',
      retryable: true,
      message: expect.stringContaining('127.0.0.1:9'),
    });
  });

  it('no credentials anywhere is NoCredentials', async () => {
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
    Object.assign(process.env, {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      AWS_CONFIG_FILE: '/nonexistent/config',
    });
    const lb = createAwsPorts({ region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1 }).lb;
    await expect(lb.describeTargetGroup('web')).rejects.toMatchObject({ name: 'UsageError', code: 'NoCredentials' });
  });
});
