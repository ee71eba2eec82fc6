import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { SsmClientConfig } from './ssm.js';

/** GetParameter over an SSM client; imported by `ssm.ts` on first use (see `connect-elbv2.ts` for why a module of its own). */
export function connectSsm(config: SsmClientConfig): (name: string) => Promise<string | undefined> {
  const ssm = new SSMClient(config);
  return async (name) => (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
}
