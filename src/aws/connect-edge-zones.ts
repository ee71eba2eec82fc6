import { Route53Client } from '@aws-sdk/client-route-53';
import type { Zones } from '../ports/edge.js';
import type { ClientConfig } from './client-config.js';
import { createZones } from './route53-zones.js';

/** The Zones port over Route 53 (reads only); see `connect-elbv2.ts`. */
export function connectZones(config: ClientConfig, endpoint: string | undefined): Zones {
  return createZones(new Route53Client(config), endpoint);
}
