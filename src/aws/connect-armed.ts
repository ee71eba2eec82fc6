import { Route53Client } from '@aws-sdk/client-route-53';
import type { ArmedRecords, HealthChecks } from '../ports/armed.js';
import type { ClientConfig } from './client-config.js';
import { createArmedRecords } from './route53-armed.js';
import { createHealthChecks } from './route53-health.js';

/** `hotspare arm`'s Route 53 ports: reads with the SDK's retries, writes sent once. */
export function connectArmed(
  config: ClientConfig,
  once: ClientConfig,
  endpoint: string | undefined,
): { readonly records: ArmedRecords; readonly healthChecks: HealthChecks } {
  const client = new Route53Client(config);
  const writer = new Route53Client(once);
  return {
    records: createArmedRecords(client, endpoint, writer),
    healthChecks: createHealthChecks(client, endpoint, writer),
  };
}
