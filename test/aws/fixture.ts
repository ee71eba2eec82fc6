import { randomBytes } from 'node:crypto';
import {
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeRouteTablesCommand,
  EC2Client,
  ModifySubnetAttributeCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { runbookSchema, type Runbook, type StepSpec } from '../../src/runbook/schema.js';

export const FIXTURE_REGION = 'us-east-1';

export interface FixtureOptions {
  readonly siteUrl?: string;
  readonly maintenanceUrl?: string;
  readonly expectText?: string;
  readonly steps?: readonly StepSpec['type'][];
  /** The redirect server (default nginx). */
  readonly server?: 'builtin' | 'nginx' | 'apache';
  /** Launch the redirect instance in the public subnet (default: a way out) or the private one (none). */
  readonly redirectSubnet?: 'public' | 'private';
  /** Web servers in the target group (default 3, named web-1, web-2, …; more than 3 are launched 100 at a time). */
  readonly webServers?: number;
}

/** What the fixture created, by real id. */
export interface Fixture {
  readonly runbook: Runbook;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupId: string;
  readonly imageId: string;
  readonly webInstanceIds: readonly string[];
  readonly loadBalancerArn: string;
  readonly targetGroupArn: string;
  readonly listenerArn: string;
  readonly hostedZoneId: string;
  readonly recordName: string;
  /** The www CNAME's value before any test touched it. */
  readonly recordValue: string;
}

export interface FixtureClients {
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly route53: Route53Client;
}

/** SDK clients for the fixture and for assertions, talking to `endpoint` only. */
export function fixtureClients(endpoint: string): FixtureClients {
  const config = {
    region: FIXTURE_REGION,
    endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  return {
    ec2: new EC2Client(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    route53: new Route53Client(config),
  };
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`fixture: ${what} missing from the response`);
  return value;
}

/** `wide`: /20 subnets (4091 addresses) instead of /24, for a thousand web servers. */
async function buildNetwork(
  ec2: EC2Client,
  wide = false,
): Promise<{ vpcId: string; subnetIds: string[]; securityGroupId: string; imageId: string }> {
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
  const vpcId = must(vpc.Vpc?.VpcId, 'VpcId');
  const subnetIds: string[] = [];
  for (const [i, az] of ['us-east-1a', 'us-east-1b'].entries()) {
    const subnet = await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: wide ? `10.20.${i * 16}.0/20` : `10.20.${i}.0/24`,
        AvailabilityZone: az,
      }),
    );
    subnetIds.push(must(subnet.Subnet?.SubnetId, 'SubnetId'));
  }
  await giveWayOut(ec2, vpcId, subnetIds[0]!);
  const sg = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: `web-${randomBytes(3).toString('hex')}`,
      Description: 'web',
      VpcId: vpcId,
    }),
  );
  const images = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
  // An Amazon Linux 2023 image for x86_64 (moto's list starts with Windows images).
  const linux = images.Images?.find(
    (i) => /^ami-[0-9a-f]{8,17}$/.test(i.ImageId ?? '') && /^al2023-ami-.*x86_64$/.test(i.Name ?? ''),
  );
  const imageId = must(linux?.ImageId, 'an Amazon Linux 2023 AMI');
  return { vpcId, subnetIds, securityGroupId: must(sg.GroupId, 'GroupId'), imageId };
}

/**
 * The first subnet is public: the VPC's main route table sends 0.0.0.0/0 to an internet gateway and
 * the subnet gives instances public IPs. The second gets no public IPs: it has no way out.
 */
async function giveWayOut(ec2: EC2Client, vpcId: string, publicSubnet: string): Promise<void> {
  const igw = must(
    (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway?.InternetGatewayId,
    'InternetGatewayId',
  );
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  const tables = await ec2.send(
    new DescribeRouteTablesCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'association.main', Values: ['true'] },
      ],
    }),
  );
  const main = must(tables.RouteTables?.[0]?.RouteTableId, 'the main route table');
  await ec2.send(new CreateRouteCommand({ RouteTableId: main, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
  await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: publicSubnet, MapPublicIpOnLaunch: { Value: true } }));
}

async function launchWebServers(
  ec2: EC2Client,
  net: { subnetIds: string[]; securityGroupId: string; imageId: string },
  fixtureTag: string,
  count = 3,
): Promise<string[]> {
  if (count > 3) return launchMany(ec2, net, fixtureTag, count);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: net.imageId,
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        SubnetId: net.subnetIds[i % net.subnetIds.length],
        SecurityGroupIds: [net.securityGroupId],
        TagSpecifications: [
          {
            ResourceType: 'instance',
            Tags: [
              { Key: 'role', Value: 'web' },
              { Key: 'Name', Value: `web-${i + 1}` },
              { Key: 'fixture', Value: fixtureTag },
            ],
          },
        ],
      }),
    );
    ids.push(must(out.Instances?.[0]?.InstanceId, 'InstanceId'));
  }
  return ids;
}

/** `count` web servers, 100 per RunInstances (the scale benchmarks: hundreds or thousands of targets; moto fails larger launches). */
async function launchMany(
  ec2: EC2Client,
  net: { subnetIds: string[]; securityGroupId: string; imageId: string },
  fixtureTag: string,
  count: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let left = count; left > 0; left -= 100) {
    const batch = Math.min(100, left);
    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: net.imageId,
        InstanceType: 't3.micro',
        MinCount: batch,
        MaxCount: batch,
        SubnetId: net.subnetIds[0],
        SecurityGroupIds: [net.securityGroupId],
        TagSpecifications: [
          {
            ResourceType: 'instance',
            Tags: [
              { Key: 'role', Value: 'web' },
              { Key: 'Name', Value: 'web' },
              { Key: 'fixture', Value: fixtureTag },
            ],
          },
        ],
      }),
    );
    ids.push(...(out.Instances ?? []).map((i) => must(i.InstanceId, 'InstanceId')));
  }
  return ids;
}

async function buildLoadBalancer(
  elbv2: ElasticLoadBalancingV2Client,
  vpcId: string,
  subnetIds: string[],
  sg: string,
  webIds: string[],
  suffix: string,
) {
  const lb = await elbv2.send(
    new CreateLoadBalancerCommand({
      Name: `site-${suffix}`,
      Subnets: subnetIds,
      SecurityGroups: [sg],
      Type: 'application',
    }),
  );
  const loadBalancerArn = must(lb.LoadBalancers?.[0]?.LoadBalancerArn, 'LoadBalancerArn');
  const tg = await elbv2.send(
    // AWS's defaults for everything else: health check GET / on the traffic port, matcher 200.
    new CreateTargetGroupCommand({
      Name: `web-${suffix}`,
      Protocol: 'HTTP',
      Port: 80,
      VpcId: vpcId,
      TargetType: 'instance',
    }),
  );
  const targetGroupArn = must(tg.TargetGroups?.[0]?.TargetGroupArn, 'TargetGroupArn');
  await elbv2.send(
    new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: webIds.map((Id) => ({ Id, Port: 80 })) }),
  );
  const listener = await elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: loadBalancerArn,
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
    }),
  );
  return {
    loadBalancerArn,
    targetGroupArn,
    targetGroupName: `web-${suffix}`,
    listenerArn: must(listener.Listeners?.[0]?.ListenerArn, 'ListenerArn'),
  };
}

/** A hosted zone as moto makes it: its id is 22 of [A-Z0-9] and need not start with Z (valid, as in Route 53). */
async function createZone(route53: Route53Client, zoneName: string): Promise<string> {
  const zone = await route53.send(
    new CreateHostedZoneCommand({ Name: zoneName, CallerReference: `hotspare-${zoneName}` }),
  );
  return must(zone.HostedZone?.Id, 'HostedZone.Id').replace(/^\/hostedzone\//, '');
}

async function buildZone(route53: Route53Client, suffix: string, lbDns: string) {
  const zoneName = `example-${suffix}.test`;
  const hostedZoneId = await createZone(route53, zoneName);
  const recordName = `www.${zoneName}`;
  await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: hostedZoneId,
      ChangeBatch: {
        Changes: [
          {
            Action: 'CREATE',
            ResourceRecordSet: { Name: recordName, Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: lbDns }] },
          },
        ],
      },
    }),
  );
  return { hostedZoneId, recordName, recordValue: lbDns };
}

/**
 * Create a whole site in moto with the SDK: VPC, two subnets, a security group, three web instances
 * (role=web), an ALB with a target group (HTTP:80, AWS's default health check) and a forwarding listener, and a hosted
 * zone with a www CNAME. Returns a schema-valid Runbook whose ids are the real ones.
 */
export async function buildFixture(clients: FixtureClients, options: FixtureOptions = {}): Promise<Fixture> {
  const suffix = randomBytes(4).toString('hex');
  const net = await buildNetwork(clients.ec2, (options.webServers ?? 3) > 200);
  const webInstanceIds = await launchWebServers(clients.ec2, net, suffix, options.webServers);
  const lb = await buildLoadBalancer(
    clients.elbv2,
    net.vpcId,
    net.subnetIds,
    net.securityGroupId,
    webInstanceIds,
    suffix,
  );
  const zone = await buildZone(clients.route53, suffix, `site-${suffix}.${FIXTURE_REGION}.elb.amazonaws.com`);
  const runbook = runbookSchema.parse({
    name: `moto-${suffix}`,
    region: FIXTURE_REGION,
    site: { url: options.siteUrl ?? `http://${zone.recordName}/` },
    maintenance: {
      url: options.maintenanceUrl ?? 'http://maintenance.example.test/',
      expectText: options.expectText ?? "We'll be right back",
    },
    loadBalancer: { targetGroup: lb.targetGroupName, listener: lb.listenerArn },
    webServers: { tags: { role: 'web', fixture: suffix } },
    redirectServer: {
      imageId: net.imageId,
      instanceType: 't3.micro',
      fallbackInstanceTypes: ['t3a.micro'],
      subnetId: net.subnetIds[options.redirectSubnet === 'private' ? 1 : 0],
      securityGroupIds: [net.securityGroupId],
      server: options.server ?? 'nginx',
      statusCode: 302,
    },
    dns: {
      hostedZoneId: zone.hostedZoneId,
      recordName: zone.recordName,
      type: 'CNAME',
      failoverValue: 'maintenance.example.test',
      ttl: 60,
    },
    steps: (
      options.steps ?? [
        'launch-redirect',
        'register-redirect',
        'wait-redirect-healthy',
        'deregister-web',
        'verify-maintenance',
      ]
    ).map((type) => ({ type })),
  });
  return { runbook, ...net, webInstanceIds, ...lb, ...zone };
}

/**
 * An Auto Scaling group attached to the fixture's target group (launch template on the fixture's
 * image and subnet, no instance of its own), as the web servers' group on a real account is, with
 * `suspended` processes already suspended. Returns its name.
 */
export async function attachScalingGroup(
  endpoint: string,
  fixture: Fixture,
  suspended: readonly string[] = [],
): Promise<string> {
  const { AutoScalingClient, CreateAutoScalingGroupCommand, SuspendProcessesCommand } = await import(
    '@aws-sdk/client-auto-scaling'
  );
  const { CreateLaunchTemplateCommand } = await import('@aws-sdk/client-ec2');
  const config = {
    region: FIXTURE_REGION,
    endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  const name = `web-asg-${randomBytes(3).toString('hex')}`;
  await fixtureClients(endpoint).ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: name,
      LaunchTemplateData: { ImageId: fixture.imageId, InstanceType: 't3.micro' },
    }),
  );
  const scaling = new AutoScalingClient(config);
  await scaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateName: name },
      MinSize: 0,
      MaxSize: 4,
      DesiredCapacity: 0,
      VPCZoneIdentifier: fixture.subnetIds.join(','),
      TargetGroupARNs: [fixture.targetGroupArn],
    }),
  );
  if (suspended.length > 0)
    await scaling.send(new SuspendProcessesCommand({ AutoScalingGroupName: name, ScalingProcesses: [...suspended] }));
  return name;
}
