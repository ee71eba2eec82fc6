import type { Runbook } from '../runbook/schema.js';
import type { RunEnvironment } from '../domain/types.js';
import { bootSeconds, dnsFailoverSeconds } from './timeline.js';
import type { StrategySummary } from './types.js';

/**
 * How each strategy would fare in this environment, so the operator can choose in the moment.
 * Times are expectations from the target group's settings, not promises. Pure.
 */
export function compareStrategies(runbook: Runbook, env: RunEnvironment): StrategySummary[] {
  const interval = env.targetGroup.healthCheck.intervalSeconds;
  const used = new Set(runbook.steps.map((s) => s.type));
  const ttl = runbook.dns?.ttl;
  return [
    {
      strategy: 'redirect-instance',
      title: 'Redirect instance in the target group',
      timeToMitigationSeconds: bootSeconds(runbook) + interval + 5,
      dependsOnLoadBalancer: true,
      cost: `one ${runbook.redirectServer?.instanceType ?? 'small'} instance while in maintenance`,
      rollback: 're-register the web servers, wait healthy, deregister and terminate the redirect instance',
      used: used.has('launch-redirect'),
    },
    {
      strategy: 'listener-redirect',
      title: 'ALB listener redirect (no instance)',
      timeToMitigationSeconds: 2,
      dependsOnLoadBalancer: true,
      cost: 'none',
      rollback: "restore the listener's original default actions (one ModifyListener)",
      used: used.has('set-listener-redirect'),
    },
    {
      strategy: 'listener-fixed-response',
      title: 'ALB fixed-response page (no maintenance site needed)',
      timeToMitigationSeconds: 2,
      dependsOnLoadBalancer: true,
      cost: 'none',
      rollback: "restore the listener's original default actions (one ModifyListener)",
      used: used.has('set-listener-fixed-response'),
    },
    {
      strategy: 'dns-failover',
      title: 'Route 53 record to the static site',
      timeToMitigationSeconds: dnsFailoverSeconds(runbook),
      dependsOnLoadBalancer: false,
      cost: 'none',
      rollback: `UPSERT the journaled previous record; clients follow within the record's TTL${ttl === undefined ? '' : ` (${ttl} s)`}`,
      used: used.has('dns-failover'),
    },
  ];
}
