/**
 * The engine's ports: small interfaces the steps talk to. Production passes the `aws/` adapters,
 * drills pass the `sandbox/` implementations, unit tests pass in-memory fakes. Nothing here imports
 * the AWS SDK; shapes are plain JSON so they can be journaled as they are.
 */
import type { AutoScaling } from './scaling.js';
import type { SiteInspector } from './site.js';

/** What a call that mutates AWS reports back, for the journal. */
export interface CallReceipt {
  /** The AWS request id (x-amzn-RequestId), when the service returned one. */
  readonly requestId?: string | undefined;
}

// ---------------------------------------------------------------- load balancer

export interface HealthCheckSettings {
  readonly protocol: string;
  readonly path?: string | undefined;
  readonly port: string;
  /** Seconds between health checks (ALB default 30). */
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  /** Consecutive successes before a target turns healthy (ALB default 5). */
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly matcher?: string | undefined;
}

export interface TargetGroupInfo {
  readonly arn: string;
  readonly name: string;
  readonly protocol: string;
  readonly port: number;
  readonly vpcId?: string | undefined;
  readonly targetType: string;
  readonly healthCheck: HealthCheckSettings;
  /** deregistration_delay.timeout_seconds (ALB default 300). */
  readonly deregistrationDelaySeconds: number;
  readonly loadBalancerArns: readonly string[];
}

/** ELBv2 target health states, as the API spells them. */
export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

/** A target as registered: enough to register it again exactly (undo of a deregistration). */
export interface Target {
  readonly id: string;
  readonly port?: number | undefined;
  readonly availabilityZone?: string | undefined;
}

export interface TargetHealth extends Target {
  readonly state: TargetState;
  /** ELBv2 reason code, e.g. `Elb.RegistrationInProgress`, `Target.FailedHealthChecks`. */
  readonly reason?: string | undefined;
  readonly description?: string | undefined;
}

/**
 * A listener action in the ELBv2 API's own JSON shape (`Type`, `TargetGroupArn`, `RedirectConfig`,
 * `FixedResponseConfig`, `ForwardConfig`, `Order`, ...). Kept opaque so an undo can restore the
 * original actions byte for byte.
 */
export type ListenerAction = Readonly<Record<string, unknown>>;

export interface ListenerInfo {
  readonly arn: string;
  readonly loadBalancerArn: string;
  readonly port: number;
  readonly protocol: string;
  readonly defaultActions: readonly ListenerAction[];
  /** The listener's rules (not the default one), lowest priority first, when they were read. */
  readonly rules?: readonly ListenerRule[] | undefined;
}

/** A listener rule condition in the ELBv2 API's own JSON shape (`Field`, `PathPatternConfig`, `Values`, ...). */
export type ListenerCondition = Readonly<Record<string, unknown>>;

/** A listener rule: evaluated before the default action, lowest priority first; the first that matches answers. */
export interface ListenerRule {
  readonly arn: string;
  /** 1 to 50000. */
  readonly priority: number;
  readonly conditions: readonly ListenerCondition[];
  readonly actions: readonly ListenerAction[];
}

export interface LoadBalancer {
  /** Resolve a target group by name or ARN, with health-check settings and deregistration delay. */
  describeTargetGroup(nameOrArn: string): Promise<TargetGroupInfo>;
  describeTargetHealth(targetGroupArn: string): Promise<readonly TargetHealth[]>;
  registerTargets(targetGroupArn: string, targets: readonly Target[]): Promise<CallReceipt>;
  deregisterTargets(targetGroupArn: string, targets: readonly Target[]): Promise<CallReceipt>;
  describeListener(listenerArn: string): Promise<ListenerInfo>;
  /** ModifyListener with new default actions (the rest of the listener unchanged). */
  setListenerDefaultActions(listenerArn: string, actions: readonly ListenerAction[]): Promise<CallReceipt>;
  /** DescribeRules: the listener's rules without the default one, lowest priority first. */
  describeRules(listenerArn: string): Promise<readonly ListenerRule[]>;
  /** CreateRule at `priority`; resolves with the new rule's ARN. */
  createRule(
    listenerArn: string,
    priority: number,
    conditions: readonly ListenerCondition[],
    actions: readonly ListenerAction[],
  ): Promise<CallReceipt & { readonly ruleArn: string }>;
  deleteRule(ruleArn: string): Promise<CallReceipt>;
  /** ModifyRule with new actions (its conditions unchanged). */
  setRuleActions(ruleArn: string, actions: readonly ListenerAction[]): Promise<CallReceipt>;
}

// ---------------------------------------------------------------- compute

export type InstanceState = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export interface InstanceInfo {
  readonly id: string;
  readonly state: InstanceState;
  readonly instanceType?: string | undefined;
  readonly availabilityZone?: string | undefined;
  readonly privateIpAddress?: string | undefined;
  readonly launchTime?: string | undefined;
  /** Tags as a map; `Name` is the display name. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface InstanceQuery {
  readonly ids?: readonly string[] | undefined;
  /** Every tag must match; values are exact. */
  readonly tags?: Readonly<Record<string, string>> | undefined;
  /** Leave out terminated / shutting-down instances (default true). */
  readonly liveOnly?: boolean | undefined;
}

/** The redirect server's program: a small server on the image's own python3, or nginx or Apache. */
export type RedirectServerKind = 'builtin' | 'nginx' | 'apache';

/** A port and the protocol spoken on it (HTTPS: TLS with a certificate made at boot). */
export interface RedirectListener {
  readonly port: number;
  readonly protocol: 'HTTP' | 'HTTPS';
}

/** How the load balancer checks the redirect server, and what the server answers the checker. */
export interface RedirectHealthCheck extends RedirectListener {
  /** The path the checker requests (the target group's HealthCheckPath; `/` by default). */
  readonly path: string;
  /** The status the checker gets: one the target group's matcher accepts (see `redirect/config.ts`). */
  readonly status: number;
}

/**
 * What the redirect server must do, rendered into nginx, Apache or the builtin server by
 * `redirect/` and followed by the sandbox's redirect servers: `redirect/decision.ts` says what it
 * answers to any request.
 */
export interface RedirectConfig {
  readonly server: RedirectServerKind;
  /** Absolute http(s) URL visitors are redirected to. */
  readonly targetUrl: string;
  readonly statusCode: 301 | 302;
  /** Append the request's path to the target URL (whose path then ends with `/`). */
  readonly keepPath: boolean;
  /** Append the request's query string. */
  readonly keepQuery: boolean;
  /** Where visitors' requests arrive: the target group's port and protocol. */
  readonly traffic: RedirectListener;
  readonly healthCheck: RedirectHealthCheck;
  /** The image already carries the server (a baked image): the user data installs nothing. */
  readonly preinstalled: boolean;
}

export interface LaunchSpec {
  readonly imageId: string;
  readonly instanceType: string;
  readonly subnetId: string;
  readonly securityGroupIds: readonly string[];
  readonly keyName?: string | undefined;
  readonly redirect: RedirectConfig;
  /** Idempotency token (EC2 ClientToken): the same token never starts a second instance. */
  readonly clientToken: string;
  /** Tags for the instance, including `hotspare:run` and `hotspare:step`. */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * A spare prepared ahead of an incident: the instance installs and starts the server, then
   * powers itself off (it is launched with InstanceInitiatedShutdownBehavior `stop`).
   */
  readonly spare?: boolean | undefined;
}

export interface LaunchResult extends CallReceipt {
  readonly instance: InstanceInfo;
}

/** An image as DescribeImages reports it. */
export interface ImageInfo {
  /** The AMI id (for a `resolve:ssm:` reference, the id the parameter holds now). */
  readonly id: string;
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  /** `x86_64`, `arm64`, `i386`, ... */
  readonly architecture: string;
  /** `windows` when DescribeImages says Platform=windows, else `linux`. */
  readonly platform: 'linux' | 'windows';
  /** e.g. `Linux/UNIX`, `Red Hat Enterprise Linux`, `Windows` (absent on some emulators). */
  readonly platformDetails?: string | undefined;
  /** The SSM parameter the id was resolved from, for `resolve:ssm:` references. */
  readonly resolvedFrom?: string | undefined;
}

export interface InstanceTypeInfo {
  readonly instanceType: string;
  /** ProcessorInfo.SupportedArchitectures. */
  readonly architectures: readonly string[];
}

/** One route of a subnet's route table, as DescribeRouteTables shows it. */
export interface NetworkRoute {
  /** A CIDR (`0.0.0.0/0`, `::/0`) or a prefix list id (`pl-...`). */
  readonly destination: string;
  /** `local`, `igw-...`, `nat-...`, `vpce-...`, `eigw-...`, `tgw-...`, `pcx-...`, `i-...`, `eni-...`. */
  readonly target: string;
  /** `active` or `blackhole`. */
  readonly state?: string | undefined;
}

/** What decides whether an instance in a subnet can reach package repositories. */
export interface SubnetNetwork {
  readonly subnetId: string;
  readonly vpcId: string;
  readonly availabilityZone?: string | undefined;
  /** Instances launched here get a public IPv4 address (MapPublicIpOnLaunch). */
  readonly mapPublicIpOnLaunch: boolean;
  /** The route table in effect: the subnet's own association, else the VPC's main table. */
  readonly routeTableId?: string | undefined;
  readonly routes: readonly NetworkRoute[];
  /** Service names of gateway endpoints attached to that route table (e.g. `com.amazonaws.us-east-1.s3`). */
  readonly gatewayEndpoints: readonly string[];
}

export interface Compute {
  describeInstances(query: InstanceQuery): Promise<readonly InstanceInfo[]>;
  /** DescribeImages for an `ami-...` id or a `resolve:ssm:NAME` reference (read through SSM first). */
  describeImage(imageRef: string): Promise<ImageInfo>;
  /** DescribeInstanceTypes for one type; a NotFound error when the type does not exist. */
  describeInstanceType(instanceType: string): Promise<InstanceTypeInfo>;
  /** DescribeSubnets, DescribeRouteTables and DescribeVpcEndpoints for one subnet. */
  describeSubnetNetwork(subnetId: string): Promise<SubnetNetwork>;
  /** StartInstances (a prepared spare). Starting a running instance changes nothing. */
  startInstances(ids: readonly string[]): Promise<CallReceipt>;
  /** StopInstances (a spare back to ready). Stopping a stopped instance changes nothing. */
  stopInstances(ids: readonly string[]): Promise<CallReceipt>;
  /**
   * RunInstances for one instance. Must be idempotent for the same `clientToken`. Throws a
   * HotspareError with code `InsufficientInstanceCapacity` when the type has no capacity, so the
   * caller can try a fallback type.
   */
  runInstance(spec: LaunchSpec): Promise<LaunchResult>;
  /** RunInstances with DryRun: resolves when permitted and every referenced resource exists. */
  checkLaunch(spec: LaunchSpec): Promise<void>;
  terminateInstances(ids: readonly string[]): Promise<CallReceipt>;
  /** CreateTags on instances: adds or overwrites these tags (a spare's check). Tagging twice changes nothing. */
  tagInstances(ids: readonly string[], tags: Readonly<Record<string, string>>): Promise<CallReceipt>;
}

// ---------------------------------------------------------------- DNS

export interface AliasTarget {
  readonly hostedZoneId: string;
  readonly dnsName: string;
  readonly evaluateTargetHealth: boolean;
}

/** A Route 53 resource record set, enough to write it back exactly. */
export interface DnsRecord {
  readonly name: string;
  readonly type: string;
  readonly ttl?: number | undefined;
  readonly values?: readonly string[] | undefined;
  readonly aliasTarget?: AliasTarget | undefined;
  readonly setIdentifier?: string | undefined;
  readonly healthCheckId?: string | undefined;
  /** A failover record's role (armed failover). */
  readonly failover?: 'PRIMARY' | 'SECONDARY' | undefined;
}

export type ChangeStatus = 'PENDING' | 'INSYNC';

export interface DnsChange extends CallReceipt {
  readonly changeId: string;
  readonly status: ChangeStatus;
}

export interface Dns {
  /** The record set with exactly this name and type, or undefined. Names compare without the trailing dot. */
  getRecord(hostedZoneId: string, name: string, type: string): Promise<DnsRecord | undefined>;
  upsertRecord(hostedZoneId: string, record: DnsRecord): Promise<DnsChange>;
  deleteRecord(hostedZoneId: string, record: DnsRecord): Promise<DnsChange>;
  getChange(changeId: string): Promise<ChangeStatus>;
  /** Whether the hosted zone exists (preflight). */
  hasHostedZone(hostedZoneId: string): Promise<boolean>;
}

// ---------------------------------------------------------------- HTTP probes

export interface ProbeRequest {
  readonly url: string;
  /** Text that must appear in the body (case-sensitive). */
  readonly expectText?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

export interface ProbeResult {
  readonly url: string;
  readonly at: number;
  /** HTTP status, absent on a connection error or timeout. */
  readonly status?: number | undefined;
  /** Location header of a 3xx. */
  readonly location?: string | undefined;
  readonly latencyMs: number;
  readonly markerFound?: boolean | undefined;
  readonly error?: string | undefined;
}

export interface Probe {
  /** One GET that does not follow redirects. Never throws: failures come back in `error`. */
  check(request: ProbeRequest): Promise<ProbeResult>;
}

// ---------------------------------------------------------------- time

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with an AbortError when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Everything a step may touch. */
export interface Ports {
  readonly lb: LoadBalancer;
  readonly compute: Compute;
  readonly dns: Dns;
  readonly scaling: AutoScaling;
  readonly probe: Probe;
  readonly clock: Clock;
  /** Reads the published maintenance site (manifest age, pages, assets); absent: only the marker is probed. */
  readonly site?: SiteInspector | undefined;
}
