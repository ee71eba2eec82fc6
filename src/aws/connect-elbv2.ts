import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoadBalancer } from '../ports/index.js';
import type { ClientConfig } from './client-config.js';
import { createLoadBalancer } from './elbv2.js';

/**
 * The LoadBalancer port over its SDK client: `config` for reads, `once` (no SDK retry) for mutating
 * calls. A module of its own, imported by `createAwsPorts` on first use: a dynamic import of the
 * SDK package itself would keep all of it in the bundle.
 */
export function connectLoadBalancer(
  config: ClientConfig,
  once: ClientConfig,
  endpoint: string | undefined,
): LoadBalancer {
  return createLoadBalancer(new ElasticLoadBalancingV2Client(config), endpoint, new ElasticLoadBalancingV2Client(once));
}
