import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dns } from '../../src/ports/index.js';
import type { DistributionSpec, Edge } from '../../src/ports/edge.js';

/** What each implementation under contract hands the suite. */
export interface EdgeContractSetup {
  readonly edge: Edge;
  readonly dns: Dns;
  /** A public zone of the account, and a host in it with no distribution yet. */
  readonly zone: { readonly id: string; readonly name: string };
  /** An S3 website endpoint host to use as the origin. */
  readonly originDomain: string;
  cleanup(): Promise<void>;
}

const SETTLE_MS = 20_000;

async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = SETTLE_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The edge contract every implementation (the AWS adapters on moto, the sandbox) keeps: a zone is
 * found from a host name, a certificate requested with DNS validation names its records and is
 * issued once they are written, a distribution is created with its aliases, certificate and tags,
 * found in the listing, deployed, updated, and invalidated. Tests run in order and share one setup.
 */
export function edgeContract(label: string, setup: () => Promise<EdgeContractSetup>): void {
  describe(`edge contract: ${label}`, () => {
    let ctx: EdgeContractSetup;
    let host: string;
    let certificateArn: string;
    let distributionId: string;
    const tags = { 'hotspare:site': 'contract', 'hotspare:runbook': 'contract' };

    beforeAll(async () => {
      ctx = await setup();
      host = `m-${randomUUID().slice(0, 8)}.${ctx.zone.name}`;
    });
    afterAll(async () => ctx?.cleanup());

    it('finds the public zone that holds a host, and none for a name outside the account', async () => {
      expect(await ctx.edge.zones.findZoneFor(host)).toEqual(ctx.zone);
      expect(await ctx.edge.zones.findZoneFor(`deep.er.${host}`)).toEqual(ctx.zone);
      expect(await ctx.edge.zones.findZoneFor('maintenance.no-such-zone.invalid')).toBeUndefined();
    });

    it('requests a DNS-validated certificate, tagged; the same token gives the same certificate', async () => {
      const request = {
        domainName: host,
        subjectAlternativeNames: [`www.${host}`],
        idempotencyToken: `hs${randomUUID().replace(/-/g, '').slice(0, 24)}`,
        tags,
      };
      certificateArn = (await ctx.edge.certificates.requestCertificate(request)).arn;
      expect(certificateArn).toMatch(/^arn:aws:acm:us-east-1:\d{12}:certificate\//);
      expect((await ctx.edge.certificates.requestCertificate(request)).arn).toBe(certificateArn);
      const cert = await ctx.edge.certificates.describeCertificate(certificateArn);
      expect(cert).toMatchObject({ arn: certificateArn, domainName: host, tags });
      expect([...cert.subjectAlternativeNames].sort()).toEqual([host, `www.${host}`].sort());
      expect(['PENDING_VALIDATION', 'ISSUED']).toContain(cert.status);
      expect((await ctx.edge.certificates.listCertificates()).map((c) => c.arn)).toContain(certificateArn);
    });

    it('names a validation CNAME for every name; once they are written the certificate is issued', async () => {
      const cert = await eventually(
        'validation records',
        () => ctx.edge.certificates.describeCertificate(certificateArn),
        (c) => c.validation.length === 2,
      );
      for (const record of cert.validation) {
        expect(record.type).toBe('CNAME');
        expect(record.name.toLowerCase()).toContain(record.domainName);
        await ctx.dns.upsertRecord(ctx.zone.id, { name: record.name, type: 'CNAME', ttl: 300, values: [record.value] });
      }
      const issued = await eventually(
        'ISSUED',
        () => ctx.edge.certificates.describeCertificate(certificateArn),
        (c) => c.status === 'ISSUED',
      );
      expect(Date.parse(issued.notAfter ?? '')).toBeGreaterThan(Date.now() + 30 * 86_400_000);
    });

    it('creates a distribution with its aliases, certificate and tags; it is listed and deploys', async () => {
      const spec: DistributionSpec = {
        comment: 'hotspare contract',
        aliases: [host],
        originDomain: ctx.originDomain,
        certificateArn,
        priceClass: 'PriceClass_100',
        defaultRootObject: 'index.html',
        errorResponses: [{ errorCode: 404, pagePath: '/404.html', responseCode: 404, cachingMinTtl: 10 }],
      };
      const created = (await ctx.edge.distributions.createDistribution(spec, `contract-${randomUUID()}`, tags))
        .distribution;
      distributionId = created.id;
      expect(created).toMatchObject({
        aliases: [host],
        certificateArn,
        viewerProtocolPolicy: 'redirect-to-https',
        priceClass: 'PriceClass_100',
        defaultRootObject: 'index.html',
        originDomains: [ctx.originDomain],
      });
      expect(created.domainName).toMatch(/\.cloudfront\.net$/);
      expect(created.errorResponses).toEqual(spec.errorResponses);
      expect(created.cacheBehaviorPaths ?? []).toEqual([]);
      const listed = (await ctx.edge.distributions.listDistributions()).find((d) => d.id === distributionId);
      expect(listed).toMatchObject({ arn: created.arn, aliases: [host], domainName: created.domainName });
      expect(await ctx.edge.distributions.tagsOf(created.arn)).toMatchObject(tags);
      await eventually(
        'Deployed',
        () => ctx.edge.distributions.getDistribution(distributionId),
        (d) => d.status === 'Deployed',
      );
    });

    it('updates the settings hotspare manages, keeping the distribution', async () => {
      const current = await ctx.edge.distributions.getDistribution(distributionId);
      const spec: DistributionSpec = {
        comment: 'hotspare contract',
        aliases: [host, `www.${host}`],
        originDomain: ctx.originDomain,
        certificateArn,
        priceClass: 'PriceClass_200',
        defaultRootObject: 'index.html',
        errorResponses: current.errorResponses,
      };
      const updated = (await ctx.edge.distributions.updateDistribution(distributionId, spec)).distribution;
      expect(updated).toMatchObject({
        id: distributionId,
        domainName: current.domainName,
        priceClass: 'PriceClass_200',
        aliases: [host, `www.${host}`],
      });
    });

    it('invalidates exactly the paths asked, newest first in the listing, and completes', async () => {
      const first = (
        await ctx.edge.distributions.createInvalidation(distributionId, ['/index.html', '/'], 'contract-1')
      ).invalidation;
      expect(first.paths).toEqual(['/index.html', '/']);
      await new Promise((r) => setTimeout(r, 1100));
      const second = (
        await ctx.edge.distributions.createInvalidation(distributionId, ['/hotspare-manifest.json'], 'contract-2')
      ).invalidation;
      const listed = await ctx.edge.distributions.listInvalidations(distributionId);
      expect(listed.map((i) => i.id)).toEqual([second.id, first.id]);
      const done = await eventually(
        'Completed',
        () => ctx.edge.distributions.getInvalidation(distributionId, second.id),
        (i) => i.status === 'Completed',
      );
      expect(done).toMatchObject({ id: second.id, paths: ['/hotspare-manifest.json'], callerReference: 'contract-2' });
    });

    it('says NotFound for a distribution or a certificate that does not exist', async () => {
      await expect(ctx.edge.distributions.getDistribution('E0000000000000')).rejects.toMatchObject({
        kind: 'external',
        code: 'DistributionNotFound',
      });
      await expect(
        ctx.edge.certificates.describeCertificate(
          'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
        ),
      ).rejects.toMatchObject({ kind: 'external', code: 'CertificateNotFound' });
    });
  });
}
