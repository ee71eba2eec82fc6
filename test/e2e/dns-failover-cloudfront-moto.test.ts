import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createEdgePorts } from '../../src/aws/index.js';
import type { Edge } from '../../src/ports/edge.js';
import { managedTags } from '../../src/site/maintenance-edge.js';
import { buildFixture, fixtureClients } from '../aws/fixture.js';
import { BIN, requireBuiltCli, type Ran } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';
import { waitUntil } from '../helpers/wait.js';
import { motoChildEnv, startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';

/**
 * Issue 22, "DNS failover to CloudFront", through the built CLI on moto: a dns-failover runbook
 * whose failoverValue aliases the maintenance distribution, which carries only the maintenance
 * host. `plan` names the missing alternate name and what fixes it; `site provision` adds the site's
 * host to the distribution with a new certificate for both hosts; then plan is clear, and a rerun
 * of provision changes nothing.
 */

interface PlanJson {
  plan: { hazards: { code: string; severity: string; message: string }[] };
}

describe('DNS failover to the maintenance CloudFront distribution (moto, built CLI)', () => {
  let moto: Moto;
  let dir: string;
  let runbook: string;
  let edge: Edge;
  let siteHost: string;
  let maintenanceHost: string;
  let distributionId: string;
  let firstCertificate: string;
  let siteName: string;

  const cli = (...args: string[]): Promise<Ran> =>
    new Promise((resolve) =>
      execFile(
        process.execPath,
        [BIN, ...args, '--endpoint-url', moto.endpoint],
        { encoding: 'utf8', env: motoChildEnv({ NO_COLOR: '1' }), timeout: 90_000 },
        (error, stdout, stderr) =>
          resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
      ),
    );
  const plan = async (): Promise<PlanJson> => {
    const r = await cli('plan', runbook, '--json');
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as PlanJson;
  };
  const provision = (...args: string[]): Promise<Ran> =>
    cli('site', 'provision', runbook, '--journal-dir', join(dir, 'state'), ...args);

  beforeAll(async () => {
    requireBuiltCli();
    useFakeAwsCredentials();
    process.env['MOTO_ACM_VALIDATION_WAIT'] = '1';
    moto = await startMoto();
    const fixture = await buildFixture(fixtureClients(moto.endpoint));
    siteHost = fixture.recordName;
    siteName = fixture.runbook.name;
    maintenanceHost = siteHost.replace(/^www\./, 'maintenance.');
    edge = createEdgePorts({ region: 'us-east-1', endpointUrl: moto.endpoint });
    // The maintenance site as provision made it before the runbook had a dns-failover step: its host only.
    const cert = await edge.certificates.requestCertificate({
      domainName: maintenanceHost,
      subjectAlternativeNames: [],
      idempotencyToken: 'maintenanceonly',
      tags: managedTags(fixture.runbook.name),
    });
    firstCertificate = cert.arn;
    await waitUntil(
      () => edge.certificates.describeCertificate(cert.arn),
      (c) => c.status === 'ISSUED',
      { what: 'the maintenance certificate is issued', intervalMs: 200 },
    );
    const made = await edge.distributions.createDistribution(
      {
        comment: 'maintenance',
        aliases: [maintenanceHost],
        originDomain: `${maintenanceHost}.s3-website-us-east-1.amazonaws.com`,
        certificateArn: cert.arn,
        priceClass: 'PriceClass_100',
        defaultRootObject: 'index.html',
        errorResponses: [
          { errorCode: 403, pagePath: '/index.html', responseCode: 404, cachingMinTtl: 60 },
          { errorCode: 404, pagePath: '/index.html', responseCode: 404, cachingMinTtl: 60 },
        ],
      },
      'maintenance-only',
      managedTags(fixture.runbook.name),
    );
    distributionId = made.distribution.id;
    dir = tempDir('hotspare-dns-cloudfront-');
    runbook = join(dir, 'shop.yaml');
    writeFileSync(
      runbook,
      stringify({
        ...fixture.runbook,
        site: { url: `https://${siteHost}/` },
        maintenance: { ...fixture.runbook.maintenance, url: `https://${maintenanceHost}/`, bucket: maintenanceHost },
        dns: {
          ...fixture.runbook.dns,
          type: 'A',
          failoverValue: `alias:Z2FDTNDATAQYW2:${made.distribution.domainName}`,
        },
        steps: [{ type: 'dns-failover' }, { type: 'verify-maintenance' }],
      }),
    );
  }, 90_000);
  afterAll(() => moto?.stop());

  it('plan: the distribution without the site host is a danger naming what is missing and site provision', async () => {
    const out = await plan();
    const hazard = out.plan.hazards.find((h) => h.code === 'dns-failover-certificate');
    expect(hazard?.severity).toBe('danger');
    expect(hazard?.message).toContain(`Distribution ${distributionId}`);
    expect(hazard?.message).toContain(`does not carry ${siteHost} as an alternate domain name`);
    expect(hazard?.message).toContain('hotspare site provision RUNBOOK');
  }, 90_000);

  it('site provision --dry-run: shows the new certificate for both hosts and the distribution update, sends nothing', async () => {
    const r = await provision('--dry-run');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `Certificate ${firstCertificate} covers ${maintenanceHost} only, and an ACM certificate cannot gain names: request a new one for ${maintenanceHost} and ${siteHost}`,
    );
    expect(r.stdout).toContain('then switch the distribution to it');
    expect(r.stdout).toContain(`change alternate names: ${maintenanceHost} -> ${maintenanceHost}, ${siteHost}`);
    expect(await edge.certificates.listCertificates()).toHaveLength(1);
  }, 90_000);

  it('site provision --yes: the site host on the distribution with a certificate for both; plan is clear; a rerun changes nothing', async () => {
    const r = await provision('--yes', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { complete: boolean; certificateArn: string; distributionId: string };
    expect(out.complete).toBe(true);
    expect(out.distributionId).toBe(distributionId);
    expect(out.certificateArn).not.toBe(firstCertificate);
    const info = await edge.distributions.getDistribution(distributionId);
    expect([...info.aliases].sort()).toEqual([maintenanceHost, siteHost].sort());
    expect(info.certificateArn).toBe(out.certificateArn);
    const cert = await edge.certificates.describeCertificate(out.certificateArn);
    expect(cert.status).toBe('ISSUED');
    expect([...cert.subjectAlternativeNames].sort()).toEqual([maintenanceHost, siteHost].sort());
    expect(cert.tags).toMatchObject(managedTags(siteName));

    const after = await plan();
    expect(after.plan.hazards.map((h) => h.code)).not.toContain('dns-failover-certificate');

    const certificates = (await edge.certificates.listCertificates()).length;
    const again = await provision('--yes');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to change: everything is in place.');
    expect(await edge.certificates.listCertificates()).toHaveLength(certificates);
    expect((await edge.distributions.getDistribution(distributionId)).certificateArn).toBe(out.certificateArn);
  }, 180_000);

  it('a certificate named in the runbook that does not cover the site host: refused (exit 3), nothing changed', async () => {
    const named = join(dir, 'named.yaml');
    const text = readFileSync(runbook, 'utf8');
    writeFileSync(
      named,
      text.replace(/^maintenance:\n/m, `maintenance:\n  cloudfront:\n    certificate: ${firstCertificate}\n`),
    );
    const before = await edge.distributions.getDistribution(distributionId);
    const r = await cli('site', 'provision', named, '--journal-dir', join(dir, 'state'), '--yes');
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('an ACM certificate cannot gain names');
    expect(r.stderr).toContain(`not ${maintenanceHost} and ${siteHost}`);
    expect((await edge.distributions.getDistribution(distributionId)).certificateArn).toBe(before.certificateArn);
  }, 90_000);
});
