import { EC2Client } from '@aws-sdk/client-ec2';
import type { Compute } from '../ports/index.js';
import type { ClientConfig } from './client-config.js';
import { createCompute } from './ec2.js';
import { createParameterReader } from './ssm.js';

/** The Compute port over its SDK client (and SSM, loaded only for `resolve:ssm:`); see `connect-elbv2.ts`. */
export function connectCompute(config: ClientConfig, once: ClientConfig, endpoint: string | undefined): Compute {
  return createCompute(new EC2Client(config), endpoint, new EC2Client(once), createParameterReader(config, endpoint));
}
