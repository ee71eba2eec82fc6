import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { Distributions } from '../ports/edge.js';
import type { ClientConfig } from './client-config.js';
import { createDistributions } from './cloudfront.js';
import { EDGE_REGION } from './edge-region.js';

/** The Distributions port over CloudFront, signed for us-east-1 (see `edge-region.ts`, `connect-elbv2.ts`). */
export function connectDistributions(
  config: ClientConfig,
  once: ClientConfig,
  endpoint: string | undefined,
): Distributions {
  return createDistributions(
    new CloudFrontClient({ ...config, region: EDGE_REGION }),
    endpoint,
    new CloudFrontClient({ ...once, region: EDGE_REGION }),
  );
}
