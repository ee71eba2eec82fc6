import { execFile } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACMClient, ListCertificatesCommand, ListTagsForCertificateCommand } from '@aws-sdk/client-acm';
import {
  CloudFrontClient,
  GetDistributionCommand,
  ListDistributionsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-cloudfront';
import { CreateHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, requireBuiltCli, type Ran } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';
import { motoChildEnv, startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';

/** Issue 22: `hotspare site provision` on moto through the built CLI: dry run, create, rerun, confirmation. */

const HOST = 'maintenance.shop.test';

describe('hotspare site provision (moto, built CLI)', () => {
  let moto: Moto;
  let dir: string;
  let runbook: string;
  let zoneId: string;
  let acm: ACMClient;
  let cloudfront: CloudFrontClient;
  let route53: Route53Client;
  const hotspare = (...args: string[]): Promise<Ran> =>
    new Promise((resolve) =>
      execFile(
        process.execPath,
        [
          BIN,
          'site',
          'provision',
          runbook,
          '--endpoint-url',
          moto.endpoint,
          '--journal-dir',
          join(dir, 'state'),
          ...args,
        ],
        { encoding: 'utf8', env: motoChildEnv({ AWS_REGION: 'eu-west-1' }), timeout: 90_000 },
        (error, stdout, stderr) =>
          resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
      ),
    );
  const records = async () =>
    (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets ?? [];

  beforeAll(async () => {
    requireBuiltCli();
    useFakeAwsCredentials();
    process.env['MOTO_ACM_VALIDATION_WAIT'] = '1';
    moto = await startMoto();
    acm = new ACMClient({ region: 'us-east-1', endpoint: moto.endpoint });
    cloudfront = new CloudFrontClient({ region: 'us-east-1', endpoint: moto.endpoint });
    route53 = new Route53Client({ region: 'us-east-1', endpoint: moto.endpoint });
    zoneId = (
      (await route53.send(new CreateHostedZoneCommand({ Name: 'shop.test', CallerReference: 'provision' }))).HostedZone
        ?.Id ?? ''
    ).replace('/hostedzone/', '');
    dir = tempDir('hotspare-provision-');
    runbook = join(dir, 'shop.yaml');
    // Only maintenance.url and maintenance.bucket: everything else has a default; the region is not us-east-1.
    writeFileSync(
      runbook,
      `name: shop
region: eu-west-1
site: { url: "https://www.shop.test/" }
maintenance:
  url: https://${HOST}/
  expectText: Back soon
  bucket: ${HOST}
loadBalancer: { targetGroup: shop-tg }
webServers: { tags: { role: web } }
steps: [verify-maintenance]
`,
    );
  }, 60_000);
  afterAll(async () => {
    acm?.destroy();
    cloudfront?.destroy();
    route53?.destroy();
    await moto?.stop();
  });

  it('is in help', async () => {
    const r = await new Promise<Ran>((resolve) =>
      execFile(process.execPath, [BIN, 'site', '--help'], { encoding: 'utf8' }, (error, stdout, stderr) =>
        resolve({ status: error === null ? 0 : 1, stdout, stderr }),
      ),
    );
    expect(r.stdout).toContain('provision');
  });

  it('--dry-run: reads, prints every change with its calls, sends nothing', async () => {
    const r = await hotspare('--dry-run');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Maintenance host ${HOST}: zone ${zoneId}, certificate none, distribution none`);
    expect(r.stdout).toContain(`Request an ACM certificate for ${HOST} in us-east-1`);
    expect(r.stdout).toContain(`Write the DNS validation record(s) into zone ${zoneId}`);
    expect(r.stdout).toContain(
      `Create a CloudFront distribution for ${HOST} in front of ${HOST}.s3-website-eu-west-1.amazonaws.com`,
    );
    expect(r.stdout).toContain(`Point ${HOST} (A, AAAA) at the distribution`);
    expect((await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList ?? []).toEqual([]);
    expect((await cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items ?? []).toEqual([]);
  });

  it('without --yes and without a terminal: refused, nothing changed', async () => {
    const r = await hotspare();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('pass --yes');
    expect((await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList ?? []).toEqual([]);
  });

  it('--yes: certificate in us-east-1 with its validation record in the zone, distribution, alias records, all tagged; journaled 0600', async () => {
    const r = await hotspare('--yes', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      complete: boolean;
      certificateArn: string;
      distributionId: string;
      distributionDomain: string;
      journal: string;
      validationRecords: { name: string; value: string }[];
    };
    expect(out.complete).toBe(true);
    expect(out.certificateArn).toMatch(/^arn:aws:acm:us-east-1:/);
    const certTags =
      (await acm.send(new ListTagsForCertificateCommand({ CertificateArn: out.certificateArn }))).Tags ?? [];
    expect(certTags).toEqual(expect.arrayContaining([{ Key: 'hotspare:site', Value: 'shop' }]));
    const all = await records();
    expect(out.validationRecords.length).toBeGreaterThan(0);
    for (const v of out.validationRecords)
      expect(
        all.find((rr) => rr.Name?.replace(/\.$/, '') === v.name.replace(/\.$/, '') && rr.Type === 'CNAME')
          ?.ResourceRecords?.[0]?.Value,
      ).toBe(v.value);
    const dist = (await cloudfront.send(new GetDistributionCommand({ Id: out.distributionId }))).Distribution!;
    expect(dist.DistributionConfig?.Aliases?.Items).toEqual([HOST]);
    expect(dist.DistributionConfig?.ViewerCertificate?.ACMCertificateArn).toBe(out.certificateArn);
    expect(dist.DistributionConfig?.DefaultCacheBehavior?.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(dist.DistributionConfig?.DefaultRootObject).toBe('index.html');
    const tags = (await cloudfront.send(new ListTagsForResourceCommand({ Resource: dist.ARN }))).Tags?.Items ?? [];
    expect(tags).toEqual(expect.arrayContaining([{ Key: 'hotspare:site', Value: 'shop' }]));
    for (const type of ['A', 'AAAA']) {
      const alias = all.find((rr) => rr.Name?.replace(/\.$/, '') === HOST && rr.Type === type);
      expect(alias?.AliasTarget).toMatchObject({
        HostedZoneId: 'Z2FDTNDATAQYW2',
        DNSName: expect.stringContaining(out.distributionDomain),
      });
    }
    expect(statSync(out.journal).mode & 0o777).toBe(0o600);
  });

  it('a rerun changes nothing', async () => {
    const before = (await records()).length;
    const r = await hotspare('--yes');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Nothing to change: everything is in place.');
    expect((await records()).length).toBe(before);
    expect((await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList).toHaveLength(1);
    expect((await cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items).toHaveLength(1);
  });
});
