import { RefusedError } from '../domain/errors.js';
import type { CertificateInfo, Certificates, Distributions, DistributionSummary } from '../ports/edge.js';

/**
 * Finding the maintenance site's CloudFront distribution and ACM certificate: the one place every
 * command (provision, publish, readiness, arm/disarm) asks. "managed" means found by the tags
 * `hotspare site provision` puts on what it makes (`hotspare:managed-by: hotspare` and
 * `hotspare:site: RUNBOOK-NAME`); an untagged one that carries the maintenance host (as alternate
 * domain name, or certificate name) is found too, so that provision can ADOPT it (and tag it).
 * Two tagged candidates, or a tagged one that does not carry the host, is refused with both named:
 * hotspare never guesses which distribution it may change.
 */

/** Whether a certificate's names cover `host` (a wildcard covers one label). */
export function certificateCovers(names: readonly string[], host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return names.some((raw) => {
    const n = raw.toLowerCase().replace(/\.$/, '');
    if (n === h) return true;
    return n.startsWith('*.') && h.endsWith(n.slice(1)) && !h.slice(0, h.length - n.length + 1).includes('.');
  });
}

/** The tags provision puts on everything it makes for the runbook named `site`. */
export function managedTags(site: string): Record<string, string> {
  return { 'hotspare:site': site, 'hotspare:managed-by': 'hotspare' };
}

function isManaged(tags: Readonly<Record<string, string>>, site: string): boolean {
  return tags['hotspare:managed-by'] === 'hotspare' && tags['hotspare:site'] === site;
}

export interface DistributionQuery {
  /** The maintenance host (lower case): the alternate domain name the distribution must carry. */
  readonly host: string;
  /** An id from the runbook, or `managed` / undefined (found by tag, else by alternate domain name). */
  readonly configured?: string | undefined;
  /** The runbook's name: the `hotspare:site` tag. Without it only the id and the alternate name find one. */
  readonly site?: string | undefined;
}

export interface FoundDistribution {
  readonly summary: DistributionSummary;
  /** How it was found: the runbook's id, hotspare's tags, or its alternate domain name (an untagged one to adopt). */
  readonly by: 'id' | 'tag' | 'alias';
  /** Whether it carries hotspare's tags for this runbook. */
  readonly tagged: boolean;
}

function describe(d: DistributionSummary): string {
  return `${d.id} (${d.domainName}, alternate names ${d.aliases.length === 0 ? 'none' : d.aliases.join(', ')})`;
}

/** The maintenance distribution, or undefined when there is none; refuses (MaintenanceEdgeConflict) when the tags are ambiguous. */
export async function findMaintenanceDistribution(
  distributions: Distributions,
  query: DistributionQuery,
): Promise<FoundDistribution | undefined> {
  const all = await distributions.listDistributions();
  const host = query.host.toLowerCase();
  const tagsOf = async (d: DistributionSummary): Promise<boolean> =>
    query.site !== undefined && isManaged(await distributions.tagsOf(d.arn), query.site);
  if (query.configured !== undefined && query.configured !== 'managed') {
    const byId = all.find((d) => d.id === query.configured);
    return byId === undefined ? undefined : { summary: byId, by: 'id', tagged: await tagsOf(byId) };
  }
  const flags = query.site === undefined ? all.map(() => false) : await Promise.all(all.map(tagsOf));
  const tagged = all.filter((_, i) => flags[i]);
  const byAlias = all.find((d) => d.aliases.includes(host));
  if (tagged.length > 1)
    throw new RefusedError(
      `Distributions ${tagged.map(describe).join(' and ')} are both tagged hotspare:site=${query.site ?? ''}: hotspare cannot tell which one serves ${host}.`,
      {
        code: 'MaintenanceEdgeConflict',
        nextSteps: `Remove the hotspare:site tag from the one that is not the maintenance site's, or name the right one in the runbook (maintenance.cloudfront.distribution: ID).`,
      },
    );
  const mine = tagged[0];
  if (mine !== undefined && !mine.aliases.includes(host))
    throw new RefusedError(
      `Distribution ${describe(mine)} is tagged hotspare:site=${query.site ?? ''} but does not carry ${host}` +
        `${byAlias === undefined ? '' : `; distribution ${describe(byAlias)} does`}: hotspare will not guess which one is the maintenance site's.`,
      {
        code: 'MaintenanceEdgeConflict',
        nextSteps: `Fix the runbook's maintenance.url, or remove the hotspare:site tag from ${mine.id}, or name the right distribution in the runbook (maintenance.cloudfront.distribution: ID).`,
      },
    );
  if (mine !== undefined) return { summary: mine, by: 'tag', tagged: true };
  return byAlias === undefined ? undefined : { summary: byAlias, by: 'alias', tagged: false };
}

export interface CertificateQuery {
  readonly host: string;
  /** An ARN from the runbook, or `managed` / undefined. */
  readonly configured?: string | undefined;
  readonly site: string;
  /** Other names the certificate should cover too (the site's host, for a DNS failover to the distribution). */
  readonly alsoCovers?: readonly string[] | undefined;
}

/**
 * Of several certificates tagged for the runbook, the one in use: the only one covering every name
 * asked for, else the one whose names include every other's (an ACM certificate cannot gain names,
 * so provision replaces it by one for more names, and the older one stays until it is deleted).
 */
function currentOf(tagged: readonly CertificateInfo[], names: readonly string[]): CertificateInfo | undefined {
  const covering = tagged.filter((c) => names.every((n) => certificateCovers(c.subjectAlternativeNames, n)));
  if (covering.length === 1) return covering[0];
  const pool = covering.length > 1 ? covering : tagged;
  const widest = pool.find((c) =>
    pool.every((o) => o === c || o.subjectAlternativeNames.every((n) => c.subjectAlternativeNames.includes(n))),
  );
  return widest !== undefined &&
    pool
      .filter((o) => o !== widest)
      .every((o) => o.subjectAlternativeNames.length < widest.subjectAlternativeNames.length)
    ? widest
    : undefined;
}

/**
 * The maintenance certificate (in us-east-1): the runbook's ARN; else the one tagged for this runbook
 * (pending or issued; of several, the one covering every name asked for, see currentOf); else an
 * untagged one that covers the host (one covering `alsoCovers` too first, then issued first), to
 * adopt. Refuses (MaintenanceEdgeConflict) when two are tagged and none is the current one, or the
 * tagged one does not cover the host.
 */
export async function findMaintenanceCertificate(
  certificates: Certificates,
  query: CertificateQuery,
): Promise<CertificateInfo | undefined> {
  if (query.configured !== undefined && query.configured !== 'managed')
    return certificates.describeCertificate(query.configured);
  const host = query.host.toLowerCase();
  const described = await Promise.all(
    (await certificates.listCertificates())
      .filter((c) => c.status === 'ISSUED' || c.status === 'PENDING_VALIDATION')
      .map((c) => certificates.describeCertificate(c.arn)),
  );
  const allTagged = described.filter((c) => isManaged(c.tags, query.site));
  const current = allTagged.length > 1 ? currentOf(allTagged, [host, ...(query.alsoCovers ?? [])]) : undefined;
  const tagged = current === undefined ? allTagged : [current];
  const name = (c: CertificateInfo): string => `${c.arn} (${c.status}, for ${c.subjectAlternativeNames.join(', ')})`;
  if (tagged.length > 1)
    throw new RefusedError(
      `Certificates ${tagged.map(name).join(' and ')} are both tagged hotspare:site=${query.site}: hotspare cannot tell which one is the maintenance site's.`,
      {
        code: 'MaintenanceEdgeConflict',
        nextSteps:
          'Remove the hotspare:site tag from the one not in use, or name the right one in the runbook (maintenance.cloudfront.certificate: ARN).',
      },
    );
  const mine = tagged[0];
  if (mine !== undefined && !certificateCovers(mine.subjectAlternativeNames, host))
    throw new RefusedError(
      `Certificate ${name(mine)} is tagged hotspare:site=${query.site} but does not cover ${host}: hotspare will not guess which certificate is the maintenance site's.`,
      {
        code: 'MaintenanceEdgeConflict',
        nextSteps: `Fix the runbook's maintenance.url, or remove the hotspare:site tag from that certificate, or name the right one (maintenance.cloudfront.certificate: ARN).`,
      },
    );
  if (mine !== undefined) return mine;
  // An untagged one to adopt: one that covers every name asked for first, then an issued one.
  const rank = (c: CertificateInfo): number =>
    ((query.alsoCovers ?? []).every((n) => certificateCovers(c.subjectAlternativeNames, n)) ? 0 : 2) +
    (c.status === 'ISSUED' ? 0 : 1);
  return described
    .filter((c) => certificateCovers(c.subjectAlternativeNames, host))
    .sort((a, b) => rank(a) - rank(b))[0];
}
