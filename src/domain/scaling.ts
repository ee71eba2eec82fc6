import type { ScalingGroup } from '../ports/scaling.js';

/**
 * Auto Scaling as a failover sees it: which processes to freeze for the length of the maintenance,
 * and which groups could undo a failover (they register into the target group or own a web server).
 */

/**
 * The processes hotspare suspends for the length of the maintenance, so the group neither launches,
 * terminates nor replaces instances, nor registers any into the target group (AWS, "Suspend and
 * resume processes"): Launch and AddToLoadBalancer would put new instances behind the load balancer;
 * ReplaceUnhealthy and HealthCheck replace the failing web servers; AZRebalance, AlarmNotification,
 * ScheduledActions and InstanceRefresh launch or terminate on their own; Terminate keeps the web
 * servers there for the rollback to register again.
 */
export const FREEZE_PROCESSES = [
  'Launch',
  'Terminate',
  'AddToLoadBalancer',
  'HealthCheck',
  'ReplaceUnhealthy',
  'AZRebalance',
  'AlarmNotification',
  'ScheduledActions',
  'InstanceRefresh',
] as const;

export type ScalingProcess = (typeof FREEZE_PROCESSES)[number];

/** A group in a line: `web-asg (3 of 3..6; suspended: Launch, Terminate)`. */
export function groupText(group: ScalingGroup): string {
  const suspended = group.suspended.length === 0 ? 'no process suspended' : `suspended: ${group.suspended.join(', ')}`;
  return `${group.name} (${group.desired} of ${group.min}..${group.max}; ${suspended})`;
}

/** The groups that register into the target group, or own one of the web servers. */
export function groupsTouching(
  groups: readonly ScalingGroup[],
  targetGroupArn: string,
  instanceIds: readonly string[],
): ScalingGroup[] {
  const ids = new Set(instanceIds);
  return groups.filter((g) => g.targetGroupArns.includes(targetGroupArn) || g.instanceIds.some((id) => ids.has(id)));
}
