import type { Runbook, StepType } from '../runbook/schema.js';
import { bareHostedZoneId, normalizeDnsName } from '../domain/dns-name.js';
import { parseImageRef } from '../runbook/formats.js';

/** One IAM policy statement, in the JSON shape IAM takes. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export interface IamPolicyOptions {
  /** The 12-digit account id; `*` when unknown. */
  readonly account?: string | undefined;
  /** `aws` (default), `aws-cn`, `aws-us-gov`. */
  readonly partition?: string | undefined;
  /** Also what the site commands need: publish (S3, the CloudFront invalidation) and `site provision`. */
  readonly site?: boolean | undefined;
}

/** The tag every instance hotspare launches carries; terminations are limited to it. */
export const RUN_TAG = 'hotspare:run';
/** The tag of a spare prepared for a runbook (see `steps/spare.ts`); starts and stops are limited to it. */
export const SPARE_TAG = 'hotspare:spare';

interface Scope {
  readonly runbook: Runbook;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly steps: ReadonlySet<StepType>;
}

/**
 * The least-privilege IAM policy a runbook needs: the read calls of preflight and the dashboard, plus
 * only the mutating calls its step types make (and their undos for rollback), scoped to the runbook's
 * target group, listener, hosted zone, image, subnet and security groups where IAM allows it.
 * Describe* calls support no resource-level permissions and are granted on `*`.
 */
export function iamPolicyFor(runbook: Runbook, opts: IamPolicyOptions = {}): PolicyDocument {
  const scope: Scope = {
    runbook,
    partition: opts.partition ?? 'aws',
    region: runbook.region,
    account: opts.account ?? '*',
    steps: new Set(runbook.steps.map((s) => s.type)),
  };
  return {
    Version: '2012-10-17',
    Statement: [
      ...readStatements(scope),
      ...targetStatements(scope),
      ...scalingStatements(scope),
      ...listenerStatements(scope),
      ...launchStatements(scope),
      ...dnsStatements(scope),
      ...armedStatements(scope),
      ...edgeReadStatements(scope),
      ...(opts.site === true ? siteStatements(scope) : []),
    ],
  };
}

/** Whether the maintenance site is served over HTTPS by CloudFront (an https:// URL on a public host). */
function servedByCloudFront(s: Scope): boolean {
  const url = new URL(s.runbook.maintenance.url);
  return url.protocol === 'https:' && !/^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i.test(url.hostname);
}

/** Readiness (plan, preflight, verify, dashboard): the distribution, its certificate, the latest invalidation. Read-only. */
function edgeReadStatements(s: Scope): PolicyStatement[] {
  if (!servedByCloudFront(s)) return [];
  return [
    // ListDistributions supports no resource-level permission.
    {
      Sid: 'ReadMaintenanceEdge',
      Effect: 'Allow',
      Action: ['cloudfront:ListDistributions', 'acm:DescribeCertificate'],
      Resource: '*',
    },
    {
      Sid: 'ReadMaintenanceDistribution',
      Effect: 'Allow',
      // ListTagsForResource: the managed distribution is the one tagged hotspare:site.
      Action: ['cloudfront:GetDistribution', 'cloudfront:ListInvalidations', 'cloudfront:ListTagsForResource'],
      Resource: `arn:${s.partition}:cloudfront::${s.account}:distribution/*`,
    },
    // The manifest the bucket holds, compared with the one the maintenance URL serves.
    ...(s.runbook.maintenance.bucket === undefined
      ? []
      : [
          {
            Sid: 'ReadPublishedManifest',
            Effect: 'Allow' as const,
            Action: ['s3:GetObject'],
            Resource: `arn:${s.partition}:s3:::${s.runbook.maintenance.bucket}/hotspare-manifest.json`,
          },
        ]),
  ];
}

/** `site publish`/`refresh` (S3 and the invalidation) and `site provision` (certificate, distribution, DNS). */
function siteStatements(s: Scope): PolicyStatement[] {
  const bucket = s.runbook.maintenance.bucket ?? new URL(s.runbook.maintenance.url).hostname;
  const out: PolicyStatement[] = [
    {
      Sid: 'PublishMaintenanceBucket',
      Effect: 'Allow',
      Action: [
        's3:ListBucket',
        's3:GetBucketWebsite',
        's3:PutBucketWebsite',
        's3:GetBucketPolicy',
        's3:GetBucketPublicAccessBlock',
      ],
      Resource: `arn:${s.partition}:s3:::${bucket}`,
    },
    {
      Sid: 'PublishMaintenanceObjects',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: `arn:${s.partition}:s3:::${bucket}/*`,
    },
  ];
  if (!servedByCloudFront(s)) return out;
  const zone = s.runbook.maintenance.cloudfront?.hostedZoneId;
  return [
    ...out,
    {
      Sid: 'InvalidateMaintenanceCopy',
      Effect: 'Allow',
      Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
      Resource: `arn:${s.partition}:cloudfront::${s.account}:distribution/*`,
    },
    {
      Sid: 'ProvisionMaintenanceEdge',
      Effect: 'Allow',
      // ACM's RequestCertificate and Route 53's zone listing support no resource-level permission.
      Action: [
        'acm:ListCertificates',
        'acm:RequestCertificate',
        'acm:AddTagsToCertificate',
        'route53:ListHostedZonesByName',
      ],
      Resource: '*',
    },
    {
      Sid: 'ProvisionMaintenanceDistribution',
      Effect: 'Allow',
      Action: [
        'cloudfront:CreateDistribution',
        'cloudfront:CreateDistributionWithTags',
        'cloudfront:GetDistributionConfig',
        'cloudfront:UpdateDistribution',
        'cloudfront:TagResource',
        'cloudfront:ListTagsForResource',
      ],
      Resource: `arn:${s.partition}:cloudfront::${s.account}:distribution/*`,
    },
    {
      Sid: 'ProvisionMaintenanceRecords',
      Effect: 'Allow',
      Action: ['route53:GetHostedZone', 'route53:ListResourceRecordSets', 'route53:ChangeResourceRecordSets'],
      Resource: `arn:${s.partition}:route53:::hostedzone/${zone === undefined ? '*' : bareHostedZoneId(zone)}`,
    },
  ];
}

/** What preflight and plan read about where the redirect instance would run. */
const LAUNCH_READS = [
  'DescribeImages',
  'DescribeInstanceTypes',
  'DescribeSubnets',
  'DescribeRouteTables',
  'DescribeVpcEndpoints',
];

function readStatements(s: Scope): PolicyStatement[] {
  const elb = ['DescribeTargetGroups', 'DescribeTargetGroupAttributes', 'DescribeTargetHealth'];
  if (s.runbook.loadBalancer.listener !== undefined) elb.push('DescribeListeners', 'DescribeRules');
  const launches = s.runbook.redirectServer !== undefined && s.steps.has('launch-redirect');
  return [
    {
      Sid: 'ReadState',
      Effect: 'Allow',
      // Auto Scaling groups are read at every start: one attached to the target group can undo a failover.
      Action: [
        ...elb.map((a) => `elasticloadbalancing:${a}`),
        'ec2:DescribeInstances',
        'autoscaling:DescribeAutoScalingGroups',
        ...(launches ? LAUNCH_READS.map((a) => `ec2:${a}`) : []),
      ],
      Resource: '*',
    },
    ...(launches ? ssmStatements(s) : []),
  ];
}

/** Suspend and resume go together: each is the other's undo. Any group of the account and region (their names are read at run time). */
function scalingStatements(s: Scope): PolicyStatement[] {
  if (!s.steps.has('suspend-scaling')) return [];
  return [
    {
      Sid: 'FreezeAutoScaling',
      Effect: 'Allow',
      Action: ['autoscaling:SuspendProcesses', 'autoscaling:ResumeProcesses'],
      Resource: `arn:${s.partition}:autoscaling:${s.region}:${s.account}:autoScalingGroup:*:autoScalingGroupName/*`,
    },
  ];
}

/** The SSM parameter an image reference reads: the runbook's `resolve:ssm:` one, or Amazon Linux's latest. */
function imageParameter(s: Scope): string | undefined {
  const imageId = s.runbook.redirectServer?.imageId;
  if (imageId === undefined) return '/aws/service/ami-amazon-linux-latest/*';
  const image = parseImageRef(imageId);
  return image.kind === 'ssm' ? image.name : undefined;
}

/** GetParameter for the image's SSM parameter; AWS's public parameters have no account in their ARN. */
function ssmStatements(s: Scope): PolicyStatement[] {
  const name = imageParameter(s);
  if (name === undefined) return [];
  const path = name.replace(/^\//, '');
  const account = path.startsWith('aws/service/') ? '' : s.account;
  return [
    {
      Sid: 'ResolveImageParameter',
      Effect: 'Allow',
      Action: ['ssm:GetParameter'],
      Resource: `arn:${s.partition}:ssm:${s.region}:${account}:parameter/${path}`,
    },
  ];
}

function targetGroupArn(s: Scope): string {
  const tg = s.runbook.loadBalancer.targetGroup;
  return tg.startsWith('arn:')
    ? tg
    : `arn:${s.partition}:elasticloadbalancing:${s.region}:${s.account}:targetgroup/${tg}/*`;
}

/** Register and deregister go together: each is the other's undo. */
function targetStatements(s: Scope): PolicyStatement[] {
  if (!s.steps.has('register-redirect') && !s.steps.has('deregister-web')) return [];
  return [
    {
      Sid: 'ChangeTargets',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      Resource: targetGroupArn(s),
    },
  ];
}

function listenerStatements(s: Scope): PolicyStatement[] {
  const listener = s.runbook.loadBalancer.listener;
  if (listener === undefined) return [];
  if (!s.steps.has('set-listener-redirect') && !s.steps.has('set-listener-fixed-response')) return [];
  const covers = s.runbook.steps.some(
    (step) =>
      (step.type === 'set-listener-redirect' || step.type === 'set-listener-fixed-response') &&
      (step.rules ?? 'cover') === 'cover',
  );
  const statements: PolicyStatement[] = [
    { Sid: 'ModifyListener', Effect: 'Allow', Action: ['elasticloadbalancing:ModifyListener'], Resource: listener },
  ];
  if (!covers && s.runbook.loadBalancer.staffBypass === undefined) return statements;
  // The cover rule and the staff bypass rules are created on the listener, then deleted (or the
  // forwarding rules' actions replaced and restored).
  const rules = `${listener.replace(':listener/', ':listener-rule/')}/*`;
  return [
    ...statements,
    {
      Sid: 'CoverListenerRules',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:CreateRule'],
      Resource: [listener, rules],
    },
    {
      Sid: 'UncoverListenerRules',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:DeleteRule', 'elasticloadbalancing:ModifyRule'],
      Resource: rules,
    },
  ];
}

function ec2Arn(s: Scope, resource: string, account = s.account): string {
  return `arn:${s.partition}:ec2:${s.region}:${account}:${resource}`;
}

function launchStatements(s: Scope): PolicyStatement[] {
  const server = s.runbook.redirectServer;
  if (server === undefined || !s.steps.has('launch-redirect')) return [];
  const instances = ec2Arn(s, 'instance/*');
  const referenced = [
    ...(server.imageId !== undefined && parseImageRef(server.imageId).kind === 'ami'
      ? [ec2Arn(s, `image/${server.imageId}`, '')]
      : []),
    ec2Arn(s, `subnet/${server.subnetId}`),
    ...server.securityGroupIds.map((sg) => ec2Arn(s, `security-group/${sg}`)),
    ec2Arn(s, 'network-interface/*'),
    ec2Arn(s, 'volume/*'),
    ...(server.keyName === undefined ? [] : [ec2Arn(s, `key-pair/${server.keyName}`)]),
  ];
  const types = [server.instanceType, ...(server.fallbackInstanceTypes ?? [])];
  return [
    { Sid: 'LaunchUsingRunbookResources', Effect: 'Allow', Action: ['ec2:RunInstances'], Resource: referenced },
    ...resolvedImageStatements(s),
    {
      Sid: 'LaunchTaggedRedirectInstance',
      Effect: 'Allow',
      Action: ['ec2:RunInstances'],
      Resource: instances,
      Condition: { StringEquals: { 'ec2:InstanceType': types }, StringLike: { [`aws:RequestTag/${RUN_TAG}`]: '*' } },
    },
    {
      Sid: 'TagOnlyAtLaunch',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: instances,
      Condition: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } },
    },
    {
      Sid: 'TerminateOnlyHotspareInstances',
      Effect: 'Allow',
      Action: ['ec2:TerminateInstances'],
      Resource: instances,
      Condition: { StringLike: { [`aws:ResourceTag/${RUN_TAG}`]: '*' } },
    },
    {
      Sid: 'StartAndStopThisRunbooksSpare',
      Effect: 'Allow',
      Action: ['ec2:StartInstances', 'ec2:StopInstances'],
      Resource: instances,
      Condition: { StringEquals: { [`aws:ResourceTag/${SPARE_TAG}`]: s.runbook.name } },
    },
    {
      // prepare marks its spare checked once it powered itself off: that one tag, on that runbook's spare.
      Sid: 'MarkThisRunbooksSpareChecked',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: instances,
      Condition: {
        StringEquals: { [`aws:ResourceTag/${SPARE_TAG}`]: s.runbook.name },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['hotspare:spare-checked'] },
      },
    },
  ];
}

/**
 * An image named through SSM is known only at launch: any image, and for Amazon Linux's public
 * parameters only images Amazon owns (a statement of its own: `ec2:Owner` exists for images only).
 */
function resolvedImageStatements(s: Scope): PolicyStatement[] {
  const imageId = s.runbook.redirectServer?.imageId;
  const image = imageId === undefined ? undefined : parseImageRef(imageId);
  if (image?.kind === 'ami') return [];
  const amazon = image === undefined || image.name.startsWith('/aws/service/');
  return [
    {
      Sid: 'LaunchResolvedImage',
      Effect: 'Allow',
      Action: ['ec2:RunInstances'],
      Resource: ec2Arn(s, 'image/*', ''),
      ...(amazon ? { Condition: { StringEquals: { 'ec2:Owner': 'amazon' } } } : {}),
    },
  ];
}

function dnsStatements(s: Scope): PolicyStatement[] {
  const dns = s.runbook.dns;
  if (dns === undefined) return [];
  const zone = `arn:${s.partition}:route53:::hostedzone/${bareHostedZoneId(dns.hostedZoneId)}`;
  const read: PolicyStatement = {
    Sid: 'ReadHostedZone',
    Effect: 'Allow',
    Action: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'],
    Resource: zone,
  };
  if (!s.steps.has('dns-failover')) return [read];
  return [
    read,
    {
      Sid: 'ChangeFailoverRecordOnly',
      Effect: 'Allow',
      Action: ['route53:ChangeResourceRecordSets'],
      Resource: zone,
      Condition: {
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': [normalizeDnsName(dns.recordName)],
          'route53:ChangeResourceRecordSetsRecordTypes': [dns.type],
          'route53:ChangeResourceRecordSetsActions': ['UPSERT', 'DELETE'],
        },
      },
    },
    {
      Sid: 'WatchChange',
      Effect: 'Allow',
      Action: ['route53:GetChange'],
      Resource: `arn:${s.partition}:route53:::change/*`,
    },
  ];
}

/**
 * `hotspare arm` / `disarm`: the record sets of dns.recordName (swapped for the failover pair and
 * back, CREATE and DELETE only, that name and type only), the health checks (ListHealthChecks and
 * CreateHealthCheck name no resource), and for an https:// site the distributions the secondary is
 * checked against.
 */
function armedStatements(s: Scope): PolicyStatement[] {
  const dns = s.runbook.dns;
  if (s.runbook.armed === undefined || dns === undefined) return [];
  const zone = `arn:${s.partition}:route53:::hostedzone/${bareHostedZoneId(dns.hostedZoneId)}`;
  const type = dns.type === 'AAAA' ? 'AAAA' : 'A';
  return [
    {
      Sid: 'ArmFailoverRecords',
      Effect: 'Allow',
      Action: ['route53:ListResourceRecordSets', 'route53:ChangeResourceRecordSets'],
      Resource: zone,
      Condition: {
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': [normalizeDnsName(dns.recordName)],
          'route53:ChangeResourceRecordSetsRecordTypes': [type],
          'route53:ChangeResourceRecordSetsActions': ['CREATE', 'DELETE'],
        },
      },
    },
    {
      Sid: 'ArmHealthCheck',
      Effect: 'Allow',
      Action: [
        'route53:ListHealthChecks',
        'route53:CreateHealthCheck',
        'route53:GetHealthCheck',
        'route53:GetHealthCheckStatus',
        'route53:DeleteHealthCheck',
      ],
      Resource: '*',
    },
    ...(new URL(s.runbook.site.url).protocol === 'https:'
      ? [
          {
            Sid: 'ArmCheckSecondary',
            Effect: 'Allow' as const,
            Action: ['cloudfront:ListDistributions'],
            Resource: '*',
          },
        ]
      : []),
  ];
}
