import type { RunEnvironment } from '../domain/types.js';
import type { Runbook } from '../runbook/schema.js';
import { stepIdOf } from '../runbook/schema.js';
import type { Hazard } from './types.js';

/**
 * What Auto Scaling can do to the failover: a group attached to the target group launches or
 * replaces instances and registers them, sending visitors back to the origin, unless its processes
 * are suspended first. Pure.
 */
export function scalingHazards(runbook: Runbook, env: RunEnvironment): Hazard[] {
  if (env.scalingReadError !== undefined) {
    return [
      {
        code: 'scaling-unknown',
        severity: 'warning',
        message: `The Auto Scaling groups could not be read (${env.scalingReadError}): a group attached to the target group would undo the failover unnoticed. Grant autoscaling:DescribeAutoScalingGroups (\`hotspare iam-policy\`).`,
      },
    ];
  }
  const groups = env.scalingGroups ?? [];
  if (groups.length === 0) return [];
  const names = groups.map((g) => g.name).join(', ');
  const steps = runbook.steps.map((s) => s.type);
  const suspendAt = steps.indexOf('suspend-scaling');
  const suspend = runbook.steps[suspendAt];
  const deregisterAt = steps.indexOf('deregister-web');
  const usesTargetGroup = steps.some((t) => t === 'register-redirect' || t === 'deregister-web');
  if (!usesTargetGroup) return [];
  if (suspend === undefined) {
    return [
      {
        code: 'scaling-unsuspended',
        severity: 'danger',
        message: `Auto Scaling group ${names} registers instances into ${env.targetGroup.name}: during the maintenance it can launch or replace web servers and put them back behind the load balancer. Add a suspend-scaling step before deregister-web.`,
      },
    ];
  }
  if (deregisterAt >= 0 && suspendAt > deregisterAt) {
    return [
      {
        code: 'scaling-unsuspended',
        severity: 'warning',
        stepId: stepIdOf(suspend),
        message: `suspend-scaling runs after deregister-web: Auto Scaling group ${names} can replace the web servers in between. Move it before.`,
      },
    ];
  }
  return [
    {
      code: 'scaling-suspended',
      severity: 'info',
      stepId: stepIdOf(suspend),
      message: `Auto Scaling group ${names} will be frozen for the maintenance (suspend-scaling); rollback resumes only the processes hotspare suspended.`,
    },
  ];
}
