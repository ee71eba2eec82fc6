import type { ListenerAction, ListenerCondition, ListenerRule } from '../ports/index.js';

/**
 * Listener rules as a failover sees them: a rule that forwards sends its traffic to a target group
 * (the origin) before the default action is looked at, so a listener strategy must cover it.
 */

/** The condition of the rule that covers every request: any path. */
export const EVERY_PATH: readonly ListenerCondition[] = [{ Field: 'path-pattern', Values: ['/*'] }];

const TERMINAL = new Set(['forward', 'redirect', 'fixed-response']);

/** The action that answers: the first forward/redirect/fixed-response by `Order` (authenticate actions are skipped). */
export function terminalAction(actions: readonly ListenerAction[]): ListenerAction | undefined {
  const order = (a: ListenerAction): number => (typeof a['Order'] === 'number' ? a['Order'] : Number.MAX_SAFE_INTEGER);
  return [...actions].sort((a, b) => order(a) - order(b)).find((a) => TERMINAL.has(String(a['Type'])));
}

/** Target group ARNs a forward action names (TargetGroupArn or ForwardConfig.TargetGroups). */
export function forwardedGroups(action: ListenerAction | undefined): string[] {
  if (action?.['Type'] !== 'forward') return [];
  const direct = typeof action['TargetGroupArn'] === 'string' ? [action['TargetGroupArn']] : [];
  const config = action['ForwardConfig'] as { TargetGroups?: { TargetGroupArn?: unknown }[] } | undefined;
  const weighted = (config?.TargetGroups ?? [])
    .map((g) => g.TargetGroupArn)
    .filter((a): a is string => typeof a === 'string');
  return [...new Set([...direct, ...weighted])];
}

/** The rules whose answer is a forward to some target group (`except`: hotspare's own, the staff bypass). */
export function forwardingRules(
  rules: readonly ListenerRule[],
  except: (rule: ListenerRule) => boolean = () => false,
): ListenerRule[] {
  return rules.filter((r) => terminalAction(r.actions)?.['Type'] === 'forward' && !except(r));
}

/**
 * The priority for one rule that answers every request ahead of every forwarding rule: the lowest
 * free priority below all of them. Undefined when no rule forwards (none is needed) or when no
 * priority is free below them (a forwarding rule holds priority 1, say). Rules `except` picks (the
 * staff bypass, which must stay ahead of the cover) are not covered, but their priorities are taken.
 */
export function coverPriority(
  rules: readonly ListenerRule[],
  except: (rule: ListenerRule) => boolean = () => false,
): number | undefined {
  const forwarding = forwardingRules(rules, except);
  if (forwarding.length === 0) return undefined;
  const first = Math.min(...forwarding.map((r) => r.priority));
  const used = new Set(rules.map((r) => r.priority));
  for (let p = 1; p < first; p++) if (!used.has(p)) return p;
  return undefined;
}

function conditionText(c: ListenerCondition): string {
  const field = String(c['Field'] ?? '?');
  const nested = Object.values(c).find(
    (v): v is { Values: unknown[] } =>
      v !== null && typeof v === 'object' && Array.isArray((v as { Values?: unknown }).Values),
  );
  const values = (nested?.Values ?? (Array.isArray(c['Values']) ? c['Values'] : [])) as unknown[];
  return `${field} ${values.map(String).join(',')}`;
}

/** A rule in a line: `priority 10 (path-pattern /api/*) -> forward to api-tg`. */
export function ruleText(
  rule: ListenerRule,
  groupName: (arn: string) => string = (arn) => arn.split('/')[1] ?? arn,
): string {
  const action = terminalAction(rule.actions);
  const to =
    action?.['Type'] === 'forward'
      ? `forward to ${forwardedGroups(action).map(groupName).join(', ')}`
      : String(action?.['Type'] ?? 'no action');
  return `priority ${rule.priority} (${rule.conditions.map(conditionText).join(' and ')}) -> ${to}`;
}
