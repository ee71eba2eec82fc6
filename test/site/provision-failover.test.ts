import { describe, expect, it } from 'vitest';
import { RefusedError } from '../../src/domain/errors.js';
import type { CertificateInfo, Certificates, DistributionInfo } from '../../src/ports/edge.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { findMaintenanceCertificate, managedTags } from '../../src/site/maintenance-edge.js';
import {
  distributionDifferences,
  planProvision,
  provisionTarget,
  type ProvisionState,
  type ProvisionTarget,
  targetHosts,
} from '../../src/site/provision.js';

/** `site provision` for a dns-failover runbook: the site's host joins the distribution and its certificate. */

const MAINTENANCE = 'maintenance.example.com';
const SITE = 'www.example.com';

function cert(arn: string, names: string[], tags: Record<string, string> = {}): CertificateInfo {
  return {
    arn,
    domainName: names[0]!,
    status: 'ISSUED',
    subjectAlternativeNames: names,
    validation: [],
    tags,
    inUseBy: [],
  };
}

const distribution: DistributionInfo = {
  id: 'E1ABCDEFGHIJ',
  arn: 'arn:aws:cloudfront::123456789012:distribution/E1ABCDEFGHIJ',
  domainName: 'd111111abcdef8.cloudfront.net',
  status: 'Deployed',
  aliases: [MAINTENANCE],
  enabled: true,
  originDomains: [`${MAINTENANCE}.s3-website-us-east-1.amazonaws.com`],
  certificateArn: 'arn:old',
  viewerProtocolPolicy: 'redirect-to-https',
  priceClass: 'PriceClass_100',
  defaultRootObject: 'index.html',
  errorResponses: [
    { errorCode: 403, pagePath: '/index.html', responseCode: 404, cachingMinTtl: 60 },
    { errorCode: 404, pagePath: '/index.html', responseCode: 404, cachingMinTtl: 60 },
  ],
};

async function shippedTarget(): Promise<ProvisionTarget> {
  const { runbook } = await loadRunbook('runbooks/dns-failover.yaml');
  const t = provisionTarget(runbook);
  if (typeof t === 'string') throw new Error(t);
  return t;
}

const state = (certificate: CertificateInfo | undefined): ProvisionState => ({
  zone: { id: 'Z0123456789ABCDEFGHIJ', name: 'example.com' },
  certificate,
  distribution,
  distributionTagged: true,
  validationInZone: new Set(),
  aliasesInPlace: new Set(['A', 'AAAA']),
});

describe('site provision for a dns-failover runbook', () => {
  it("the shipped dns-failover runbook: the site's host is a second host of the distribution, its zone the site's", async () => {
    const t = await shippedTarget();
    expect(targetHosts(t)).toEqual([MAINTENANCE, SITE]);
    expect(t.siteZoneId).toBe('Z0123456789ABCDEFGHIJ');
    const { runbook } = await loadRunbook('runbooks/emergency-mode.yaml');
    const other = provisionTarget(runbook);
    expect(typeof other === 'string' ? other : targetHosts(other)).not.toContain(SITE);
  });

  it('a certificate for the maintenance host only: a new one for both hosts, then the distribution switched to it', async () => {
    const t = await shippedTarget();
    const actions = planProvision(t, state(cert('arn:old', [MAINTENANCE])));
    expect(actions.map((a) => a.kind)).toEqual([
      'request-certificate',
      'validation-records',
      'wait-certificate',
      'update-distribution',
    ]);
    expect(actions[0]!.title).toContain('an ACM certificate cannot gain names: request a new one for');
    expect(actions[0]!.calls[0]).toContain(`"SubjectAlternativeNames":["${MAINTENANCE}","${SITE}"]`);
    expect(actions[3]!.changes).toEqual([
      `alternate names: ${MAINTENANCE} -> ${MAINTENANCE}, ${SITE}`,
      'certificate: arn:old -> (the new certificate)',
    ]);
  });

  it('a certificate covering both (a wildcard): only the alternate name is added', async () => {
    const t = await shippedTarget();
    const actions = planProvision(t, state(cert('arn:old', ['*.example.com'])));
    expect(actions.map((a) => a.kind)).toEqual(['update-distribution']);
    expect(actions[0]!.changes).toEqual([`alternate names: ${MAINTENANCE} -> ${MAINTENANCE}, ${SITE}`]);
  });

  it('a certificate named in the runbook that does not cover the site host: refused, naming both hosts', async () => {
    const t = { ...(await shippedTarget()), certificate: 'arn:old' };
    let error: unknown;
    try {
      planProvision(t, state(cert('arn:old', [MAINTENANCE])));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RefusedError);
    expect((error as RefusedError).code).toBe('CertificateMissingNames');
    expect((error as RefusedError).message).toContain(`not ${MAINTENANCE} and ${SITE}`);
  });
});

describe('findMaintenanceCertificate with two tagged certificates', () => {
  const TAGS = managedTags('dns-failover');
  const ports = (list: CertificateInfo[]): Certificates => ({
    listCertificates: () => Promise.resolve(list),
    describeCertificate: (arn) => Promise.resolve(list.find((c) => c.arn === arn)!),
    requestCertificate: () => Promise.reject(new Error('not sent when finding')),
  });

  it('the one for both hosts (provision replaced the one for the maintenance host only)', async () => {
    const old = cert('arn:old', [MAINTENANCE], TAGS);
    const both = cert('arn:both', [MAINTENANCE, SITE], TAGS);
    const query = { host: MAINTENANCE, site: 'dns-failover' };
    expect((await findMaintenanceCertificate(ports([old, both]), query))?.arn).toBe('arn:both');
    expect((await findMaintenanceCertificate(ports([both, old]), { ...query, alsoCovers: [SITE] }))?.arn).toBe(
      'arn:both',
    );
  });

  it('untagged, to adopt: the one covering the site host too before an issued one for the maintenance host only', async () => {
    const only = cert('arn:only', [MAINTENANCE]);
    const both = { ...cert('arn:both', [MAINTENANCE, SITE]), status: 'PENDING_VALIDATION' };
    const query = { host: MAINTENANCE, site: 'dns-failover' };
    expect((await findMaintenanceCertificate(ports([only, both]), { ...query, alsoCovers: [SITE] }))?.arn).toBe(
      'arn:both',
    );
    expect((await findMaintenanceCertificate(ports([both, only]), query))?.arn).toBe('arn:only');
  });

  it('two with the same names: still refused, naming both', async () => {
    const a = cert('arn:a', [MAINTENANCE], TAGS);
    const b = cert('arn:b', [MAINTENANCE], TAGS);
    await expect(
      findMaintenanceCertificate(ports([a, b]), { host: MAINTENANCE, site: 'dns-failover' }),
    ).rejects.toThrow(/arn:a .* and arn:b .* are both tagged/);
  });
});

describe('the differences provision shows before it updates an adopted distribution', () => {
  const spec = {
    comment: 'hotspare maintenance site',
    aliases: [MAINTENANCE],
    originDomain: distribution.originDomains[0]!,
    certificateArn: 'arn:old',
    priceClass: 'PriceClass_100',
    defaultRootObject: 'index.html',
    errorResponses: distribution.errorResponses,
  };

  it('none when the distribution already has every setting', () => {
    expect(distributionDifferences(distribution, spec)).toEqual([]);
  });

  it('names the extra cache behaviours the update removes, and each other setting it changes', () => {
    const adopted: DistributionInfo = {
      ...distribution,
      cacheBehaviorPaths: ['/api/*', '/images/*'],
      originDomains: [...distribution.originDomains, 'api.example.com'],
      viewerProtocolPolicy: 'allow-all',
    };
    expect(distributionDifferences(adopted, spec)).toEqual([
      `origin: ${distribution.originDomains[0]}, api.example.com -> ${distribution.originDomains[0]}`,
      'viewer protocol: allow-all -> redirect-to-https',
      'cache behaviours for /api/*, /images/* -> removed (every path is served from the bucket, as the default behaviour says)',
    ]);
  });
});
