import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { iamPolicyFor, type PolicyDocument, type PolicyStatement } from '../../src/aws/iam-policy.js';
import { parseRunbook } from '../../src/runbook/load.js';
import { runbookSchema, type Runbook } from '../../src/runbook/schema.js';

const emergency = parseRunbook(readFileSync('runbooks/emergency-mode.yaml', 'utf8'), 'runbooks/emergency-mode.yaml');

function withSteps(runbook: Runbook, steps: Runbook['steps'], extra: Partial<Runbook> = {}): Runbook {
  return runbookSchema.parse({ ...runbook, ...extra, steps });
}

function actionsOf(policy: PolicyDocument): string[] {
  return policy.Statement.flatMap((s) => s.Action).sort();
}

function statementFor(policy: PolicyDocument, action: string): PolicyStatement[] {
  return policy.Statement.filter((s) => s.Action.includes(action));
}

describe('iamPolicyFor', () => {
  it('grants exactly the calls of the emergency-mode steps plus the reads', () => {
    const policy = iamPolicyFor(emergency, { account: '123456789012' });
    expect(policy.Version).toBe('2012-10-17');
    expect(actionsOf(policy)).toEqual(
      [
        'acm:DescribeCertificate',
        'cloudfront:GetDistribution',
        'cloudfront:ListDistributions',
        'cloudfront:ListInvalidations',
        'cloudfront:ListTagsForResource',
        's3:GetObject',
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:ResumeProcesses',
        'autoscaling:SuspendProcesses',
        'ec2:CreateTags',
        'ec2:CreateTags',
        'ec2:DescribeImages',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeInstances',
        'ec2:DescribeRouteTables',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcEndpoints',
        'ec2:RunInstances',
        'ec2:RunInstances',
        'ec2:StartInstances',
        'ec2:StopInstances',
        'ec2:TerminateInstances',
        'elasticloadbalancing:DeregisterTargets',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:RegisterTargets',
      ].sort(),
    );
    expect(actionsOf(policy).some((a) => a.startsWith('route53:') || a === 'elasticloadbalancing:ModifyListener')).toBe(
      false,
    );
  });

  it('scopes target changes to the target group by name', () => {
    const [statement] = statementFor(
      iamPolicyFor(emergency, { account: '123456789012' }),
      'elasticloadbalancing:RegisterTargets',
    );
    expect(statement?.Resource).toBe(
      'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/example-web-tg/*',
    );
  });

  it('uses a target group ARN as given, and the partition asked for', () => {
    const arn = 'arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:targetgroup/web/0123456789abcdef';
    const runbook = withSteps(emergency, emergency.steps, {
      region: 'us-gov-west-1',
      loadBalancer: { targetGroup: arn },
    });
    const policy = iamPolicyFor(runbook, { partition: 'aws-us-gov' });
    expect(statementFor(policy, 'elasticloadbalancing:DeregisterTargets')[0]?.Resource).toBe(arn);
    expect(JSON.stringify(policy)).not.toContain('arn:aws:');
  });

  it('launches only with the runbook image, subnet and groups, tagged, of the allowed types', () => {
    const policy = iamPolicyFor(emergency, { account: '123456789012' });
    const [resources, instance] = statementFor(policy, 'ec2:RunInstances');
    expect(resources?.Resource).toEqual(
      expect.arrayContaining([
        'arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0',
        'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0123456789abcdef0',
        'arn:aws:ec2:us-east-1:123456789012:security-group/sg-0123456789abcdef0',
        'arn:aws:ec2:us-east-1:123456789012:network-interface/*',
        'arn:aws:ec2:us-east-1:123456789012:volume/*',
      ]),
    );
    expect(instance).toMatchObject({
      Resource: 'arn:aws:ec2:us-east-1:123456789012:instance/*',
      Condition: {
        StringEquals: { 'ec2:InstanceType': ['t3.micro', 't3a.micro', 't2.micro'] },
        StringLike: { 'aws:RequestTag/hotspare:run': '*' },
      },
    });
  });

  it('tags only at launch and terminates only instances hotspare tagged', () => {
    const policy = iamPolicyFor(emergency);
    expect(statementFor(policy, 'ec2:CreateTags')[0]?.Condition).toEqual({
      StringEquals: { 'ec2:CreateAction': 'RunInstances' },
    });
    expect(statementFor(policy, 'ec2:TerminateInstances')[0]).toMatchObject({
      Resource: 'arn:aws:ec2:us-east-1:*:instance/*',
      Condition: { StringLike: { 'aws:ResourceTag/hotspare:run': '*' } },
    });
  });

  it('grants reads (Describe*, and CloudFront/ACM List* for the HTTPS maintenance site) on * only, and nothing mutating on *', () => {
    for (const statement of iamPolicyFor(emergency).Statement) {
      if (statement.Resource === '*')
        expect(statement.Action.every((a) => /:Describe|^cloudfront:List/.test(a))).toBe(true);
    }
  });

  it('an http:// maintenance URL reads no CloudFront or ACM', () => {
    const http = { ...emergency, maintenance: { ...emergency.maintenance, url: 'http://maintenance.example.com/' } };
    expect(actionsOf(iamPolicyFor(http)).filter((a) => a.startsWith('cloudfront:') || a.startsWith('acm:'))).toEqual(
      [],
    );
  });

  it('--site adds publish, the invalidation and site provision; creates on * only where IAM has no resource for them', () => {
    const policy = iamPolicyFor(emergency, { account: '123456789012', site: true });
    const actions = actionsOf(policy);
    for (const a of [
      's3:PutObject',
      's3:DeleteObject',
      'cloudfront:CreateInvalidation',
      'cloudfront:GetInvalidation',
      'acm:RequestCertificate',
      'cloudfront:CreateDistributionWithTags',
      'cloudfront:GetDistributionConfig',
      'cloudfront:UpdateDistribution',
      'cloudfront:TagResource',
      'route53:ChangeResourceRecordSets',
      'route53:ListHostedZonesByName',
    ])
      expect(actions).toContain(a);
    expect(statementFor(policy, 's3:PutObject')[0]?.Resource).toBe('arn:aws:s3:::maintenance.example.com/*');
    // Readiness reads the published manifest only.
    expect(statementFor(iamPolicyFor(emergency), 's3:GetObject').map((st) => st.Resource)).toEqual([
      'arn:aws:s3:::maintenance.example.com/hotspare-manifest.json',
    ]);
    expect(statementFor(policy, 'cloudfront:CreateInvalidation')[0]?.Resource).toBe(
      'arn:aws:cloudfront::123456789012:distribution/*',
    );
    for (const st of policy.Statement.filter((x) => x.Resource === '*'))
      expect(st.Action.every((a) => /:Describe|:List|^acm:(RequestCertificate|AddTagsToCertificate)$/.test(a))).toBe(
        true,
      );
  });

  it('a listener-redirect runbook gets ModifyListener on that listener and no EC2 launch rights', () => {
    const policy = iamPolicyFor(
      withSteps(emergency, [{ type: 'set-listener-redirect' }, { type: 'verify-maintenance' }]),
    );
    expect(statementFor(policy, 'elasticloadbalancing:ModifyListener')[0]?.Resource).toBe(
      emergency.loadBalancer.listener,
    );
    expect(actionsOf(policy)).not.toContain('ec2:RunInstances');
    expect(actionsOf(policy)).not.toContain('elasticloadbalancing:RegisterTargets');
  });

  it('a staff bypass may create and delete rules on that listener, even when the rules are left alone', () => {
    const steps: Runbook['steps'] = [{ type: 'set-listener-redirect', rules: 'leave' }, { type: 'verify-maintenance' }];
    const without = iamPolicyFor(withSteps(emergency, steps));
    expect(actionsOf(without)).not.toContain('elasticloadbalancing:CreateRule');
    const bypass = { ...emergency.loadBalancer, staffBypass: ['203.0.113.0/24'] };
    const policy = iamPolicyFor(withSteps(emergency, steps, { loadBalancer: bypass }));
    const listener = emergency.loadBalancer.listener!;
    const rules = `${listener.replace(':listener/', ':listener-rule/')}/*`;
    expect(statementFor(policy, 'elasticloadbalancing:CreateRule')[0]?.Resource).toEqual([listener, rules]);
    expect(statementFor(policy, 'elasticloadbalancing:DeleteRule')[0]?.Resource).toBe(rules);
  });

  it('a DNS failover runbook may change only its record in its zone', () => {
    const dns = {
      hostedZoneId: '/hostedzone/Z0123456789ABCDEFGHIJ',
      recordName: 'WWW.Example.com.',
      type: 'CNAME' as const,
      failoverValue: 'maintenance.example.com',
      ttl: 60,
    };
    const policy = iamPolicyFor(withSteps(emergency, [{ type: 'dns-failover' }], { dns }));
    const [change] = statementFor(policy, 'route53:ChangeResourceRecordSets');
    expect(change).toMatchObject({
      Resource: 'arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ',
      Condition: {
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['www.example.com'],
          'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'],
        },
      },
    });
    expect(statementFor(policy, 'route53:GetChange')[0]?.Resource).toBe('arn:aws:route53:::change/*');
    expect(actionsOf(policy)).not.toContain('ec2:RunInstances');
  });

  it("an image through SSM (or none: the latest Amazon Linux 2023) reads its parameter and launches only Amazon's images", () => {
    const { imageId: _omitted, ...server } = emergency.redirectServer!;
    const latest = iamPolicyFor(withSteps(emergency, emergency.steps, { redirectServer: server }), {
      account: '123456789012',
    });
    expect(statementFor(latest, 'ssm:GetParameter')).toEqual([
      {
        Sid: 'ResolveImageParameter',
        Effect: 'Allow',
        Action: ['ssm:GetParameter'],
        Resource: 'arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/*',
      },
    ]);
    expect(statementFor(latest, 'ec2:RunInstances').find((st) => st.Sid === 'LaunchResolvedImage')).toEqual({
      Sid: 'LaunchResolvedImage',
      Effect: 'Allow',
      Action: ['ec2:RunInstances'],
      Resource: 'arn:aws:ec2:us-east-1::image/*',
      Condition: { StringEquals: { 'ec2:Owner': 'amazon' } },
    });
    const own = iamPolicyFor(
      withSteps(emergency, emergency.steps, {
        redirectServer: { ...server, imageId: 'resolve:ssm:/golden/redirect-ami:3' },
      }),
      { account: '123456789012' },
    );
    expect(statementFor(own, 'ssm:GetParameter')[0]?.Resource).toBe(
      'arn:aws:ssm:us-east-1:123456789012:parameter/golden/redirect-ami',
    );
    expect(
      statementFor(own, 'ec2:RunInstances').find((st) => st.Sid === 'LaunchResolvedImage')?.Condition,
    ).toBeUndefined();
    expect(statementFor(iamPolicyFor(emergency), 'ssm:GetParameter')).toEqual([]);
  });

  it('starts and stops only the spare prepared for this runbook', () => {
    const [statement] = statementFor(iamPolicyFor(emergency, { account: '123456789012' }), 'ec2:StartInstances');
    expect(statement).toEqual({
      Sid: 'StartAndStopThisRunbooksSpare',
      Effect: 'Allow',
      Action: ['ec2:StartInstances', 'ec2:StopInstances'],
      Resource: 'arn:aws:ec2:us-east-1:123456789012:instance/*',
      Condition: { StringEquals: { 'aws:ResourceTag/hotspare:spare': 'emergency-mode' } },
    });
  });

  it('tags after launch only the check of the spare prepared for this runbook', () => {
    const statements = statementFor(iamPolicyFor(emergency, { account: '123456789012' }), 'ec2:CreateTags');
    expect(statements.find((s) => s.Sid === 'MarkThisRunbooksSpareChecked')).toEqual({
      Sid: 'MarkThisRunbooksSpareChecked',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: 'arn:aws:ec2:us-east-1:123456789012:instance/*',
      Condition: {
        StringEquals: { 'aws:ResourceTag/hotspare:spare': 'emergency-mode' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['hotspare:spare-checked'] },
      },
    });
  });

  it('an armed runbook may swap its record for the failover pair (CREATE/DELETE of that name and type only) and manage health checks; without armed, neither', () => {
    const dnsFailover = parseRunbook(readFileSync('runbooks/dns-failover.yaml', 'utf8'), 'runbooks/dns-failover.yaml');
    const armed = runbookSchema.parse({
      ...dnsFailover,
      site: { ...dnsFailover.site, expectText: 'Add to basket' },
      armed: { healthCheck: {} },
    });
    const policy = iamPolicyFor(armed);
    const records = policy.Statement.find((st) => st.Sid === 'ArmFailoverRecords');
    expect(records?.Resource).toBe(
      `arn:aws:route53:::hostedzone/${dnsFailover.dns!.hostedZoneId.replace(/^\/hostedzone\//, '')}`,
    );
    expect(records?.Condition?.['ForAllValues:StringEquals']).toEqual({
      'route53:ChangeResourceRecordSetsNormalizedRecordNames': [
        dnsFailover.dns!.recordName.replace(/\.$/, '').toLowerCase(),
      ],
      'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
      'route53:ChangeResourceRecordSetsActions': ['CREATE', 'DELETE'],
    });
    expect(actionsOf(policy)).toEqual(
      expect.arrayContaining([
        'route53:ListHealthChecks',
        'route53:CreateHealthCheck',
        'route53:GetHealthCheck',
        'route53:GetHealthCheckStatus',
        'route53:DeleteHealthCheck',
        'cloudfront:ListDistributions',
      ]),
    );
    expect(actionsOf(iamPolicyFor(dnsFailover)).filter((a) => a.includes('HealthCheck'))).toEqual([]);
    expect(iamPolicyFor(dnsFailover).Statement.map((st) => st.Sid)).not.toContain('ArmFailoverRecords');
  });
});
