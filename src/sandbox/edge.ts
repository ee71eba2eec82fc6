import { CLOUDFRONT_HOSTED_ZONE_ID } from '../domain/cloudfront.js';
import { normalizeDnsName } from '../domain/dns-name.js';
import type { Edge, HostedZoneRef } from '../ports/edge.js';
import type { DnsRecord } from '../ports/index.js';
import type { Runbook } from '../runbook/schema.js';
import { runbookDistribution } from '../runbook/maintenance-https.js';
import { distributionSpec, provisionTarget } from '../site/provision.js';
import type { SandboxDns } from './dns.js';
import { SandboxCertificates } from './edge-certificates.js';
import { SandboxDistributions, type SimDistribution } from './edge-distributions.js';
import { REALISTIC } from './timing.js';
import { randomHex, type World } from './world.js';

/** The sandbox's edge: ACM, CloudFront and the zones of its Route 53, over the sandbox's DNS. */
export interface SandboxEdge extends Edge {
  readonly certificates: SandboxCertificates;
  readonly distributions: SandboxDistributions;
  /** The distribution a resolver reaches for `host` (its alias or CNAME to a distribution's domain), or undefined. */
  distributionAt(host: string): SimDistribution | undefined;
}

/** ACM, CloudFront and the zones, in memory, over the sandbox's DNS (validation and alias records live there). */
export function createSandboxEdge(world: World, dns: SandboxDns): SandboxEdge {
  const certificates = new SandboxCertificates(world, (name, type) => dns.resolve(name, type));
  const distributions = new SandboxDistributions(world, certificates);
  return {
    certificates,
    distributions,
    zones: {
      findZoneFor: async (host: string): Promise<HostedZoneRef | undefined> => {
        world.faults.describeCall('ListHostedZonesByName');
        return dns.zoneFor(host);
      },
    },
    distributionAt: (host) => {
      const record = dns.resolve(host, 'A') ?? dns.resolve(host, 'CNAME');
      const target = record?.aliasTarget?.dnsName ?? record?.values?.[0];
      if (target === undefined) return undefined;
      return distributions.all().find((d) => d.domainName === normalizeDnsName(target));
    },
  };
}

/** The parent domain of a host (`maintenance.example.com` -> `example.com`), the zone the sandbox makes for it. */
function parentDomain(host: string): string {
  const labels = normalizeDnsName(host).split('.');
  return labels.length > 2 ? labels.slice(1).join('.') : labels.join('.');
}

/** The edge's state before the drill, as a fault shape says (see faults.ts). */
export type EdgeShape = 'provisioned' | 'no-distribution' | 'certificate-pending' | 'distribution-in-progress';

/**
 * The account before the drill: the public zone of the runbook's https:// maintenance host and,
 * unless `shape` says otherwise, what `hotspare site provision` made months ago (an issued
 * certificate with its validation record, a Deployed distribution in front of the bucket's
 * website endpoint, alias A/AAAA records, last night's completed invalidation). Nothing for an
 * http:// maintenance URL. The runbook is the one given (public hosts), not the local copy.
 */
export function seedEdge(edge: SandboxEdge, dns: SandboxDns, world: World, runbook: Runbook, shape: EdgeShape): void {
  const host = runbookDistribution(runbook).host;
  const target = provisionTarget({
    ...runbook,
    maintenance: { ...runbook.maintenance, bucket: runbook.maintenance.bucket ?? host },
  });
  if (host === undefined || typeof target === 'string') return;
  const zone = dns.zoneFor(host) ?? { id: `Z${randomHex(20).toUpperCase()}`, name: parentDomain(host) };
  dns.addZone(zone.id, [], zone.name);
  if (shape === 'no-distribution') return;
  const cert = edge.certificates.seed(host, target.tags, 30, shape !== 'certificate-pending');
  if (shape === 'certificate-pending') return;
  const records: DnsRecord[] = cert.validation.map((v) => ({
    name: v.name,
    type: 'CNAME',
    ttl: 300,
    values: [v.value],
  }));
  const deploying = shape === 'distribution-in-progress' ? world.timing.ms(REALISTIC.distributionDeploySeconds) : 0;
  const spec = distributionSpec(target, cert.arn);
  const d = edge.distributions.seed(spec, target.tags, deploying, target.distribution);
  const day = 86_400_000;
  d.invalidations.push({
    id: `I${randomHex(13).toUpperCase()}`,
    paths: ['/index.html', '/hotspare-manifest.json'],
    callerReference: 'seed',
    createdAt: Date.now() - day,
    completedAt: Date.now() - day + 60_000,
  });
  for (const type of ['A', 'AAAA'] as const)
    records.push({
      name: host,
      type,
      aliasTarget: { hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID, dnsName: d.domainName, evaluateTargetHealth: false },
    });
  dns.addZone(zone.id, records, zone.name);
}
