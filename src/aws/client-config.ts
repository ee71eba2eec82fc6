import { UsageError } from '../domain/errors.js';
import type { AwsPortsOptions } from './index.js';

const DEFAULT_MAX_ATTEMPTS = 4;
/** A hung connection must not stall an outage: fail fast and let the retry strategy try again. */
const CONNECTION_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 20_000;

/**
 * The configuration every SDK v3 client of hotspare shares: region, `standard` retries (attempts
 * clamped to 1..10), short connection and request timeouts, and the profile and endpoint when given.
 * Throws UsageError when the region is empty.
 */
export function sdkClientConfig(options: AwsPortsOptions) {
  // The SDK's own "Region is missing" is a plain Error, which would read as a bug of hotspare.
  if (options.region.trim() === '') {
    throw new UsageError('The AWS region is empty.', {
      code: 'EmptyRegion',
      nextSteps: "Name one with --region (e.g. us-east-1), or leave the flag out to use the runbook's region.",
    });
  }
  const maxAttempts = Math.max(1, Math.min(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, 10));
  return {
    region: options.region,
    retryMode: 'standard',
    maxAttempts,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
  };
}

/** What `sdkClientConfig` builds; every client of hotspare takes it. */
export type ClientConfig = ReturnType<typeof sdkClientConfig>;
