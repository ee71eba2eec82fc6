import {
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeRulesCommand,
  ModifyRuleCommand,
  type Action,
  type ElasticLoadBalancingV2Client,
  type Rule,
  type RuleCondition,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { BugError } from '../domain/errors.js';
import type { ListenerAction, ListenerCondition, ListenerRule, LoadBalancer } from '../ports/index.js';
import { stripUndefined } from './json.js';
import { receiptOf } from './receipt.js';

type Call = <T>(operation: string, resource: string, send: () => Promise<T>) => Promise<T>;

/** The listener-rule part of the LoadBalancer port over ELBv2; writes go through `writer` (no SDK retry). */
export function ruleMethods(
  client: ElasticLoadBalancingV2Client,
  writer: ElasticLoadBalancingV2Client,
  call: Call,
): Pick<LoadBalancer, 'describeRules' | 'createRule' | 'deleteRule' | 'setRuleActions'> {
  return {
    describeRules: async (listenerArn) => {
      const rules: ListenerRule[] = [];
      let Marker: string | undefined;
      do {
        const out = await call('DescribeRules', listenerArn, () =>
          client.send(new DescribeRulesCommand({ ListenerArn: listenerArn, Marker })),
        );
        for (const rule of out.Rules ?? []) if (rule.IsDefault !== true) rules.push(toRule(rule));
        Marker = out.NextMarker;
      } while (Marker !== undefined && Marker !== '');
      return rules.sort((a, b) => a.priority - b.priority);
    },
    createRule: async (listenerArn, priority, conditions, actions) => {
      const input = {
        ListenerArn: listenerArn,
        Priority: priority,
        Conditions: conditions.map(asCondition),
        Actions: actions.map(asAction),
      };
      const out = await call('CreateRule', listenerArn, () => writer.send(new CreateRuleCommand(input)));
      const ruleArn = out.Rules?.[0]?.RuleArn;
      if (ruleArn === undefined) throw new BugError('CreateRule returned no rule.', { code: 'NoRuleReturned' });
      return { ...receiptOf(out), ruleArn };
    },
    deleteRule: async (ruleArn) =>
      receiptOf(await call('DeleteRule', ruleArn, () => writer.send(new DeleteRuleCommand({ RuleArn: ruleArn })))),
    setRuleActions: async (ruleArn, actions) =>
      receiptOf(
        await call('ModifyRule', ruleArn, () =>
          writer.send(new ModifyRuleCommand({ RuleArn: ruleArn, Actions: actions.map(asAction) })),
        ),
      ),
  };
}

function asAction(action: ListenerAction): Action {
  return stripUndefined(action) as unknown as Action;
}

function asCondition(condition: ListenerCondition): RuleCondition {
  return stripUndefined(condition) as unknown as RuleCondition;
}

function toRule(rule: Rule): ListenerRule {
  return {
    arn: rule.RuleArn ?? '',
    priority: Number(rule.Priority),
    conditions: (rule.Conditions ?? []).map((c) => stripUndefined(c) as ListenerCondition),
    actions: (rule.Actions ?? []).map((a) => stripUndefined(a) as ListenerAction),
  };
}
