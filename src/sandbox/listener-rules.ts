import type { ListenerCondition, ListenerRule } from '../ports/index.js';

/** An ALB wildcard pattern (`*` any run of characters, `?` one) as a regular expression. */
function wildcard(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, caseInsensitive ? 'i' : '');
}

function valuesOf(condition: ListenerCondition, config: string): string[] {
  const nested = (condition[config] as { Values?: unknown } | undefined)?.Values;
  const values = Array.isArray(nested) ? nested : condition['Values'];
  return Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : [];
}

/** Whether one condition holds for a request. Only path-pattern and host-header are simulated; others never match. */
function holds(condition: ListenerCondition, host: string, path: string): boolean {
  switch (condition['Field']) {
    case 'path-pattern':
      return valuesOf(condition, 'PathPatternConfig').some((p) => wildcard(p, false).test(path));
    case 'host-header':
      return valuesOf(condition, 'HostHeaderConfig').some((p) => wildcard(p, true).test(host));
    default:
      return false;
  }
}

/** The rule that answers a request, as an ALB picks it: the lowest priority whose conditions all hold. */
export function matchingRule(rules: readonly ListenerRule[], host: string, path: string): ListenerRule | undefined {
  return [...rules]
    .sort((a, b) => a.priority - b.priority)
    .find((r) => r.conditions.length > 0 && r.conditions.every((c) => holds(c, host, path)));
}
