import type { Hazard, Plan } from '../../plan/types.js';
import type { ApiCall, RunEnvironment } from '../../domain/types.js';
import { groupText } from '../../domain/scaling.js';

function call(c: ApiCall): string {
  return `${c.service} ${c.operation} ${JSON.stringify(c.params)}${c.note ? `   # ${c.note}` : ''}`;
}

export function hazardLine(h: Hazard): string {
  const tag = h.severity === 'danger' ? 'DANGER' : h.severity === 'warning' ? 'WARNING' : 'note';
  return `${tag}: ${h.message}`;
}

/** The Auto Scaling groups that touch the target group, as read. */
export function scalingLines(env: RunEnvironment): string[] {
  if (env.scalingReadError !== undefined) return [`Auto Scaling: could not be read (${env.scalingReadError})`];
  if (env.scalingGroups === undefined) return [];
  return env.scalingGroups.length === 0
    ? ['Auto Scaling: no group touches the target group']
    : env.scalingGroups.map((g) => `Auto Scaling: ${groupText(g)}`);
}

/** `hotspare plan` as text: environment, steps with calls and undo, hazards, strategies. */
export function planText(plan: Plan, env: RunEnvironment): string {
  const tg = env.targetGroup;
  const out: string[] = [
    `Plan for ${plan.runbook} (expected ~${Math.round(plan.expectedSeconds)} s)`,
    `Target group ${tg.name}: health check every ${tg.healthCheck.intervalSeconds} s, healthy after ${tg.healthCheck.healthyThreshold}, deregistration delay ${tg.deregistrationDelaySeconds} s${env.discovered ? '' : ' (ALB defaults: not read from the account)'}`,
    `Web servers: ${env.webTargets.map((t) => t.id).join(', ') || 'none'}`,
    ...(env.maintenanceSite === undefined
      ? []
      : [`Maintenance site (${env.maintenanceSite.state}): ${env.maintenanceSite.summary}`]),
    ...scalingLines(env),
    '',
  ];
  plan.steps.forEach((s, i) => {
    out.push(`${i + 1}. ${s.id}: ${s.title}${s.mutating ? '' : ' (read-only)'}  ~${Math.round(s.expectedSeconds)} s`);
    for (const c of s.calls) out.push(`     ${call(c)}`);
    if (s.mutating) {
      out.push(
        s.undo === undefined
          ? '     undo: cannot be undone'
          : s.undo.length === 0
            ? '     undo: nothing to undo'
            : `     undo: ${s.undo.map(call).join('; ')}`,
      );
    }
  });
  out.push('', plan.hazards.length === 0 ? 'Hazards: none' : 'Hazards:');
  for (const h of plan.hazards) out.push(`  ${hazardLine(h)}`);
  out.push('', 'Strategies (time to mitigation, depends on the ALB, cost, rollback):');
  for (const s of plan.strategies) {
    out.push(
      `  ${s.used ? '*' : ' '} ${s.title}: ~${s.timeToMitigationSeconds} s, ${s.dependsOnLoadBalancer ? 'needs a working ALB' : 'works without the ALB'}, cost ${s.cost}; rollback: ${s.rollback}`,
    );
  }
  return out.join('\n');
}
