import { ACMClient } from '@aws-sdk/client-acm';
import type { Certificates } from '../ports/edge.js';
import type { ClientConfig } from './client-config.js';
import { createCertificates } from './acm.js';
import { EDGE_REGION } from './edge-region.js';

/** The Certificates port over ACM in us-east-1 (see `edge-region.ts`, `connect-elbv2.ts`). */
export function connectCertificates(
  config: ClientConfig,
  once: ClientConfig,
  endpoint: string | undefined,
): Certificates {
  return createCertificates(
    new ACMClient({ ...config, region: EDGE_REGION }),
    endpoint,
    new ACMClient({ ...once, region: EDGE_REGION }),
  );
}
