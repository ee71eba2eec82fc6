import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { Route53Client } from '@aws-sdk/client-route-53';
import type { Compute, Dns, LoadBalancer } from '../ports/index.js';
import type { AutoScaling } from '../ports/scaling.js';
import { createAutoScaling } from './autoscaling.js';
import { sdkClientConfig } from './client-config.js';
import { createCompute } from './ec2.js';
import { createLoadBalancer } from './elbv2.js';
import { createDns } from './route53.js';
import { createParameterReader } from './ssm.js';

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
}

/**
 * Build the LoadBalancer, Compute and Dns ports over real SDK v3 clients. No request is sent here;
 * credentials are resolved lazily on the first call (a missing chain surfaces as `NoCredentials`).
 */
export function createAwsPorts(options: AwsPortsOptions): AwsPorts {
  const config = sdkClientConfig(options);
  // The SDK retries reads; a mutating call is sent once: re-sending a RunInstances whose answer was
  // lost starts a second instance where ClientToken is not honoured. The steps retry mutations
  // themselves, after reading what happened.
  const once = { ...config, maxAttempts: 1 };
  const endpoint = options.endpointUrl;
  return {
    lb: createLoadBalancer(new ElasticLoadBalancingV2Client(config), endpoint, new ElasticLoadBalancingV2Client(once)),
    compute: createCompute(new EC2Client(config), endpoint, new EC2Client(once), createParameterReader(config, endpoint)),
    // Route 53 is global: the SDK's endpoint rules map any region to its partition's endpoint.
    dns: createDns(new Route53Client(config), endpoint, new Route53Client(once)),
    scaling: createAutoScaling(new AutoScalingClient(config), endpoint, new AutoScalingClient(once)),
  };
}
