import { CLOUDFRONT_HOSTED_ZONE_ID } from '../domain/cloudfront.js';
import { RefusedError } from '../domain/errors.js';
import type { Edge } from '../ports/edge.js';
import type {
  EdgeDistribution,
  EdgeInvalidation,
  HttpsFinding,
  HttpsReadiness,
  ReadinessRequest,
  TlsFacts,
} from '../ports/site.js';
import { certificateCovers, findMaintenanceDistribution } from './maintenance-edge.js';

export { certificateCovers } from './maintenance-edge.js';

/** A certificate that expires sooner than this is a warning: renewal has failed, or it is not managed by ACM. */
export const CERTIFICATE_MIN_DAYS = 14;
const DAY_MS = 86_400_000;

export interface HttpsReadOptions {
  /** CloudFront and ACM, for the distribution, its certificate and its latest invalidation. */
  readonly edge?: (() => Promise<Edge>) | undefined;
  /** Reads the certificate the URL's host presents (a TLS handshake). */
  readonly tls?: ((url: URL) => Promise<TlsFacts>) | undefined;
  readonly now: number;
  /** The manifest the bucket holds (the one published last), or undefined when there is none. */
  readonly bucketManifest?:
    | ((bucket: string) => Promise<{ readonly publishedAt?: string | undefined } | undefined>)
    | undefined;
}

/**
 * The manifest the maintenance URL serves against the one the bucket holds: when they differ,
 * CloudFront still answers from its caches (the last publish's invalidation is not done, or none
 * was made), and visitors get the older copy. Undefined when they agree or cannot be compared.
 */
export function manifestBehind(
  served: string | undefined,
  published: string | undefined,
  invalidation: EdgeInvalidation | undefined,
): HttpsFinding | undefined {
  if (served === undefined || published === undefined || served === published) return undefined;
  const why =
    invalidation !== undefined && invalidation.status !== 'Completed'
      ? `invalidation ${invalidation.id} is still ${invalidation.status}`
      : 'CloudFront still answers from its caches (no invalidation of the last publish has completed)';
  return {
    code: 'maintenance-manifest-behind',
    severity: 'warning',
    message: `The maintenance URL serves the copy published ${served}, not the one the bucket holds (published ${published}): ${why}, so visitors get the older copy. Wait for the invalidation (\`hotspare site publish DIR --distribution ID --wait\`), or run \`hotspare site refresh RUNBOOK\`, which invalidates the changed paths and the manifest.`,
  };
}

function daysLeft(iso: string | undefined, now: number): number | undefined {
  const at = iso === undefined ? NaN : Date.parse(iso);
  return Number.isNaN(at) ? undefined : (at - now) / DAY_MS;
}

/** ` (N days)` left, or nothing when the date is unknown. */
function daysText(iso: string | undefined, now: number): string {
  const left = daysLeft(iso, now);
  return left === undefined ? '' : ` (${Math.floor(left)} days)`;
}

function tlsFindings(tls: TlsFacts, now: number): HttpsFinding[] {
  if (!tls.authorized) {
    return [
      {
        code: 'maintenance-certificate',
        severity: 'danger',
        message: `${tls.host} presents no certificate a browser accepts (${tls.error ?? 'untrusted'}): every visitor of the maintenance site gets a security error.`,
      },
    ];
  }
  const left = daysLeft(tls.validTo, now);
  if (left !== undefined && left < CERTIFICATE_MIN_DAYS) {
    return [
      {
        code: 'maintenance-certificate-expiring',
        severity: 'warning',
        message: `The certificate ${tls.host} presents expires in ${Math.max(0, left).toFixed(1)} days (${tls.validTo}): renew it before it is needed.`,
      },
    ];
  }
  return [];
}

interface EdgeRead {
  readonly distribution?: EdgeDistribution;
  readonly invalidation?: EdgeInvalidation;
  readonly findings: HttpsFinding[];
}

async function readEdge(edge: Edge, request: ReadinessRequest, tlsOk: boolean, now: number): Promise<EdgeRead> {
  const target = request.edge!;
  let found: Awaited<ReturnType<typeof findMaintenanceDistribution>>;
  try {
    found = await findMaintenanceDistribution(edge.distributions, {
      host: target.host,
      configured: target.distribution,
      site: target.site,
    });
  } catch (error) {
    if (!(error instanceof RefusedError)) throw error;
    const message = `${error.message}${error.nextSteps === undefined ? '' : ` ${error.nextSteps}`}`;
    return { findings: [{ code: 'maintenance-distribution-config', severity: 'danger', message }] };
  }
  const summary = found?.summary;
  if (summary === undefined) {
    if (tlsOk) return { findings: [] };
    const which =
      target.distribution === 'managed' ? `with ${target.host} as an alternate domain name` : target.distribution;
    const pending = (await edge.certificates.listCertificates()).find(
      (c) => c.status === 'PENDING_VALIDATION' && certificateCovers([c.domainName], target.host),
    );
    return {
      findings: [
        ...(pending === undefined
          ? []
          : [
              {
                code: 'maintenance-certificate' as const,
                severity: 'danger' as const,
                message: `The certificate ${pending.arn} for ${target.host} is PENDING_VALIDATION: its DNS validation record is not in place, and CloudFront takes only an issued certificate. Run \`hotspare site provision RUNBOOK\` (it writes the record, or prints it when the zone is elsewhere) and let it wait for ISSUED.`,
              },
            ]),
        {
          code: 'maintenance-no-distribution',
          severity: 'danger',
          message: `No CloudFront distribution ${which}: nothing can serve https://${target.host}/ with a certificate. Run \`hotspare site provision RUNBOOK\` ahead of the outage (it takes minutes).`,
        },
      ],
    };
  }
  const [info, invalidations] = await Promise.all([
    edge.distributions.getDistribution(summary.id),
    edge.distributions.listInvalidations(summary.id),
  ]);
  const findings: HttpsFinding[] = [];
  if (!info.aliases.includes(target.host.toLowerCase())) {
    findings.push({
      code: 'maintenance-distribution-config',
      severity: 'danger',
      message: `Distribution ${info.id} does not carry ${target.host} as an alternate domain name: CloudFront refuses its requests. Run \`hotspare site provision RUNBOOK\`.`,
    });
  }
  if (info.status !== 'Deployed') {
    findings.push({
      code: 'maintenance-distribution-deploying',
      severity: 'warning',
      message: `Distribution ${info.id} is ${info.status}: its latest change reaches every edge location only once it is Deployed (usually minutes).`,
    });
  }
  let certificateNames: readonly string[] | undefined;
  if (info.certificateArn === undefined) {
    findings.push({
      code: 'maintenance-certificate',
      severity: 'danger',
      message: `Distribution ${info.id} has no ACM certificate: it cannot present one for ${target.host}.`,
    });
  } else {
    const cert = await edge.certificates.describeCertificate(info.certificateArn);
    certificateNames = cert.subjectAlternativeNames;
    const left = daysLeft(cert.notAfter, now);
    if (cert.status !== 'ISSUED') {
      findings.push({
        code: 'maintenance-certificate',
        severity: 'danger',
        message: `The certificate of distribution ${info.id} is ${cert.status}, not ISSUED${cert.status === 'PENDING_VALIDATION' ? ': its DNS validation records are not in place yet (`hotspare site provision RUNBOOK` writes or prints them)' : ''}.`,
      });
    } else if (!certificateCovers(cert.subjectAlternativeNames, target.host)) {
      findings.push({
        code: 'maintenance-certificate',
        severity: 'danger',
        message: `The certificate of distribution ${info.id} covers ${cert.subjectAlternativeNames.join(', ')}, not ${target.host}: browsers refuse it.`,
      });
    } else if (left !== undefined && left < CERTIFICATE_MIN_DAYS) {
      findings.push({
        code: 'maintenance-certificate-expiring',
        severity: 'warning',
        message: `The certificate of distribution ${info.id} expires in ${Math.max(0, left).toFixed(1)} days (${cert.notAfter}).`,
      });
    }
  }
  const latest = invalidations[0];
  if (latest !== undefined && latest.status !== 'Completed') {
    findings.push({
      code: 'maintenance-invalidation-pending',
      severity: 'warning',
      message: `The last publish is not visible everywhere yet: invalidation ${latest.id} (created ${latest.createTime}) is ${latest.status}; CloudFront may serve the old copy until it completes.`,
    });
  }
  const distribution: EdgeDistribution = {
    id: info.id,
    domainName: info.domainName,
    status: info.status,
    aliases: info.aliases,
    certificateArn: info.certificateArn,
    certificateNames,
  };
  return {
    distribution,
    ...(latest === undefined
      ? {}
      : { invalidation: { id: latest.id, status: latest.status, createTime: latest.createTime } }),
    findings,
  };
}

/**
 * The distribution a DNS failover points the HTTPS site at must exist, carry the site's host as an
 * alternate domain name, and present an issued certificate that covers it; each danger says what
 * fixes it (`hotspare site provision` adds the site's host to the maintenance distribution, with a
 * certificate for both hosts).
 */
async function failoverFindings(
  edge: Edge,
  failover: { readonly host: string; readonly domainName: string },
  maintenanceHost: string | undefined,
): Promise<HttpsFinding[]> {
  const provision = `Run \`hotspare site provision RUNBOOK\`: for a dns-failover runbook it adds ${failover.host} to the maintenance distribution's alternate domain names and gives it a certificate that covers both hosts.`;
  const pointAt = `Point dns.failoverValue at the maintenance distribution (alias:${CLOUDFRONT_HOSTED_ZONE_ID}:ITS-DOMAIN.cloudfront.net; \`hotspare site provision RUNBOOK\` prints its domain), which provision prepares for ${failover.host}.`;
  const danger = (message: string, fix: string): HttpsFinding[] => [
    {
      code: 'dns-failover-certificate',
      severity: 'danger',
      message: `${message}: after the DNS failover every visitor of https://${failover.host}/ gets a TLS error. ${fix}`,
    },
  ];
  const summary = (await edge.distributions.listDistributions()).find(
    (d) => d.domainName.toLowerCase() === failover.domainName,
  );
  if (summary === undefined)
    return danger(`No CloudFront distribution of this account is ${failover.domainName} (dns.failoverValue)`, pointAt);
  // Provision changes the maintenance distribution only; another one is the operator's to fix.
  const fix =
    maintenanceHost === undefined || summary.aliases.includes(maintenanceHost.toLowerCase())
      ? provision
      : `Distribution ${summary.id} is not the maintenance site's (it does not carry ${maintenanceHost}). ${pointAt}`;
  if (!summary.aliases.includes(failover.host))
    return danger(
      `Distribution ${summary.id} (${failover.domainName}) does not carry ${failover.host} as an alternate domain name`,
      fix,
    );
  const info = await edge.distributions.getDistribution(summary.id);
  if (info.certificateArn === undefined)
    return danger(`Distribution ${summary.id} has no ACM certificate for ${failover.host}`, fix);
  const cert = await edge.certificates.describeCertificate(info.certificateArn);
  if (!certificateCovers(cert.subjectAlternativeNames, failover.host))
    return danger(
      `The certificate of distribution ${summary.id} covers ${cert.subjectAlternativeNames.join(', ')}, not ${failover.host}`,
      fix,
    );
  if (cert.status !== 'ISSUED')
    return danger(
      `The certificate of distribution ${summary.id} is ${cert.status}, not ISSUED`,
      cert.status === 'PENDING_VALIDATION'
        ? 'Its DNS validation records are not in place yet: `hotspare site provision RUNBOOK` writes or prints them.'
        : fix,
    );
  return [];
}

/**
 * The maintenance site's HTTPS readiness: the certificate its host presents (valid for the host,
 * not expiring within CERTIFICATE_MIN_DAYS), and with `request.edge` its CloudFront distribution
 * (Deployed, the host as an alternate domain name, an ISSUED certificate that covers it) and the
 * latest invalidation (a publish is not visible until it is Completed). Undefined when there is
 * nothing to read. Never throws: a read that fails is a finding.
 */
export async function readHttps(
  request: ReadinessRequest,
  options: HttpsReadOptions,
): Promise<HttpsReadiness | undefined> {
  const url = new URL(request.url);
  // The certificate visitors get is the public host's (the sandbox reads its copy at a local URL).
  const visited =
    url.protocol === 'https:' || request.edge === undefined ? url : new URL(`https://${request.edge.host}/`);
  const tls = visited.protocol === 'https:' && options.tls !== undefined ? await options.tls(visited) : undefined;
  const wantsEdge = (request.edge !== undefined || request.failover !== undefined) && options.edge !== undefined;
  if (tls === undefined && !wantsEdge) return undefined;
  const findings: HttpsFinding[] = tls === undefined ? [] : tlsFindings(tls, options.now);
  let edge: EdgeRead = { findings: [] };
  if (wantsEdge) {
    try {
      const ports = await options.edge!();
      const [maintenance, failover] = await Promise.all([
        request.edge === undefined
          ? Promise.resolve<EdgeRead>({ findings: [] })
          : readEdge(ports, request, tls?.authorized === true, options.now),
        request.failover === undefined
          ? Promise.resolve([])
          : failoverFindings(ports, request.failover, request.edge?.host),
      ]);
      edge = { ...maintenance, findings: [...maintenance.findings, ...failover] };
    } catch (error) {
      edge = {
        findings: [
          {
            code: 'maintenance-edge-unread',
            severity: 'warning',
            message: `CloudFront or ACM could not be read: ${error instanceof Error ? error.message : String(error)}`,
          },
        ],
      };
    }
  }
  const all = [...findings, ...edge.findings];
  const parts = [
    tls === undefined
      ? undefined
      : tls.authorized
        ? `certificate for ${tls.host} valid until ${tls.validTo?.slice(0, 10) ?? '?'}${daysText(tls.validTo, options.now)}`
        : 'certificate refused',
    edge.distribution === undefined ? undefined : `distribution ${edge.distribution.id} ${edge.distribution.status}`,
    edge.invalidation === undefined ? undefined : `last invalidation ${edge.invalidation.status}`,
  ].filter((p): p is string => p !== undefined);
  return {
    summary: parts.length === 0 ? 'HTTPS not confirmed' : parts.join(', '),
    tls,
    distribution: edge.distribution,
    invalidation: edge.invalidation,
    findings: all,
  };
}
