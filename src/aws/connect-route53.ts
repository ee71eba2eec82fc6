import { Route53Client } from '@aws-sdk/client-route-53';
import type { Dns } from '../ports/index.js';
import type { ClientConfig } from './client-config.js';
import { createDns } from './route53.js';

/** The Dns port over its SDK client; see `connect-elbv2.ts`. Route 53 is global: the SDK maps any region to its partition's endpoint. */
export function connectDns(config: ClientConfig, once: ClientConfig, endpoint: string | undefined): Dns {
  return createDns(new Route53Client(config), endpoint, new Route53Client(once));
}
