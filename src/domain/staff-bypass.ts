import type { ListenerAction, ListenerCondition, ListenerRule } from '../ports/index.js';
import { forwardedGroups, terminalAction } from './listener-rules.js';

/**
 * The staff bypass: listener rules that keep forwarding the runbook's source CIDRs (the office,
 * the VPN) to the web target group while everyone else gets the maintenance action. Each rule has
 * one `source-ip` condition; an ALB rule allows at most five match evaluations, and every CIDR of a
 * `source-ip` condition is one (AWS, "Listener rules for your Application Load Balancer", condition
 * types), so more CIDRs take more rules. A rule is ours by its shape: its only condition is
 * `source-ip` with some of the runbook's CIDRs, its answer a forward to the web target group alone.
 */

/** Match evaluations AWS allows in one listener rule: each `source-ip` value counts as one. */
export const SOURCE_IPS_PER_RULE = 5;

/** Rules per Application Load Balancer (default quota, the default rules not counted). */
export const RULES_PER_LOAD_BALANCER = 100;

/** The CIDRs in groups of at most SOURCE_IPS_PER_RULE, in the runbook's order: one rule each. */
export function bypassGroups(cidrs: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < cidrs.length; i += SOURCE_IPS_PER_RULE) out.push(cidrs.slice(i, i + SOURCE_IPS_PER_RULE));
  return out;
}

export function bypassConditions(cidrs: readonly string[]): ListenerCondition[] {
  return [{ Field: 'source-ip', SourceIpConfig: { Values: [...cidrs] } }];
}

export function bypassActions(targetGroupArn: string): ListenerAction[] {
  return [{ Type: 'forward', TargetGroupArn: targetGroupArn }];
}

/** The source CIDRs of a rule whose only condition is `source-ip` (undefined for any other rule). */
function sourceIps(rule: ListenerRule): string[] | undefined {
  const only = rule.conditions.length === 1 ? rule.conditions[0] : undefined;
  if (only?.['Field'] !== 'source-ip') return undefined;
  const config = only['SourceIpConfig'] as { Values?: unknown } | undefined;
  const values = config?.Values ?? only['Values'];
  return Array.isArray(values) ? values.map(String) : undefined;
}

/** Whether `rule` is one of the bypass rules for these CIDRs and this target group. */
export function isBypassRule(rule: ListenerRule, targetGroupArn: string, cidrs: readonly string[]): boolean {
  const ips = sourceIps(rule);
  if (ips === undefined || ips.length === 0 || !ips.every((ip) => cidrs.includes(ip))) return false;
  const groups = forwardedGroups(terminalAction(rule.actions));
  return groups.length === 1 && groups[0] === targetGroupArn;
}

/** The bypass rules among `rules`, lowest priority first. */
export function bypassRules(
  rules: readonly ListenerRule[],
  targetGroupArn: string,
  cidrs: readonly string[],
): ListenerRule[] {
  return rules.filter((r) => isBypassRule(r, targetGroupArn, cidrs)).sort((a, b) => a.priority - b.priority);
}

/** The CIDRs no bypass rule among `rules` carries yet, in groups (one rule each). */
export function missingGroups(rules: readonly ListenerRule[], targetGroupArn: string, cidrs: readonly string[]) {
  const present = new Set(bypassRules(rules, targetGroupArn, cidrs).flatMap((r) => sourceIps(r) ?? []));
  return bypassGroups(cidrs.filter((c) => !present.has(c)));
}

/** The `count` lowest priorities no rule holds: the bypass goes ahead of everything hotspare adds after it. */
export function freePriorities(rules: readonly ListenerRule[], count: number): number[] {
  const used = new Set(rules.map((r) => r.priority));
  const out: number[] = [];
  for (let p = 1; out.length < count && p <= 50_000; p++) if (!used.has(p)) out.push(p);
  return out;
}

/** The bypass rules as they will be created (ARNs unknown), for planning what comes after them. */
export function plannedBypassRules(
  rules: readonly ListenerRule[],
  targetGroupArn: string,
  cidrs: readonly string[],
): ListenerRule[] {
  const groups = missingGroups(rules, targetGroupArn, cidrs);
  const priorities = freePriorities(rules, groups.length);
  return groups.map((group, i) => ({
    arn: `<the staff bypass rule for ${group.join(', ')}>`,
    priority: priorities[i]!,
    conditions: bypassConditions(group),
    actions: bypassActions(targetGroupArn),
  }));
}
