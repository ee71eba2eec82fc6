import type { DnsRecord } from '../ports/index.js';

/**
 * DNS names and records as Route 53 compares them. The one home of these rules: the Route 53
 * adapter, the sandbox's DNS, the DNS step and the IAM policy all use them.
 */

/**
 * A DNS name as Route 53 compares it (and as IAM's `route53:ChangeResourceRecordSetsNormalizedRecordNames`
 * expects it): octal escapes such as `\052` decoded, lower-case, no trailing dot.
 */
export function normalizeDnsName(name: string): string {
  const decoded = name.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return decoded.toLowerCase().replace(/\.$/, '');
}

/** A hosted zone id without the `/hostedzone/` prefix the API sometimes adds. */
export function bareHostedZoneId(id: string): string {
  return id.replace(/^\/hostedzone\//, '');
}

/** Record types whose values are themselves DNS names (compared as names, not as text). */
const NAME_VALUED = new Set(['CNAME', 'NS', 'PTR']);

/**
 * The parts of a record that say where it sends resolvers, normalized: name, type, TTL (not for
 * aliases: Route 53 gives them none), values (sorted; names normalized for CNAME) and alias target.
 */
export function comparableRecord(record: DnsRecord | undefined): unknown {
  if (record === undefined) return undefined;
  const value = NAME_VALUED.has(record.type) ? normalizeDnsName : (v: string) => v;
  const alias = record.aliasTarget;
  return {
    name: normalizeDnsName(record.name),
    type: record.type,
    ttl: alias === undefined ? record.ttl : undefined,
    values: record.values === undefined ? undefined : record.values.map(value).sort(),
    alias:
      alias === undefined
        ? undefined
        : {
            hostedZoneId: bareHostedZoneId(alias.hostedZoneId),
            dnsName: normalizeDnsName(alias.dnsName),
            evaluateTargetHealth: alias.evaluateTargetHealth,
          },
  };
}

/** Whether two records send resolvers to the same answer (see `comparableRecord`). */
export function sameDnsRecord(a: DnsRecord | undefined, b: DnsRecord | undefined): boolean {
  return JSON.stringify(comparableRecord(a)) === JSON.stringify(comparableRecord(b));
}
