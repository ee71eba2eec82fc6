import { estimateText, type HealthCheckTiming } from '../domain/failover-timing.js';
import type { SiteHealthCheckSpec } from '../ports/armed.js';
import type { DnsRecord } from '../ports/index.js';
import { parseFailoverValue } from '../runbook/formats.js';
import type { Runbook } from '../runbook/schema.js';

/**
 * What `hotspare arm` sets up, from the runbook alone (pure): the health check on the live site and
 * the PRIMARY/SECONDARY failover pair for dns.recordName. The runbook schema has already refused an
 * `armed` section without a dns section, a marker, or an alias secondary.
 */

type Armed = NonNullable<Runbook['armed']>;

/** The health check: the site's host, port, path and marker unless the runbook says otherwise. */
export function healthCheckSpec(runbook: Runbook, armed: Armed): SiteHealthCheckSpec {
  const url = new URL(runbook.site.url);
  const protocol = armed.healthCheck.protocol ?? (url.protocol === 'https:' ? 'HTTPS' : 'HTTP');
  return {
    host: url.hostname,
    protocol,
    port: armed.healthCheck.port ?? (url.port === '' ? (protocol === 'HTTPS' ? 443 : 80) : Number(url.port)),
    path: armed.healthCheck.path ?? `${url.pathname}${url.search}`,
    searchString: armed.healthCheck.searchString ?? runbook.site.expectText ?? '',
    intervalSeconds: armed.healthCheck.intervalSeconds ?? 30,
    failureThreshold: armed.healthCheck.failureThreshold ?? 3,
  };
}

export function timingOf(spec: SiteHealthCheckSpec): HealthCheckTiming {
  return { intervalSeconds: spec.intervalSeconds, failureThreshold: spec.failureThreshold };
}

/** "Fails over by itself in ~N s (at most M s: ...)". */
export function armedEstimateText(spec: SiteHealthCheckSpec): string {
  return estimateText(timingOf(spec));
}

/** The load balancer a PRIMARY alias points at. */
export interface LoadBalancerAlias {
  readonly dnsName: string;
  readonly canonicalHostedZoneId: string;
}

export const PRIMARY_ID = 'hotspare-primary';
export const SECONDARY_ID = 'hotspare-secondary';

/** The failover pair: PRIMARY alias to the load balancer with the health check, SECONDARY alias to the maintenance copy. */
export function failoverPair(
  runbook: Runbook,
  armed: Armed,
  lb: LoadBalancerAlias,
  healthCheckId: string,
): [DnsRecord, DnsRecord] {
  const dns = runbook.dns!;
  const type = dns.type === 'AAAA' ? 'AAAA' : 'A';
  const secondary = parseFailoverValue(armed.secondary ?? dns.failoverValue);
  if (secondary.kind !== 'alias') throw new RangeError('the armed secondary must be an alias (refused by the schema)');
  return [
    {
      name: dns.recordName,
      type,
      setIdentifier: PRIMARY_ID,
      failover: 'PRIMARY',
      healthCheckId,
      aliasTarget: { hostedZoneId: lb.canonicalHostedZoneId, dnsName: lb.dnsName, evaluateTargetHealth: true },
    },
    {
      name: dns.recordName,
      type,
      setIdentifier: SECONDARY_ID,
      failover: 'SECONDARY',
      aliasTarget: { hostedZoneId: secondary.hostedZoneId, dnsName: secondary.dnsName, evaluateTargetHealth: false },
    },
  ];
}
