import type { ApiCall, Json, StepOutputs } from '../domain/types.js';
import {
  bypassActions,
  bypassConditions,
  bypassRules,
  freePriorities,
  isBypassRule,
  missingGroups,
  plannedBypassRules,
} from '../domain/staff-bypass.js';
import type { ListenerRule } from '../ports/index.js';
import type { JournaledState } from './journal-contract.js';
import type { listenerJournal } from './listener.journal.js';
import type { DescribeContext, StepContext } from './types.js';

/**
 * The staff bypass on a listener strategy (see src/domain/staff-bypass.ts): the rules that keep
 * the runbook's source CIDRs on the web target group, created before the maintenance action (so
 * staff never see it) and deleted after the listener is restored. Journaled as compensation state
 * `bypass` (listener, target group, CIDRs: enough to find the rules by their shape) before the first
 * CreateRule, and `bypassRuleArns` after each.
 */

type State = JournaledState<typeof listenerJournal>;

/** The runbook's staff CIDRs; [] when it has none. */
export function staffCidrs(ctx: DescribeContext): readonly string[] {
  return ctx.runbook.loadBalancer.staffBypass ?? [];
}

/** Which rules are the bypass's (not covered by the maintenance action: they must stay ahead of it). */
export function bypassPredicate(ctx: DescribeContext): (rule: ListenerRule) => boolean {
  const cidrs = staffCidrs(ctx);
  const tg = ctx.env.targetGroup.arn;
  return (rule) => cidrs.length > 0 && isBypassRule(rule, tg, cidrs);
}

interface RuleShape extends Pick<ListenerRule, 'conditions' | 'actions'> {
  readonly priority: number | string;
}

function createCall(listenerArn: string, rule: RuleShape): ApiCall {
  return {
    service: 'elbv2',
    operation: 'CreateRule',
    params: {
      ListenerArn: listenerArn,
      Priority: rule.priority,
      Conditions: rule.conditions as unknown as Json,
      Actions: rule.actions as unknown as Json,
    },
    note: 'staff bypass: these sources keep reaching the origin',
  };
}

/** The rules as discovered, with the bypass rules that will be created among them (for what is planned after). */
export function rulesWithBypass(ctx: DescribeContext): ListenerRule[] | undefined {
  const rules = ctx.env.listener?.rules;
  const cidrs = staffCidrs(ctx);
  if (rules === undefined || cidrs.length === 0) return rules === undefined ? undefined : [...rules];
  return [...rules, ...plannedBypassRules(rules, ctx.env.targetGroup.arn, cidrs)];
}

/** The CreateRule calls the bypass will make, from the rules as discovered (priorities as placeholders when unread). */
export function bypassCalls(ctx: DescribeContext, listenerArn: string): ApiCall[] {
  const cidrs = staffCidrs(ctx);
  if (cidrs.length === 0) return [];
  const rules = ctx.env.listener?.rules;
  if (rules === undefined) {
    const planned = plannedBypassRules([], ctx.env.targetGroup.arn, cidrs);
    return planned.map((r) => createCall(listenerArn, { ...r, priority: '<the lowest free priority>' }));
  }
  return plannedBypassRules(rules, ctx.env.targetGroup.arn, cidrs).map((r) => createCall(listenerArn, r));
}

/** How rollback removes the bypass, as planned. */
export function unbypassCalls(ctx: DescribeContext): ApiCall[] {
  return staffCidrs(ctx).length === 0
    ? []
    : [{ service: 'elbv2', operation: 'DeleteRule', params: { RuleArn: '<each staff bypass rule hotspare created>' } }];
}

/**
 * Create the bypass rules that are not there yet, each at the lowest free priority. Reads first: a
 * rule already carrying some of the CIDRs (a retry, a resumed run) is kept, never created twice.
 */
export async function openBypass(ctx: StepContext, listenerArn: string): Promise<StepOutputs> {
  const cidrs = staffCidrs(ctx);
  if (cidrs.length === 0) return {};
  const tg = ctx.env.targetGroup.arn;
  const rules = await ctx.read(() => ctx.ports.lb.describeRules(listenerArn));
  const arns = bypassRules(rules, tg, cidrs).map((r) => r.arn);
  const groups = missingGroups(rules, tg, cidrs);
  const priorities = freePriorities(rules, groups.length);
  const before = { bypass: { listenerArn, targetGroupArn: tg, cidrs: [...cidrs] } };
  for (const [i, group] of groups.entries()) {
    const priority = priorities[i]!;
    const conditions = bypassConditions(group);
    const actions = bypassActions(tg);
    const created = await ctx.mutate(
      createCall(listenerArn, { priority, conditions, actions }),
      () => ctx.ports.lb.createRule(listenerArn, priority, conditions, actions),
      { before, outputs: (r) => ({ bypassRuleArns: [...arns, r.ruleArn] }) },
    );
    arns.push(created.ruleArn);
  }
  return { bypassRuleArns: arns };
}

/** What is missing of the bypass on the listener now: undefined when every CIDR has its rule. */
export function bypassMissing(ctx: DescribeContext, rules: readonly ListenerRule[]): string | undefined {
  const cidrs = staffCidrs(ctx);
  if (cidrs.length === 0) return undefined;
  const missing = missingGroups(rules, ctx.env.targetGroup.arn, cidrs).flat();
  return missing.length === 0 ? undefined : `staff bypass missing for ${missing.join(', ')}`;
}

/**
 * Delete the bypass rules, reading first: found by their journaled ARNs or by their shape (the
 * journaled CIDRs forwarded to the journaled target group). Returns notes for what was already done.
 */
export async function closeBypass(ctx: StepContext, listenerArn: string, state: State): Promise<string[]> {
  const bypass = state.bypass;
  const known = state.bypassRuleArns ?? [];
  if (bypass === undefined && known.length === 0) return [];
  const rules = await ctx.read(() => ctx.ports.lb.describeRules(bypass?.listenerArn ?? listenerArn));
  const ours = rules.filter(
    (r) => known.includes(r.arn) || (bypass !== undefined && isBypassRule(r, bypass.targetGroupArn, bypass.cidrs)),
  );
  for (const rule of ours)
    await ctx.mutate({ service: 'elbv2', operation: 'DeleteRule', params: { RuleArn: rule.arn } }, () =>
      ctx.ports.lb.deleteRule(rule.arn),
    );
  return ours.length === 0 ? ['the staff bypass rules were already gone'] : [];
}
