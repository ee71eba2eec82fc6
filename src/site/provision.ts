import { createHash } from 'node:crypto';
import type { Clock, Dns, DnsRecord } from '../ports/index.js';
import { CLOUDFRONT_HOSTED_ZONE_ID } from '../domain/cloudfront.js';
import { RefusedError } from '../domain/errors.js';
import type {
  CertificateInfo,
  DistributionInfo,
  DistributionSpec,
  Edge,
  HostedZoneRef,
  ValidationRecord,
} from '../ports/edge.js';
import { cloudFrontFailover } from '../runbook/maintenance-https.js';
import type { Runbook } from '../runbook/schema.js';
import {
  certificateCovers,
  findMaintenanceCertificate,
  findMaintenanceDistribution,
  managedTags,
} from './maintenance-edge.js';

/**
 * `hotspare site provision RUNBOOK`: what the maintenance host needs to be served over HTTPS,
 * created where missing and adopted where it exists: an ACM certificate in us-east-1 (DNS
 * validated: its records written into the host's Route 53 zone when it is in the account, printed
 * otherwise), a CloudFront distribution in front of the bucket's website endpoint, and the alias
 * A/AAAA records. Reads first, so a rerun changes nothing and an interrupted run is completed.
 */

/** Every resource hotspare creates carries these tags. */
export function provisionTags(runbook: Runbook): Record<string, string> {
  return managedTags(runbook.name);
}

export interface ProvisionTarget {
  readonly host: string;
  readonly bucket: string;
  /** The bucket's region (the runbook's): its website endpoint is the origin. */
  readonly region: string;
  readonly priceClass: string;
  readonly certificate?: string | undefined;
  readonly distribution?: string | undefined;
  readonly hostedZoneId?: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly name: string;
  /**
   * The site's host, when the runbook's dns-failover step points the HTTPS site at the distribution:
   * it is an alternate name of the distribution too, and the certificate covers it.
   */
  readonly siteHost?: string | undefined;
  /** The site's Route 53 zone (dns.hostedZoneId): where the site host's validation record goes. */
  readonly siteZoneId?: string | undefined;
  /** The CloudFront domain the runbook's failoverValue aliases, if any (to say when it is not the maintenance distribution). */
  readonly failoverDomain?: string | undefined;
}

/** Every host the distribution serves and the certificate covers: the maintenance host, then the site's for a DNS failover. */
export function targetHosts(t: ProvisionTarget): string[] {
  return t.siteHost === undefined ? [t.host] : [t.host, t.siteHost];
}

/** Whether the certificate covers every host of the target. */
export function coversAll(t: ProvisionTarget, cert: CertificateInfo): boolean {
  return targetHosts(t).every((h) => certificateCovers(cert.subjectAlternativeNames, h));
}

/** What the runbook asks for; a usage problem (as a message) when it cannot be provisioned. */
export function provisionTarget(runbook: Runbook): ProvisionTarget | string {
  const url = new URL(runbook.maintenance.url);
  if (url.protocol !== 'https:')
    return `maintenance.url is ${url.protocol}//: provisioning serves the maintenance site over HTTPS; expected an https:// URL such as https://maintenance.example.com/.`;
  if (runbook.maintenance.bucket === undefined)
    return 'maintenance.bucket is missing: expected the bucket the copy is published to (CloudFront serves it).';
  const cf = runbook.maintenance.cloudfront;
  const site = new URL(runbook.site.url);
  const host = url.hostname.toLowerCase();
  const failover =
    runbook.dns !== undefined &&
    site.protocol === 'https:' &&
    site.hostname.toLowerCase() !== host &&
    runbook.steps.some((s) => s.type === 'dns-failover');
  return {
    ...(failover
      ? {
          siteHost: site.hostname.toLowerCase(),
          siteZoneId: runbook.dns?.hostedZoneId.replace(/^\/hostedzone\//, ''),
          failoverDomain: cloudFrontFailover(runbook)?.domainName,
        }
      : {}),
    host: url.hostname.toLowerCase(),
    bucket: runbook.maintenance.bucket,
    region: runbook.region,
    priceClass: cf?.priceClass ?? 'PriceClass_100',
    certificate: cf?.certificate === 'managed' ? undefined : cf?.certificate,
    distribution: cf?.distribution === 'managed' ? undefined : cf?.distribution,
    hostedZoneId: cf?.hostedZoneId?.replace(/^\/hostedzone\//, ''),
    tags: provisionTags(runbook),
    name: runbook.name,
  };
}

/** S3 website hosting's endpoint for the bucket (the origin CloudFront reaches over HTTP). */
export function websiteOrigin(bucket: string, region: string): string {
  return `${bucket}.s3-website-${region}.amazonaws.com`;
}

/** The distribution hotspare makes: the host, the certificate, index.html at the root, the copy's home page for what is missing. */
export function distributionSpec(t: ProvisionTarget, certificateArn: string): DistributionSpec {
  return {
    comment: `hotspare maintenance site for ${t.name}`,
    aliases: targetHosts(t),
    originDomain: websiteOrigin(t.bucket, t.region),
    certificateArn,
    priceClass: t.priceClass,
    defaultRootObject: 'index.html',
    errorResponses: [
      { errorCode: 403, pagePath: '/index.html', responseCode: 404, cachingMinTtl: 60 },
      { errorCode: 404, pagePath: '/index.html', responseCode: 404, cachingMinTtl: 60 },
    ],
  };
}

/** The spec for a distribution that exists: its other alternate names are kept (a DNS failover may have added the site's host). */
export function specFor(t: ProvisionTarget, certificateArn: string, existing?: DistributionInfo): DistributionSpec {
  const spec = distributionSpec(t, certificateArn);
  if (existing === undefined) return spec;
  return {
    ...spec,
    aliases: [...new Set([...spec.aliases, ...existing.aliases])],
    comment: existing.comment ?? spec.comment,
  };
}

const errorKey = (e: { errorCode: number; pagePath: string; responseCode: number; cachingMinTtl: number }): string =>
  `${e.errorCode}->${e.pagePath} ${e.responseCode} (${e.cachingMinTtl} s)`;
const errorList = (list: DistributionInfo['errorResponses']): string =>
  list.length === 0
    ? 'none'
    : [...list]
        .sort((a, b) => a.errorCode - b.errorCode)
        .map(errorKey)
        .join(', ');

/** How an existing distribution differs from what the maintenance site needs, one line per setting (`setting: now -> wanted`). Pure. */
export function distributionDifferences(info: DistributionInfo, spec: DistributionSpec): string[] {
  const out: string[] = [];
  const missing = spec.aliases.filter((a) => !info.aliases.includes(a));
  if (missing.length > 0)
    out.push(
      `alternate names: ${info.aliases.length === 0 ? 'none' : info.aliases.join(', ')} -> ${spec.aliases.join(', ')}`,
    );
  if (info.originDomains.length !== 1 || info.originDomains[0] !== spec.originDomain)
    out.push(`origin: ${info.originDomains.join(', ') || 'none'} -> ${spec.originDomain}`);
  if (info.certificateArn !== spec.certificateArn)
    out.push(
      `certificate: ${info.certificateArn ?? 'CloudFront default (*.cloudfront.net)'} -> ${spec.certificateArn}`,
    );
  if (info.viewerProtocolPolicy !== 'redirect-to-https')
    out.push(`viewer protocol: ${info.viewerProtocolPolicy || 'none'} -> redirect-to-https`);
  if (info.defaultRootObject !== spec.defaultRootObject)
    out.push(`default root object: ${info.defaultRootObject || 'none'} -> ${spec.defaultRootObject}`);
  if (info.priceClass !== spec.priceClass) out.push(`price class: ${info.priceClass} -> ${spec.priceClass}`);
  if (errorList(info.errorResponses) !== errorList(spec.errorResponses))
    out.push(`error pages: ${errorList(info.errorResponses)} -> ${errorList(spec.errorResponses)}`);
  const behaviors = info.cacheBehaviorPaths ?? [];
  if (behaviors.length > 0)
    out.push(
      `cache behaviours for ${behaviors.join(', ')} -> removed (every path is served from the bucket, as the default behaviour says)`,
    );
  return out;
}

/** What exists now, read before anything is changed. */
export interface ProvisionState {
  readonly zone?: HostedZoneRef | undefined;
  readonly certificate?: CertificateInfo | undefined;
  readonly distribution?: DistributionInfo | undefined;
  /** Whether the distribution carries hotspare's tags for this runbook (an adopted one is tagged by provision). */
  readonly distributionTagged: boolean;
  /** Validation records already in the zone, by name. */
  readonly validationInZone: ReadonlySet<string>;
  /** The alias records already pointing at the distribution. */
  readonly aliasesInPlace: ReadonlySet<'A' | 'AAAA'>;
}

export interface ProvisionPorts {
  readonly edge: Edge;
  readonly dns: Pick<Dns, 'getRecord' | 'upsertRecord'>;
  readonly clock: Clock;
}

const trimDot = (s: string): string => s.replace(/\.$/, '').toLowerCase();

/** The zone a certificate's validation record for `domainName` goes into: the site's zone for the site's host, else the maintenance host's. */
function validationZone(t: ProvisionTarget, zone: HostedZoneRef | undefined, domainName: string): string | undefined {
  if (t.siteHost !== undefined && trimDot(domainName) === t.siteHost && t.siteZoneId !== undefined) return t.siteZoneId;
  return zone?.id;
}

/** Whether a new certificate must be requested: none yet, or (managed) the one found lacks a host; an ACM certificate cannot gain names. */
function needsCertificate(t: ProvisionTarget, cert: CertificateInfo | undefined): boolean {
  return cert === undefined || (t.certificate === undefined && !coversAll(t, cert));
}

/** ACM returns the same certificate for the same token within an hour: one token per runbook and set of names. */
function idempotencyToken(t: ProvisionTarget): string {
  if (t.siteHost === undefined) return `hotspare${t.name.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 32);
  return `hotspare${createHash('sha256')
    .update(`${t.name}\n${targetHosts(t).join('\n')}`)
    .digest('hex')}`.slice(0, 32);
}

/** The runbook names a certificate that does not cover every host the distribution must serve. */
function certificateLacksNames(t: ProvisionTarget, cert: CertificateInfo): RefusedError {
  return new RefusedError(
    `Certificate ${cert.arn} (maintenance.cloudfront.certificate) covers ${cert.subjectAlternativeNames.join(', ')}, not ${targetHosts(t).join(' and ')}: the dns-failover step points ${t.siteHost ?? t.host} at the maintenance distribution, so its certificate must cover both hosts, and an ACM certificate cannot gain names.`,
    {
      code: 'CertificateMissingNames',
      nextSteps: `Request a certificate in us-east-1 for ${targetHosts(t).join(' and ')} and name it in maintenance.cloudfront.certificate, or write maintenance.cloudfront.certificate: managed and let \`hotspare site provision\` request it.`,
    },
  );
}

/** Reads everything provisioning depends on. */
export async function readProvisionState(ports: ProvisionPorts, t: ProvisionTarget): Promise<ProvisionState> {
  const { edge, dns } = ports;
  const [zone, certificate, summary] = await Promise.all([
    t.hostedZoneId !== undefined ? Promise.resolve({ id: t.hostedZoneId, name: '' }) : edge.zones.findZoneFor(t.host),
    findMaintenanceCertificate(edge.certificates, {
      host: t.host,
      configured: t.certificate,
      site: t.name,
      alsoCovers: t.siteHost === undefined ? undefined : [t.siteHost],
    }),
    findMaintenanceDistribution(edge.distributions, { host: t.host, configured: t.distribution, site: t.name }),
  ]);
  const distribution = summary === undefined ? undefined : await edge.distributions.getDistribution(summary.summary.id);
  const validationInZone = new Set<string>();
  const aliasesInPlace = new Set<'A' | 'AAAA'>();
  for (const v of certificate?.validation ?? []) {
    const zoneId = validationZone(t, zone, v.domainName);
    if (zoneId === undefined) continue;
    const record = await dns.getRecord(zoneId, v.name, v.type);
    if (record?.values?.some((x) => trimDot(x) === trimDot(v.value)) === true) validationInZone.add(trimDot(v.name));
  }
  if (zone !== undefined) {
    if (distribution !== undefined) {
      for (const type of ['A', 'AAAA'] as const) {
        const record = await dns.getRecord(zone.id, t.host, type);
        if (
          record?.aliasTarget !== undefined &&
          trimDot(record.aliasTarget.dnsName) === trimDot(distribution.domainName)
        )
          aliasesInPlace.add(type);
      }
    }
  }
  return {
    zone,
    certificate,
    distribution,
    distributionTagged: summary?.tagged ?? false,
    validationInZone,
    aliasesInPlace,
  };
}

/** One change provisioning would make, as shown before it is confirmed. */
export interface ProvisionAction {
  readonly kind:
    | 'request-certificate'
    | 'validation-records'
    | 'print-validation-records'
    | 'wait-certificate'
    | 'create-distribution'
    | 'alias-records'
    | 'update-distribution'
    | 'tag-distribution';
  readonly title: string;
  /** For an update: each setting that changes (`setting: now -> wanted`). */
  readonly changes?: readonly string[] | undefined;
  /** The API call(s), as `service Operation {params}`. */
  readonly calls: readonly string[];
}

function aliasRecord(host: string, type: 'A' | 'AAAA', domainName: string): DnsRecord {
  return {
    name: host,
    type,
    aliasTarget: { hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID, dnsName: domainName, evaluateTargetHealth: false },
  };
}

function validationRecord(v: ValidationRecord): DnsRecord {
  return { name: v.name, type: v.type, ttl: 300, values: [v.value] };
}

/** What is missing, in order. Pure. */
export function planProvision(t: ProvisionTarget, s: ProvisionState): ProvisionAction[] {
  const out: ProvisionAction[] = [];
  const found = s.certificate;
  if (found !== undefined && t.certificate !== undefined && !coversAll(t, found)) throw certificateLacksNames(t, found);
  const fresh = needsCertificate(t, found);
  const cert = fresh ? undefined : found;
  if (fresh) {
    const hosts = targetHosts(t);
    const names = hosts.join(' and ');
    out.push({
      kind: 'request-certificate',
      title:
        found === undefined
          ? `Request an ACM certificate for ${names} in us-east-1 (DNS validation)`
          : `Certificate ${found.arn} covers ${found.subjectAlternativeNames.join(', ')} only, and an ACM certificate cannot gain names: request a new one for ${names} in us-east-1 (DNS validation), validate it, then switch the distribution to it (the old one stays; delete it once nothing uses it)`,
      calls: [
        `acm RequestCertificate ${JSON.stringify({ DomainName: t.host, ...(hosts.length > 1 ? { SubjectAlternativeNames: hosts } : {}), ValidationMethod: 'DNS', Tags: t.tags })}`,
      ],
    });
  }
  if (cert === undefined || cert.status === 'PENDING_VALIDATION') {
    const missing = (cert?.validation ?? []).filter((v) => !s.validationInZone.has(trimDot(v.name)));
    const zones = [...new Set(targetHosts(t).map((h) => validationZone(t, s.zone, h)))];
    if (zones.includes(undefined))
      out.push({
        kind: 'print-validation-records',
        title: `No Route 53 zone of this account holds ${t.host}: the validation record(s) are printed for you to add`,
        calls: [],
      });
    if (zones.some((z) => z !== undefined) && (cert === undefined || missing.length > 0)) {
      const records =
        cert === undefined
          ? ['(the CNAME ACM names for each name of the new certificate)']
          : missing.map((v) => `${v.name} CNAME ${v.value}`);
      out.push({
        kind: 'validation-records',
        title: `Write the DNS validation record(s) into zone ${zones.filter((z) => z !== undefined).join(' and ')}`,
        calls: records.map((r) => `route53 ChangeResourceRecordSets UPSERT ${r}`),
      });
    }
    out.push({
      kind: 'wait-certificate',
      title: 'Wait until the certificate is ISSUED',
      calls: ['acm DescribeCertificate (polled)'],
    });
  }
  if (s.distribution === undefined) {
    out.push({
      kind: 'create-distribution',
      title: `Create a CloudFront distribution for ${t.host} in front of ${websiteOrigin(t.bucket, t.region)}`,
      calls: [
        `cloudfront CreateDistributionWithTags ${JSON.stringify({ Aliases: targetHosts(t), Origin: websiteOrigin(t.bucket, t.region), ViewerProtocolPolicy: 'redirect-to-https', PriceClass: t.priceClass, DefaultRootObject: 'index.html', Tags: t.tags })}`,
      ],
    });
  }
  if (s.distribution !== undefined) {
    const d = s.distribution;
    const changes = distributionDifferences(d, specFor(t, cert?.arn ?? '(the new certificate)', d));
    if (changes.length > 0)
      out.push({
        kind: 'update-distribution',
        title: `Update distribution ${d.id} (${d.domainName}) to what the maintenance site needs`,
        changes,
        calls: [
          `cloudfront GetDistributionConfig ${JSON.stringify({ Id: d.id })}`,
          `cloudfront UpdateDistribution ${JSON.stringify({ Id: d.id, IfMatch: '(the ETag just read)' })}`,
        ],
      });
    if (!s.distributionTagged)
      out.push({
        kind: 'tag-distribution',
        title: `Tag distribution ${d.id} as the maintenance site's (adopted: found by ${t.distribution === undefined ? 'its alternate domain name' : 'its id'})`,
        calls: [`cloudfront TagResource ${JSON.stringify({ Resource: d.arn, Tags: t.tags })}`],
      });
  }
  if (s.zone !== undefined) {
    const types = (['A', 'AAAA'] as const).filter((type) => !s.aliasesInPlace.has(type));
    if (types.length > 0) {
      const target = s.distribution?.domainName ?? '(the new distribution)';
      out.push({
        kind: 'alias-records',
        title: `Point ${t.host} (${types.join(', ')}) at the distribution`,
        calls: types.map(
          (type) =>
            `route53 ChangeResourceRecordSets UPSERT ${t.host} ${type} alias ${CLOUDFRONT_HOSTED_ZONE_ID} ${target}`,
        ),
      });
    }
  }
  return out;
}

export interface ProvisionEvents {
  /** Before and after each mutating call (the journal). */
  readonly journal: (entry: {
    readonly phase: 'sending' | 'sent' | 'failed';
    readonly call: string;
    readonly detail?: unknown;
  }) => void;
  readonly progress: (line: string) => void;
  readonly print: (line: string) => void;
}

export interface ProvisionResult {
  readonly certificateArn?: string | undefined;
  readonly certificateStatus?: string | undefined;
  readonly distributionId?: string | undefined;
  readonly distributionDomain?: string | undefined;
  /** False when the certificate was not ISSUED within the wait: rerun to go on. */
  readonly complete: boolean;
  readonly validationRecords: readonly ValidationRecord[];
}

async function journaled<T>(events: ProvisionEvents, call: string, send: () => Promise<T>): Promise<T> {
  events.journal({ phase: 'sending', call });
  try {
    const result = await send();
    events.journal({ phase: 'sent', call, detail: result });
    return result;
  } catch (error) {
    events.journal({ phase: 'failed', call, detail: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

/** Applies the plan: each step reads what the last one made; stops (incomplete) when the certificate is not issued in time. */
export async function applyProvision(
  ports: ProvisionPorts,
  t: ProvisionTarget,
  state: ProvisionState,
  events: ProvisionEvents,
  waitMs: number,
): Promise<ProvisionResult> {
  const { edge, dns, clock } = ports;
  let cert = state.certificate;
  if (cert !== undefined && t.certificate !== undefined && !coversAll(t, cert)) throw certificateLacksNames(t, cert);
  if (cert === undefined || needsCertificate(t, cert)) {
    const made = await journaled(events, 'acm RequestCertificate', () =>
      edge.certificates.requestCertificate({
        domainName: t.host,
        subjectAlternativeNames: t.siteHost === undefined ? [] : [t.siteHost],
        idempotencyToken: idempotencyToken(t),
        tags: t.tags,
      }),
    );
    cert = await edge.certificates.describeCertificate(made.arn);
  }
  // ACM names the validation records a few seconds after the request (one per name).
  const named = (c: CertificateInfo): boolean =>
    targetHosts(t).every((h) => c.validation.some((v) => trimDot(v.domainName) === h));
  for (let i = 0; cert.status === 'PENDING_VALIDATION' && !named(cert) && i < 30; i++) {
    await clock.sleep(2000);
    cert = await edge.certificates.describeCertificate(cert.arn);
  }
  if (cert.status === 'PENDING_VALIDATION') {
    const missing = cert.validation.filter((v) => !state.validationInZone.has(trimDot(v.name)));
    const written = new Set<string>();
    for (const v of missing) {
      const zoneId = validationZone(t, state.zone, v.domainName);
      // The same CNAME can validate several names (ACM reuses it per domain): one write each.
      if (written.has(trimDot(v.name))) continue;
      written.add(trimDot(v.name));
      if (zoneId === undefined) events.print(`Add to the DNS of ${v.domainName}: ${v.name} CNAME ${v.value}`);
      else
        await journaled(events, `route53 ChangeResourceRecordSets UPSERT ${v.name} CNAME`, () =>
          dns.upsertRecord(zoneId, validationRecord(v)),
        );
    }
    const started = clock.now();
    while (cert.status === 'PENDING_VALIDATION' && clock.now() - started < waitMs) {
      events.progress(
        `certificate ${cert.status}, ${Math.round((clock.now() - started) / 1000)} s of at most ${Math.round(waitMs / 1000)} s`,
      );
      await clock.sleep(Math.min(5000, waitMs));
      cert = await edge.certificates.describeCertificate(cert.arn);
    }
  }
  if (cert.status !== 'ISSUED') {
    return {
      certificateArn: cert.arn,
      certificateStatus: cert.status,
      complete: false,
      validationRecords: cert.validation,
      distributionId: state.distribution?.id,
    };
  }
  let distribution = state.distribution;
  if (distribution === undefined) {
    const spec = distributionSpec(t, cert.arn);
    const made = await journaled(events, 'cloudfront CreateDistributionWithTags', () =>
      edge.distributions.createDistribution(spec, `hotspare-${t.name}-${t.host}`, t.tags),
    );
    distribution = made.distribution;
  } else {
    const existing = distribution;
    const spec = specFor(t, cert.arn, existing);
    if (distributionDifferences(existing, spec).length > 0) {
      const made = await journaled(events, `cloudfront UpdateDistribution ${existing.id}`, () =>
        edge.distributions.updateDistribution(existing.id, spec),
      );
      distribution = made.distribution;
    }
    if (!state.distributionTagged) {
      const tagResource = edge.distributions.tagResource;
      if (tagResource === undefined) events.print(`Tag distribution ${existing.id}: ${JSON.stringify(t.tags)}.`);
      else
        await journaled(events, `cloudfront TagResource ${existing.id}`, () =>
          tagResource.call(edge.distributions, existing.arn, t.tags),
        );
    }
  }
  if (state.zone !== undefined) {
    for (const type of ['A', 'AAAA'] as const) {
      if (state.aliasesInPlace.has(type)) continue;
      await journaled(events, `route53 ChangeResourceRecordSets UPSERT ${t.host} ${type} alias`, () =>
        dns.upsertRecord(state.zone!.id, aliasRecord(t.host, type, distribution!.domainName)),
      );
    }
  } else {
    events.print(`Point ${t.host} at ${distribution.domainName} (an alias, or a CNAME) in its DNS.`);
  }
  if (t.siteHost !== undefined && t.failoverDomain !== trimDot(distribution.domainName))
    events.print(
      `The dns-failover step points ${t.siteHost} at ${t.failoverDomain ?? 'something other than a CloudFront distribution'}, not at the maintenance distribution: write dns.failoverValue: alias:${CLOUDFRONT_HOSTED_ZONE_ID}:${distribution.domainName} (type A).`,
    );
  return {
    certificateArn: cert.arn,
    certificateStatus: cert.status,
    distributionId: distribution.id,
    distributionDomain: distribution.domainName,
    complete: true,
    validationRecords: cert.validation,
  };
}
