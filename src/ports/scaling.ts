import type { CallReceipt } from './index.js';

/**
 * The Auto Scaling port, as far as a failover cares: the groups that could put instances back into
 * the target group during maintenance, and suspending and resuming their processes. Which processes
 * a failover freezes, and which groups touch a target group, are rules in `domain/scaling.ts`.
 */

export interface ScalingGroup {
  readonly name: string;
  readonly desired: number;
  readonly min: number;
  readonly max: number;
  readonly instanceIds: readonly string[];
  /** Target groups the group registers its instances into (attachments and traffic sources). */
  readonly targetGroupArns: readonly string[];
  /** Process names suspended now. */
  readonly suspended: readonly string[];
}

export interface AutoScaling {
  /** Every Auto Scaling group of the account and region (all pages). */
  describeGroups(): Promise<readonly ScalingGroup[]>;
  suspendProcesses(group: string, processes: readonly string[]): Promise<CallReceipt>;
  resumeProcesses(group: string, processes: readonly string[]): Promise<CallReceipt>;
}
