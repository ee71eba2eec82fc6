import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { AutoScaling } from '../ports/scaling.js';
import type { ClientConfig } from './client-config.js';
import { createAutoScaling } from './autoscaling.js';

/** The AutoScaling port over its SDK client; see `connect-elbv2.ts`. */
export function connectAutoScaling(
  config: ClientConfig,
  once: ClientConfig,
  endpoint: string | undefined,
): AutoScaling {
  return createAutoScaling(new AutoScalingClient(config), endpoint, new AutoScalingClient(once));
}
