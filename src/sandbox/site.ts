import type { DnsRecord, TargetGroupInfo } from '../ports/index.js';
import type { Runbook } from '../runbook/schema.js';
import { normalizeDnsName } from '../domain/dns-name.js';
import type { AccountShape } from './account-shape.js';
import type { SimListener } from './load-balancer.js';
import { REALISTIC } from './timing.js';
import type { WorldIds } from './world.js';

/**
 * The runbook's target group, shaped as AWS makes it by default (HTTP:80, health check GET / with
 * matcher 200, on the traffic port) unless the account's shape says otherwise; checked every 10 s,
 * 3 to pass (1 for a new target), 2 to fail, 300 s drain (realistic seconds, not ÷ speed).
 */
export function targetGroupFor(ids: WorldIds, shape: AccountShape): TargetGroupInfo {
  const tg = shape.targetGroup;
  return {
    arn: ids.targetGroupArn,
    name: ids.targetGroupName,
    protocol: tg.protocol,
    port: tg.port,
    vpcId: ids.vpcId,
    targetType: 'instance',
    healthCheck: {
      protocol: tg.healthCheck.protocol,
      path: tg.healthCheck.path,
      port: tg.healthCheck.port,
      intervalSeconds: REALISTIC.healthCheckIntervalSeconds,
      timeoutSeconds: REALISTIC.healthCheckTimeoutSeconds,
      healthyThreshold: REALISTIC.healthyThreshold,
      unhealthyThreshold: REALISTIC.unhealthyThreshold,
      matcher: tg.healthCheck.matcher,
    },
    deregistrationDelaySeconds: REALISTIC.deregistrationDelaySeconds,
    loadBalancerArns: [ids.loadBalancerArn],
  };
}

/** The runbook's listener (HTTPS:443 when the site is https, else HTTP:80), forwarding to the target group. */
export function listenerFor(ids: WorldIds, runbook: Runbook, apiRule = false): SimListener {
  const https = runbook.site.url.startsWith('https:');
  return {
    arn: ids.listenerArn,
    port: https ? 443 : 80,
    protocol: https ? 'HTTPS' : 'HTTP',
    defaultActions: [{ Type: 'forward', TargetGroupArn: ids.targetGroupArn }],
    // The `listener-rules` fault: an API path forwarded by a rule, as many accounts have one.
    rules: apiRule
      ? [
          {
            arn: `${ids.listenerArn.replace(':listener/', ':listener-rule/')}/0000000000000010`,
            priority: 10,
            conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }],
            actions: [{ Type: 'forward', TargetGroupArn: ids.targetGroupArn }],
          },
        ]
      : [],
  };
}

/** The site's record as it stands before a failover: a CNAME to the ALB, or an alias A/AAAA. */
export function initialRecord(ids: WorldIds, dns: NonNullable<Runbook['dns']>): DnsRecord {
  if (dns.type === 'CNAME') return { name: dns.recordName, type: 'CNAME', ttl: dns.ttl, values: [ids.albDnsName] };
  return {
    name: dns.recordName,
    type: dns.type,
    aliasTarget: { hostedZoneId: ids.albHostedZoneId, dnsName: ids.albDnsName, evaluateTargetHealth: true },
  };
}

/** Whether a record sends visitors to the load balancer. */
export function pointsAtAlb(record: DnsRecord, ids: WorldIds): boolean {
  const alb = normalizeDnsName(ids.albDnsName);
  const alias =
    record.aliasTarget === undefined
      ? undefined
      : normalizeDnsName(record.aliasTarget.dnsName).replace(/^dualstack\./, '');
  return alias === alb || (record.values ?? []).some((v) => normalizeDnsName(v) === alb);
}

/** `url` with its scheme, host and port replaced by `origin` (`http://127.0.0.1:PORT`); path and query kept. */
export function rehome(url: string, origin: string): string {
  const parsed = new URL(url);
  return `${origin}${parsed.pathname}${parsed.search}`;
}

/** The runbook with the site and maintenance URLs pointing at the local servers. */
export function localRunbook(runbook: Runbook, frontOrigin: string, maintenanceOrigin: string): Runbook {
  const copy = structuredClone(runbook);
  return {
    ...copy,
    site: { ...copy.site, url: rehome(runbook.site.url, frontOrigin) },
    maintenance: { ...copy.maintenance, url: rehome(runbook.maintenance.url, maintenanceOrigin) },
  };
}
