import type { AwsService, CallContext } from './errors.js';
import { callAws } from './errors.js';

/** Reads one SSM parameter's value (e.g. `/aws/service/ami-amazon-linux-latest/...`). */
export type ParameterReader = (name: string) => Promise<string | undefined>;

export interface SsmClientConfig {
  readonly region: string;
  readonly [key: string]: unknown;
}

/**
 * GetParameter through a client built on first use: the SSM SDK is loaded only when a runbook
 * names its image by `resolve:ssm:` (or omits it), so other commands never pay for it.
 */
export function createParameterReader(config: SsmClientConfig, endpoint?: string): ParameterReader {
  let client: Promise<{ send: (name: string) => Promise<string | undefined> }> | undefined;
  const load = async () => ({ send: (await import('./ssm-client.js')).connectSsm(config) });
  return async (name) => {
    client ??= load();
    const ctx: CallContext = {
      service: 'ssm' satisfies AwsService,
      operation: 'GetParameter',
      resource: name,
      endpoint,
    };
    return callAws(ctx, async () => (await client!).send(name));
  };
}
