import { DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCompute } from '../../src/aws/ec2.js';
import type { LaunchSpec } from '../../src/ports/index.js';
import { sampleRedirect } from '../helpers/redirect-config.js';

const mock = mockClient(EC2Client);
const compute = createCompute(new EC2Client({ region: 'us-east-1' }));

const spec: LaunchSpec = {
  imageId: 'ami-0123456789abcdef0',
  instanceType: 't3.micro',
  subnetId: 'subnet-0123456789abcdef0',
  securityGroupIds: ['sg-0123456789abcdef0'],
  redirect: sampleRedirect({ server: 'apache' }),
  clientToken: 'run-1-launch-redirect-1',
  tags: { Name: 'hotspare-redirect', 'hotspare:run': 'run-1' },
};

beforeEach(() => mock.reset());

describe('describeInstances', () => {
  it('filters by tags and live states, and follows NextToken', async () => {
    mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({
        Reservations: [
          { Instances: [{ InstanceId: 'i-1', State: { Name: 'running' }, Tags: [{ Key: 'role', Value: 'web' }] }] },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        Reservations: [
          {
            Instances: [
              { InstanceId: 'i-2', State: { Name: 'pending' }, Placement: { AvailabilityZone: 'us-east-1b' } },
            ],
          },
        ],
      });
    const found = await compute.describeInstances({ tags: { role: 'web' } });
    expect(found.map((i) => i.id)).toEqual(['i-1', 'i-2']);
    expect(found[0]?.tags).toEqual({ role: 'web' });
    expect(found[1]?.availabilityZone).toBe('us-east-1b');
    const inputs = mock.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input);
    expect(inputs[0]?.Filters).toEqual([
      { Name: 'tag:role', Values: ['web'] },
      { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
    ]);
    expect(inputs[1]?.NextToken).toBe('page-2');
  });

  it('with liveOnly false sends no state filter; an empty id list asks nothing', async () => {
    mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    await compute.describeInstances({ ids: ['i-1'], liveOnly: false });
    expect(mock.commandCalls(DescribeInstancesCommand)[0]?.args[0].input).toEqual({ InstanceIds: ['i-1'] });
    expect(await compute.describeInstances({ ids: [] })).toEqual([]);
    expect(mock.commandCalls(DescribeInstancesCommand)).toHaveLength(1);
  });
});

describe('runInstance', () => {
  it('launches exactly one tagged instance with the client token and base64 user data', async () => {
    mock.on(RunInstancesCommand).resolves({
      Instances: [{ InstanceId: 'i-9', State: { Name: 'pending' }, InstanceType: 't3.micro' }],
      $metadata: { requestId: 'req-9' },
    });
    const result = await compute.runInstance(spec);
    expect(result).toMatchObject({ requestId: 'req-9', instance: { id: 'i-9', state: 'pending', tags: spec.tags } });
    const input = mock.commandCalls(RunInstancesCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      MinCount: 1,
      MaxCount: 1,
      ClientToken: spec.clientToken,
      ImageId: spec.imageId,
      SubnetId: spec.subnetId,
    });
    expect(input?.TagSpecifications).toEqual([
      {
        ResourceType: 'instance',
        Tags: [
          { Key: 'Name', Value: 'hotspare-redirect' },
          { Key: 'hotspare:run', Value: 'run-1' },
        ],
      },
    ]);
    const userData = Buffer.from(input?.UserData ?? '', 'base64').toString('utf8');
    expect(userData).toContain('RewriteRule ^ "https://maintenance.example.com/" [R=302,NE,QSD,L]');
    // Not a spare: it powers off only when its boot failed (redirect/boot-script.ts), never once ready.
    expect(userData.trimEnd().endsWith('systemctl poweroff')).toBe(false);
    expect(input?.InstanceInitiatedShutdownBehavior).toBeUndefined();
  });

  it('a spare stops when it powers itself off, and its user data does so once ready', async () => {
    mock.on(RunInstancesCommand).resolves({ Instances: [{ InstanceId: 'i-9', State: { Name: 'pending' } }] });
    await compute.runInstance({ ...spec, spare: true });
    const input = mock.commandCalls(RunInstancesCommand)[0]?.args[0].input;
    expect(input?.InstanceInitiatedShutdownBehavior).toBe('stop');
    expect(
      Buffer.from(input?.UserData ?? '', 'base64')
        .toString('utf8')
        .trimEnd()
        .endsWith('systemctl poweroff'),
    ).toBe(true);
  });
});
