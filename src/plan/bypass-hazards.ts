import type { RunEnvironment } from '../domain/types.js';
import { coverPriority, forwardedGroups, forwardingRules, ruleText, terminalAction } from '../domain/listener-rules.js';
import {
  isBypassRule,
  plannedBypassRules,
  RULES_PER_LOAD_BALANCER,
  SOURCE_IPS_PER_RULE,
} from '../domain/staff-bypass.js';
import type { Runbook } from '../runbook/schema.js';
import { stepIdOf } from '../runbook/schema.js';
import type { Hazard } from './types.js';

const LISTENER_STEPS = new Set(['set-listener-redirect', 'set-listener-fixed-response']);

/**
 * What the staff bypass (loadBalancer.staffBypass) will do, or why it cannot: only a listener
 * strategy can keep some sources on the origin; the rules it adds, where they go, and what staff
 * still do not reach. Pure; the rule details only when the listener's rules were read.
 */
export function bypassHazards(runbook: Runbook, env: RunEnvironment): Hazard[] {
  const cidrs = runbook.loadBalancer.staffBypass;
  if (cidrs === undefined) return [];
  const listenerStep = runbook.steps.find((s) => LISTENER_STEPS.has(s.type));
  if (listenerStep === undefined) {
    const strategy = runbook.steps.some((s) => s.type === 'dns-failover')
      ? 'the DNS failover points the name itself at the maintenance site'
      : 'the redirect instance replaces the web servers in the target group, for every source';
    return [
      {
        code: 'staff-bypass-unavailable',
        severity: 'warning',
        message: `loadBalancer.staffBypass is not applied by this runbook: ${strategy}. Only a listener strategy (set-listener-redirect or set-listener-fixed-response) keeps ${cidrs.join(', ')} on the origin.`,
      },
    ];
  }
  return [...ruleHazards(env, listenerStep, cidrs), ...verifyHazards(runbook, cidrs)];
}

/** verify-maintenance asks for the site from this machine: inside a bypassed network it gets the origin. */
function verifyHazards(runbook: Runbook, cidrs: readonly string[]): Hazard[] {
  const verify = runbook.steps.find((s) => s.type === 'verify-maintenance');
  if (verify === undefined || verify.expectSiteRedirect === false) return [];
  return [
    {
      code: 'staff-bypass',
      severity: 'info',
      stepId: stepIdOf(verify),
      message: `${stepIdOf(verify)} checks the site from this machine: if its public address is in ${cidrs.join(', ')} it reaches the origin and the check fails. Run hotspare from outside the bypassed networks, or set expectSiteRedirect: false on that step.`,
    },
  ];
}

function ruleHazards(env: RunEnvironment, listenerStep: Runbook['steps'][number], cidrs: readonly string[]): Hazard[] {
  const rules = env.listener?.rules;
  const id = stepIdOf(listenerStep);
  const tg = env.targetGroup;
  if (rules === undefined)
    return [
      {
        code: 'staff-bypass',
        severity: 'info',
        stepId: id,
        message: `${id} first adds listener rules forwarding ${cidrs.join(', ')} to ${tg.name} (at most ${SOURCE_IPS_PER_RULE} source CIDRs a rule, AWS's limit); rollback deletes them.`,
      },
    ];
  const ours = (r: (typeof rules)[number]): boolean => isBypassRule(r, tg.arn, cidrs);
  const planned = plannedBypassRules(rules, tg.arn, cidrs);
  const after = [...rules, ...planned];
  const present = rules.filter(ours);
  const priorities = [...present, ...planned].map((r) => r.priority);
  const out: Hazard[] = [
    {
      code: 'staff-bypass',
      severity: 'info',
      stepId: id,
      message: `${id} first adds ${planned.length} rule(s) at priority ${planned.map((r) => r.priority).join(', ') || '-'} forwarding ${cidrs.join(', ')} to ${tg.name}${present.length === 0 ? '' : ` (${present.length} already there)`}, ${SOURCE_IPS_PER_RULE} source CIDRs a rule at most (AWS's limit); rollback deletes them.`,
    },
  ];
  const name = (arn: string): string => (arn === tg.arn ? tg.name : (arn.split('/')[1] ?? arn));
  const forwarding = forwardingRules(rules, ours);
  const elsewhere = forwarding.filter((r) => forwardedGroups(terminalAction(r.actions)).some((arn) => arn !== tg.arn));
  const covered = !('rules' in listenerStep && listenerStep.rules === 'leave');
  if (covered && coverPriority(after, ours) === undefined) {
    const last = Math.max(...priorities);
    const ahead = forwarding.filter((r) => r.priority < last);
    if (ahead.length > 0)
      out.push({
        code: 'staff-bypass',
        severity: 'warning',
        stepId: id,
        message: `No priority is free ahead of these forwarding rules, whose actions become the maintenance action: staff requests they match get maintenance too: ${ahead.map((r) => ruleText(r, name)).join('; ')}.`,
      });
  } else if (elsewhere.length > 0) {
    out.push({
      code: 'staff-bypass',
      severity: 'info',
      stepId: id,
      message: `The bypass rules come first, so staff requests these rules would send elsewhere go to ${tg.name} instead: ${elsewhere.map((r) => ruleText(r, name)).join('; ')}.`,
    });
  }
  const total = after.length + (covered && coverPriority(after, ours) !== undefined ? 1 : 0);
  if (total > RULES_PER_LOAD_BALANCER)
    out.push({
      code: 'staff-bypass',
      severity: 'danger',
      stepId: id,
      message: `This listener would hold ${total} rules; an Application Load Balancer allows ${RULES_PER_LOAD_BALANCER} by default (all its listeners together, default rules not counted): CreateRule fails with TooManyRules. Use fewer, wider CIDR blocks, or raise the quota ahead of time.`,
    });
  return out;
}
