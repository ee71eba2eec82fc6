import type { Compute, Dns, LoadBalancer } from '../ports/index.js';
import type { AutoScaling } from '../ports/scaling.js';
import type { Certificates, Distributions, Edge, Zones } from '../ports/edge.js';
import type { ArmedRecords, HealthChecks } from '../ports/armed.js';
import { sdkClientConfig } from './client-config.js';
import { lazyPort, type MethodNames } from './lazy.js';

export { iamPolicyFor, type PolicyDocument, type PolicyStatement } from './iam-policy.js';
export { translateAwsError, iamActionFor } from './errors.js';

export interface AwsPortsOptions {
  readonly region: string;
  /** A named profile from the shared config/credentials files; else the default credential chain. */
  readonly profile?: string | undefined;
  /**
   * An endpoint for all three services (moto, LocalStack). When absent the SDK itself honours
   * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> and the profile's endpoint_url.
   */
  readonly endpointUrl?: string | undefined;
  /** Attempts per read including the first, with the SDK's `standard` retry mode (default 4). Mutating calls are sent once. */
  readonly maxAttempts?: number | undefined;
}

export interface AwsPorts {
  readonly lb: LoadBalancer;
  readonly compute: Compute;
  readonly dns: Dns;
  readonly scaling: AutoScaling;
  /** CloudFront, ACM (us-east-1) and Route 53's zones: the maintenance site's edge. */
  readonly edge: Edge;
}

const LB_METHODS = {
  describeTargetGroup: true,
  describeTargetHealth: true,
  registerTargets: true,
  deregisterTargets: true,
  describeListener: true,
  setListenerDefaultActions: true,
  describeRules: true,
  createRule: true,
  deleteRule: true,
  setRuleActions: true,
} satisfies MethodNames<LoadBalancer>;

const COMPUTE_METHODS = {
  describeInstances: true,
  describeImage: true,
  describeInstanceType: true,
  describeSubnetNetwork: true,
  startInstances: true,
  stopInstances: true,
  runInstance: true,
  checkLaunch: true,
  terminateInstances: true,
  tagInstances: true,
} satisfies MethodNames<Compute>;

const DNS_METHODS = {
  getRecord: true,
  upsertRecord: true,
  deleteRecord: true,
  getChange: true,
  hasHostedZone: true,
} satisfies MethodNames<Dns>;

const SCALING_METHODS = {
  describeGroups: true,
  suspendProcesses: true,
  resumeProcesses: true,
} satisfies MethodNames<AutoScaling>;

const CERTIFICATE_METHODS = {
  listCertificates: true,
  describeCertificate: true,
  requestCertificate: true,
} satisfies MethodNames<Certificates>;

const DISTRIBUTION_METHODS = {
  listDistributions: true,
  getDistribution: true,
  tagsOf: true,
  createDistribution: true,
  updateDistribution: true,
  tagResource: true,
  createInvalidation: true,
  listInvalidations: true,
  getInvalidation: true,
} satisfies MethodNames<Distributions>;

const ZONE_METHODS = { findZoneFor: true } satisfies MethodNames<Zones>;

/** The edge ports over CloudFront, ACM and Route 53, each client loaded on its port's first call. */
export function createEdgePorts(options: AwsPortsOptions): Edge {
  const config = sdkClientConfig(options);
  const once = { ...config, maxAttempts: 1 };
  const endpoint = options.endpointUrl;
  return {
    certificates: lazyPort(CERTIFICATE_METHODS, async () =>
      (await import('./connect-acm.js')).connectCertificates(config, once, endpoint),
    ),
    distributions: lazyPort(DISTRIBUTION_METHODS, async () =>
      (await import('./connect-cloudfront.js')).connectDistributions(config, once, endpoint),
    ),
    zones: lazyPort(ZONE_METHODS, async () => (await import('./connect-edge-zones.js')).connectZones(config, endpoint)),
  };
}

/**
 * Build the LoadBalancer, Compute, Dns and AutoScaling ports over real SDK v3 clients. Nothing is
 * sent here, and nothing of the SDK is loaded: each service's client is imported on that port's
 * first call (loading all of them costs more than a second of start-up; `status` never needs Auto
 * Scaling's, `validate` none). Credentials are resolved lazily on the first call (a missing chain
 * surfaces as `NoCredentials`).
 */
export function createAwsPorts(options: AwsPortsOptions): AwsPorts {
  const config = sdkClientConfig(options);
  // The SDK retries reads; a mutating call is sent once: re-sending a RunInstances whose answer was
  // lost starts a second instance where ClientToken is not honoured. The steps retry mutations
  // themselves, after reading what happened.
  const once = { ...config, maxAttempts: 1 };
  const endpoint = options.endpointUrl;
  return {
    lb: lazyPort(LB_METHODS, async () =>
      (await import('./connect-elbv2.js')).connectLoadBalancer(config, once, endpoint),
    ),
    compute: lazyPort(COMPUTE_METHODS, async () =>
      (await import('./connect-ec2.js')).connectCompute(config, once, endpoint),
    ),
    dns: lazyPort(DNS_METHODS, async () => (await import('./connect-route53.js')).connectDns(config, once, endpoint)),
    scaling: lazyPort(SCALING_METHODS, async () =>
      (await import('./connect-autoscaling.js')).connectAutoScaling(config, once, endpoint),
    ),
    edge: createEdgePorts(options),
  };
}

/** `hotspare arm`'s Route 53 ports (record sets of a name, batched changes, health checks), loaded on first use. */
export async function createArmedPorts(
  options: AwsPortsOptions,
): Promise<{ readonly records: ArmedRecords; readonly healthChecks: HealthChecks }> {
  const config = sdkClientConfig(options);
  return (await import('./connect-armed.js')).connectArmed(config, { ...config, maxAttempts: 1 }, options.endpointUrl);
}
