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

/** What the redirect server must do; the adapter renders it into user data (nginx or Apache). */
export interface RedirectConfig {
  readonly server: 'nginx' | 'apache';
  /** Absolute http(s) URL every request is redirected to. */
  readonly targetUrl: string;
  readonly statusCode: 301 | 302;
  /** Port the server listens on (the target group's port). */
  readonly port: number;
  /** Path that answers 200 for the load balancer's health check (not redirected). */
  readonly healthCheckPath: string;
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
}

export interface LaunchResult extends CallReceipt {
  readonly instance: InstanceInfo;
}

export interface Compute {
  describeInstances(query: InstanceQuery): Promise<readonly InstanceInfo[]>;
  /**
   * RunInstances for one instance. Must be idempotent for the same `clientToken`. Throws a
   * HotspareError with code `InsufficientInstanceCapacity` when the type has no capacity, so the
   * caller can try a fallback type.
   */
  runInstance(spec: LaunchSpec): Promise<LaunchResult>;
  /** RunInstances with DryRun: resolves when permitted and every referenced resource exists. */
  checkLaunch(spec: LaunchSpec): Promise<void>;
  terminateInstances(ids: readonly string[]): Promise<CallReceipt>;
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

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
