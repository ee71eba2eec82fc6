import * as z from 'zod';
import type { ApiCall, Json, StepOutputs } from '../domain/types.js';
import { coverPriority, EVERY_PATH, forwardingRules, terminalAction } from '../domain/listener-rules.js';
import type { ListenerAction, ListenerRule } from '../ports/index.js';
import { changedSince, same, sameActions } from './listener-actions.js';
import type { DescribeContext, StepContext } from './types.js';
import { listenerAction, type JournaledState } from './journal-contract.js';
import { bypassPredicate, rulesWithBypass } from './listener-bypass.js';
import type { listenerJournal } from './listener.journal.js';

/** A replaced rule's original actions, as journaled under `rule:ARN`. */
const ruleActions = z.array(listenerAction);

/**
 * A listener's rules are matched before its default action, so a listener strategy that only
 * changed the default would leave every forwarding rule (`/api/*`, a host header) sending visitors
 * to the failing origin. Covering them: one rule at a priority ahead of every forwarding rule, with
 * the maintenance action for every path, deleted on rollback (the rules themselves untouched); or,
 * when no priority is free ahead of them, each forwarding rule's actions replaced, and restored on
 * rollback. Journaled as compensation state: `coverRule` (listener and priority) or `rule:ARN` (the
 * rule's original actions).
 */

const RULE_KEY = 'rule:';

/** The cover rule hotspare creates: every path, the maintenance action. */
export function isCoverRule(rule: ListenerRule, action: ListenerAction): boolean {
  const answer = terminalAction(rule.actions);
  return (
    JSON.stringify(rule.conditions) === JSON.stringify(EVERY_PATH) &&
    answer !== undefined &&
    answer['Type'] === action['Type'] &&
    same(answer, action)
  );
}

function createCall(listenerArn: string, priority: number | string, action: ListenerAction): ApiCall {
  return {
    service: 'elbv2',
    operation: 'CreateRule',
    params: {
      ListenerArn: listenerArn,
      Priority: priority as Json,
      Conditions: EVERY_PATH as unknown as Json,
      Actions: [action] as unknown as Json,
    },
  };
}

function modifyRuleCall(ruleArn: string, actions: readonly ListenerAction[] | string): ApiCall {
  return {
    service: 'elbv2',
    operation: 'ModifyRule',
    params: { RuleArn: ruleArn, Actions: actions as unknown as Json },
  };
}

/** The calls covering the rules will make, from the rules as discovered (or placeholders). */
export function coverCalls(ctx: DescribeContext, listenerArn: string, action: ListenerAction): ApiCall[] {
  const rules = rulesWithBypass(ctx);
  const ours = bypassPredicate(ctx);
  const read: ApiCall = {
    service: 'elbv2',
    operation: 'DescribeRules',
    params: { ListenerArn: listenerArn },
    note: 'the rules that forward ahead of the default action',
  };
  if (rules === undefined)
    return [
      read,
      {
        ...createCall(listenerArn, '<a free priority ahead of every forwarding rule>', action),
        note: 'only if a rule forwards',
      },
    ];
  if (forwardingRules(rules, ours).length === 0) return [read];
  const priority = coverPriority(rules, ours);
  if (priority !== undefined) return [read, createCall(listenerArn, priority, action)];
  return [read, ...forwardingRules(rules, ours).map((r) => modifyRuleCall(r.arn, [action]))];
}

/** How rollback reverses the cover, as planned. */
export function uncoverCalls(ctx: DescribeContext): ApiCall[] {
  const rules = rulesWithBypass(ctx);
  const ours = bypassPredicate(ctx);
  if (rules !== undefined && forwardingRules(rules, ours).length === 0) return [];
  if (rules !== undefined && coverPriority(rules, ours) === undefined)
    return forwardingRules(rules, ours).map((r) => modifyRuleCall(r.arn, r.actions));
  return [{ service: 'elbv2', operation: 'DeleteRule', params: { RuleArn: '<the rule hotspare created>' } }];
}

/** Put the maintenance action ahead of every forwarding rule. Reads first: a cover rule already there (a retry) is kept. */
export async function coverRules(ctx: StepContext, listenerArn: string, action: ListenerAction): Promise<StepOutputs> {
  const rules = await ctx.read(() => ctx.ports.lb.describeRules(listenerArn));
  const existing = rules.find((r) => isCoverRule(r, action));
  if (existing !== undefined) return { coverRuleArn: existing.arn };
  const ours = bypassPredicate(ctx);
  const forwarding = forwardingRules(rules, ours);
  if (forwarding.length === 0) return {};
  const priority = coverPriority(rules, ours);
  if (priority !== undefined) {
    const created = await ctx.mutate(
      createCall(listenerArn, priority, action),
      () => ctx.ports.lb.createRule(listenerArn, priority, EVERY_PATH, [action]),
      {
        before: { coverRule: { listenerArn, priority, action: action as Json } },
        outputs: (r) => ({ coverRuleArn: r.ruleArn }),
      },
    );
    return { coverRuleArn: created.ruleArn };
  }
  ctx.progress(
    `no priority is free ahead of the forwarding rules: replacing the actions of ${forwarding.length} rule(s)`,
  );
  for (const rule of forwarding) {
    await ctx.mutate(modifyRuleCall(rule.arn, [action]), () => ctx.ports.lb.setRuleActions(rule.arn, [action]), {
      before: { [`${RULE_KEY}${rule.arn}`]: rule.actions as unknown as Json },
    });
  }
  return {};
}

/** The forwarding rules that still answer ahead of the maintenance action (`ours`: the staff bypass, meant to). */
export function uncovered(
  rules: readonly ListenerRule[],
  action: ListenerAction,
  ours: (rule: ListenerRule) => boolean = () => false,
): ListenerRule[] {
  const cover = rules.find((r) => isCoverRule(r, action));
  return forwardingRules(rules, ours).filter((r) => cover === undefined || r.priority < cover.priority);
}

/**
 * Take the cover away, reading first: the cover rule deleted if it is there (found by its journaled
 * ARN or by its shape), each replaced rule given its original actions back unless someone changed
 * it since. Returns notes for what was already done.
 */
export async function uncoverRules(
  ctx: StepContext,
  listenerArn: string,
  state: JournaledState<typeof listenerJournal>,
): Promise<string[]> {
  const replaced = Object.entries(state as Record<string, unknown>).filter(([key]) => key.startsWith(RULE_KEY));
  const action: ListenerAction | undefined = state.coverRule?.action ?? state.action;
  if (state.coverRule === undefined && state.coverRuleArn === undefined && replaced.length === 0) return [];
  const rules = await ctx.read(() => ctx.ports.lb.describeRules(listenerArn));
  const notes: string[] = [];
  const cover = rules.find((r) => r.arn === state.coverRuleArn || (action !== undefined && isCoverRule(r, action)));
  if (cover !== undefined)
    await ctx.mutate({ service: 'elbv2', operation: 'DeleteRule', params: { RuleArn: cover.arn } }, () =>
      ctx.ports.lb.deleteRule(cover.arn),
    );
  else if (state.coverRule !== undefined || state.coverRuleArn !== undefined)
    notes.push('the cover rule was already gone');
  for (const [key, original] of replaced) {
    const arn = key.slice(RULE_KEY.length);
    const actions = ruleActions.parse(original);
    const rule = rules.find((r) => r.arn === arn);
    if (rule === undefined) {
      notes.push(`rule ${arn} no longer exists`);
      continue;
    }
    if (sameActions(rule.actions, actions)) continue;
    const answer = terminalAction(rule.actions);
    if (action === undefined || answer === undefined || !same(answer, action))
      throw changedSince(`Listener rule ${arn}`, rule.actions);
    await ctx.mutate(modifyRuleCall(arn, actions), () => ctx.ports.lb.setRuleActions(arn, actions));
  }
  return notes;
}
