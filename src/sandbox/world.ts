import { randomBytes } from 'node:crypto';
import type { InstanceState, RedirectConfig } from '../ports/index.js';
import type { Runbook } from '../runbook/schema.js';
import type { AccountShape, SimImages } from './account-shape.js';
import type { Faults } from './faults.js';
import type { LocalServer } from './servers.js';
import type { Timing, TimerSet } from './timing.js';

/** The simulated account's identifiers, derived from the runbook so its ids and ARNs all resolve. */
export interface WorldIds {
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  readonly availabilityZone: string;
  readonly vpcId: string;
  readonly targetGroupName: string;
  readonly targetGroupArn: string;
  readonly loadBalancerArn: string;
  readonly listenerArn: string;
  /** The ALB's DNS name, what the site's record points at initially. */
  readonly albDnsName: string;
  /** The canonical hosted zone id of ALBs (for alias records). */
  readonly albHostedZoneId: string;
  readonly subnetIds: ReadonlySet<string>;
  readonly securityGroupIds: ReadonlySet<string>;
  readonly keyNames: ReadonlySet<string>;
}

/**
 * One EC2 instance of the simulation; `server` is its local HTTP(S) server for the target group's
 * port while it is running, `healthServer` the one for a separate health-check port.
 */
export interface SimInstance {
  readonly id: string;
  state: InstanceState;
  readonly instanceType: string;
  readonly availabilityZone: string;
  readonly privateIpAddress: string;
  readonly launchTime: string;
  readonly tags: Readonly<Record<string, string>>;
  server: LocalServer | undefined;
  healthServer?: LocalServer | undefined;
  /** What a redirect instance serves (from its user data) and whether it was prepared as a spare. */
  readonly redirect?: RedirectConfig | undefined;
  readonly spare?: boolean | undefined;
  readonly imageId?: string | undefined;
}

/** The state the sandbox's ports share. */
export interface World {
  readonly ids: WorldIds;
  readonly timing: Timing;
  readonly timers: TimerSet;
  readonly faults: Faults;
  /** The account's shape: target group, image OS, the subnet's way out. */
  readonly shape: AccountShape;
  readonly images: SimImages;
  readonly instances: Map<string, SimInstance>;
  /** Work started by a timer that stop() must wait for (a redirect server coming up). */
  readonly pending: Set<Promise<unknown>>;
}

const DEFAULT_ACCOUNT = '123456789012';
/** Route 53's hosted zone id for ALBs in us-east-1, used for every region of the simulation. */
const ALB_HOSTED_ZONE_ID = 'Z35SXDOTRQ7X7K';

export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}

export function newInstanceId(): string {
  return `i-${randomHex(17)}`;
}

export function newPrivateIp(): string {
  const byte = (): number => randomBytes(1)[0] ?? 1;
  return `10.0.${byte()}.${(byte() % 250) + 4}`;
}

/** Ids and ARNs for a runbook: the ones it names are used as they are; the rest are made up. */
export function worldIdsFor(runbook: Runbook): WorldIds {
  const tgRef = runbook.loadBalancer.targetGroup;
  const named = runbook.loadBalancer.listener ?? (tgRef.startsWith('arn:') ? tgRef : undefined);
  const [, partition = 'aws', , , account = DEFAULT_ACCOUNT] = (named ?? '').split(':');
  const region = runbook.region;
  const prefix = `arn:${partition}:elasticloadbalancing:${region}:${account}`;
  const targetGroupName = tgRef.startsWith('arn:') ? (tgRef.split('/')[1] ?? 'sandbox-tg') : tgRef;
  const targetGroupArn = tgRef.startsWith('arn:') ? tgRef : `${prefix}:targetgroup/${tgRef}/${randomHex(16)}`;
  const listenerArn =
    runbook.loadBalancer.listener ?? `${prefix}:listener/app/sandbox-alb/${randomHex(16)}/${randomHex(16)}`;
  const lbPath = listenerArn.split(':listener/')[1]?.split('/').slice(0, 3) ?? ['app', 'sandbox-alb', randomHex(16)];
  const redirect = runbook.redirectServer;
  return {
    partition,
    account,
    region,
    availabilityZone: `${region}a`,
    vpcId: `vpc-${randomHex(17)}`,
    targetGroupName,
    targetGroupArn,
    loadBalancerArn: `${prefix}:loadbalancer/${lbPath.join('/')}`,
    listenerArn,
    albDnsName: `${lbPath[1] ?? 'sandbox-alb'}-${parseInt(randomHex(8), 16)}.${region}.elb.amazonaws.com`,
    albHostedZoneId: ALB_HOSTED_ZONE_ID,
    subnetIds: new Set(redirect ? [redirect.subnetId] : []),
    securityGroupIds: new Set(redirect?.securityGroupIds ?? []),
    keyNames: new Set(redirect?.keyName === undefined ? [] : [redirect.keyName]),
  };
}

/** The web servers' instance ids and tags: the ids the runbook names, or `count` new ids with its tags. */
export function webServerSpecs(runbook: Runbook, count: number): { id: string; tags: Record<string, string> }[] {
  const ids = runbook.webServers.instanceIds ?? Array.from({ length: count }, newInstanceId);
  return ids.map((id, i) => ({ id, tags: { Name: `web-${i + 1}`, ...(runbook.webServers.tags ?? {}) } }));
}
