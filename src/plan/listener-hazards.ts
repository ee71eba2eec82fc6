import type { RunEnvironment } from '../domain/types.js';
import { coverPriority, forwardedGroups, forwardingRules, ruleText, terminalAction } from '../domain/listener-rules.js';
import { isBypassRule, plannedBypassRules } from '../domain/staff-bypass.js';
import type { ListenerRule } from '../ports/index.js';
import type { Runbook } from '../runbook/schema.js';
import { stepIdOf } from '../runbook/schema.js';
import type { Hazard } from './types.js';

const LISTENER_STEPS = new Set(['set-listener-redirect', 'set-listener-fixed-response']);

/**
 * What the listener's rules do to a failover, from the rules as read with the account: a rule that
 * forwards is matched before the default action. Pure; nothing when the rules were not read.
 */
export function listenerHazards(runbook: Runbook, env: RunEnvironment): Hazard[] {
  const read = env.listener?.rules;
  if (read === undefined) return [];
  // The staff bypass's rules (there or to come) take their priorities first and are not covered.
  const cidrs = runbook.loadBalancer.staffBypass ?? [];
  const ours = (r: ListenerRule): boolean => cidrs.length > 0 && isBypassRule(r, env.targetGroup.arn, cidrs);
  const rules = [...read, ...plannedBypassRules(read, env.targetGroup.arn, cidrs)];
  const forwarding = forwardingRules(rules, ours);
  if (forwarding.length === 0) return [];
  const name = (arn: string): string =>
    arn === env.targetGroup.arn ? env.targetGroup.name : (arn.split('/')[1] ?? arn);
  const out: Hazard[] = [];
  for (const step of runbook.steps) {
    if (!LISTENER_STEPS.has(step.type)) continue;
    const leave = 'rules' in step && step.rules === 'leave';
    if (leave) {
      out.push({
        code: 'rules-left-forwarding',
        severity: 'danger',
        stepId: stepIdOf(step),
        message: `${stepIdOf(step)} changes only the default action (rules: leave): this traffic still reaches the origin: ${forwarding.map((r) => ruleText(r, name)).join('; ')}.`,
      });
    } else if (coverPriority(rules, ours) === undefined) {
      out.push({
        code: 'rules-covered',
        severity: 'info',
        stepId: stepIdOf(step),
        message: `No rule priority is free ahead of the forwarding rules: ${stepIdOf(step)} replaces the actions of ${forwarding.length} rule(s) and rollback restores them.`,
      });
    } else {
      out.push({
        code: 'rules-covered',
        severity: 'info',
        stepId: stepIdOf(step),
        message: `${stepIdOf(step)} adds a rule at priority ${coverPriority(rules, ours)} ahead of ${forwarding.length} forwarding rule(s); rollback deletes it.`,
      });
    }
  }
  const swapsTargets = runbook.steps.some((s) => s.type === 'register-redirect' || s.type === 'deregister-web');
  const elsewhere = forwarding.filter((r) =>
    forwardedGroups(terminalAction(r.actions)).some((arn) => arn !== env.targetGroup.arn),
  );
  if (swapsTargets && elsewhere.length > 0 && !runbook.steps.some((s) => LISTENER_STEPS.has(s.type))) {
    out.push({
      code: 'rules-left-forwarding',
      severity: 'warning',
      message: `The redirect instance replaces the targets of ${env.targetGroup.name} only; this traffic goes to other target groups and still reaches the origin: ${elsewhere.map((r) => ruleText(r, name)).join('; ')}.`,
    });
  }
  return out;
}
