import { execFile } from 'node:child_process';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CloudFrontClient,
  CreateInvalidationCommand,
  GetInvalidationCommand,
  ListInvalidationsCommand,
} from '@aws-sdk/client-cloudfront';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgePorts } from '../../src/aws/index.js';
import { BIN, requireBuiltCli, type Ran } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';
import { motoChildEnv, startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';
import { startTestSite, type TestSite } from '../site/test-site.js';

/**
 * Issue 22: a publish creates one CloudFront invalidation of exactly the paths it changed (the home
 * page, a folder's index.html as the folder too, the manifest), and --wait waits for it; through
 * the built CLI on moto.
 */

const BUCKET = 'maintenance.shop.test';
const HOST = 'maintenance.shop.test';

/** The state directory of the CLI runs (the invalidation journal is under it). */
let stateHome = '';

function hotspare(moto: Moto, ...args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args, '--endpoint-url', moto.endpoint],
      { encoding: 'utf8', env: motoChildEnv({ XDG_STATE_HOME: stateHome }), timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
      },
    );
  });
}

interface Report {
  readonly publish?: { uploads: { key: string }[]; deletes: string[] };
  readonly uploads?: { key: string }[];
  readonly invalidation?: {
    distributionId: string;
    paths: string[];
    completed: boolean;
    waited: boolean;
    invalidation: { id: string; status: string };
    recovered?: { found: string[]; included: number };
  };
}

describe('site publish and refresh invalidate exactly the changed paths on the distribution (moto, built CLI)', () => {
  let moto: Moto;
  let site: TestSite;
  let s3: S3Client;
  let cloudfront: CloudFrontClient;
  let dir: string;
  let runbook: string;
  let distributionId: string;
  const invalidations = async (): Promise<string[]> =>
    (
      (await cloudfront.send(new ListInvalidationsCommand({ DistributionId: distributionId }))).InvalidationList
        ?.Items ?? []
    ).map((i) => i.Id!);

  beforeAll(async () => {
    requireBuiltCli();
    useFakeAwsCredentials();
    [moto, site] = await Promise.all([startMoto(), startTestSite()]);
    s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true });
    cloudfront = new CloudFrontClient({ region: 'us-east-1', endpoint: moto.endpoint });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }],
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify(policy) }));
    const edge = createEdgePorts({ region: 'us-east-1', endpointUrl: moto.endpoint });
    const cert = await edge.certificates.requestCertificate({
      domainName: HOST,
      subjectAlternativeNames: [],
      idempotencyToken: 'publishtest',
      tags: {},
    });
    const made = await edge.distributions.createDistribution(
      {
        comment: 'test',
        aliases: [HOST],
        originDomain: `${BUCKET}.s3-website-us-east-1.amazonaws.com`,
        certificateArn: cert.arn,
        priceClass: 'PriceClass_100',
        defaultRootObject: 'index.html',
        errorResponses: [],
      },
      'publish-test',
      { 'hotspare:site': 'shop' },
    );
    distributionId = made.distribution.id;
    dir = tempDir('hotspare-invalidate-');
    stateHome = join(dir, 'state');
    runbook = join(dir, 'shop.yaml');
    writeFileSync(
      runbook,
      `name: shop
region: us-east-1
site: { url: "${site.origin}/" }
maintenance:
  url: https://${HOST}/
  expectText: Back soon
  bucket: ${BUCKET}
  banner: Back soon, this is a copy
loadBalancer: { targetGroup: shop-tg }
webServers: { tags: { role: web } }
steps: [verify-maintenance]
`,
    );
  }, 60_000);

  afterAll(async () => {
    s3?.destroy();
    cloudfront?.destroy();
    await Promise.all([moto?.stop(), site?.close()]);
  });

  it('refresh: the first publish invalidates every path it uploaded, found by the maintenance host, and --wait waits for it', async () => {
    const r = await hotspare(
      moto,
      'site',
      'refresh',
      runbook,
      '--out',
      join(dir, 'copy'),
      '--force',
      '--website',
      '--wait',
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    const keys = report.publish!.uploads.map((u) => u.key);
    expect(keys).toContain('index.html');
    expect(report.invalidation).toMatchObject({
      distributionId,
      waited: true,
      completed: true,
      invalidation: { status: 'Completed' },
    });
    const paths = report.invalidation!.paths;
    expect(paths).toContain('/');
    expect(paths).toContain('/index.html');
    expect(paths).toContain('/hotspare-manifest.json');
    expect(paths).toContain('/products/widget/');
    expect(paths).toContain('/products/widget/index.html');
    expect(paths.filter((p) => !p.endsWith('/'))).toHaveLength(keys.length);
    expect(await invalidations()).toEqual([report.invalidation!.invalidation.id]);
  });

  it('refresh after one page changed: one invalidation of that page (as folder and file) and the manifest, nothing else', async () => {
    site.setPage(
      '/products/widget',
      '<!doctype html><html><head><title>Widget</title></head><body><h1>Widget, now blue</h1><a href="./">All products</a></body></html>',
    );
    const before = await invalidations();
    const r = await hotspare(moto, 'site', 'refresh', runbook, '--out', join(dir, 'copy'), '--force', '--json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.publish!.uploads.map((u) => u.key).sort()).toEqual([
      'hotspare-manifest.json',
      'products/widget/index.html',
    ]);
    expect(report.invalidation!.paths.sort()).toEqual([
      '/hotspare-manifest.json',
      '/products/widget/',
      '/products/widget/index.html',
    ]);
    const after = await invalidations();
    expect(after.length).toBe(before.length + 1);
    const made = await cloudfront.send(
      new GetInvalidationCommand({ DistributionId: distributionId, Id: report.invalidation!.invalidation.id }),
    );
    expect([...(made.Invalidation?.InvalidationBatch?.Paths?.Items ?? [])].sort()).toEqual([
      '/hotspare-manifest.json',
      '/products/widget/',
      '/products/widget/index.html',
    ]);
  });

  it('publish --distribution ID: the home page changed on disk is invalidated as / and /index.html, with the manifest', async () => {
    const copy = join(dir, 'copy');
    const index = join(copy, 'index.html');
    writeFileSync(index, readFileSync(index, 'utf8').replace('</body>', '<p>one more line</p></body>'));
    const r = await hotspare(
      moto,
      'site',
      'publish',
      copy,
      '--bucket',
      BUCKET,
      '--distribution',
      distributionId,
      '--wait',
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.uploads!.map((u) => u.key).sort()).toEqual(['hotspare-manifest.json', 'index.html']);
    expect(report.invalidation!.paths.sort()).toEqual(['/', '/hotspare-manifest.json', '/index.html']);
    expect(report.invalidation!.completed).toBe(true);
  });

  const journalFile = (): string => join(stateHome, 'hotspare', 'publish', `${BUCKET}.jsonl`);
  const journal = (): {
    phase: string;
    callerReference: string;
    invalidationId?: string;
    covers?: string[];
    found?: boolean;
  }[] =>
    readFileSync(journalFile(), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  const publishCopy = async (): Promise<Report & { text: string }> => {
    const r = await hotspare(
      moto,
      'site',
      'publish',
      join(dir, 'copy'),
      '--bucket',
      BUCKET,
      '--distribution',
      distributionId,
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    return { ...(JSON.parse(r.stdout) as Report), text: r.stdout };
  };

  it('the invalidation is journaled (0600): planned before the uploads, before and after CreateInvalidation, under its caller reference', async () => {
    const entries = journal();
    expect(statSync(journalFile()).mode & 0o777).toBe(0o600);
    const sent = entries.filter((e) => e.phase === 'sent');
    const last = sent.at(-1)!;
    expect(entries.filter((e) => e.callerReference === last.callerReference).map((e) => e.phase)).toEqual([
      'planned',
      'sending',
      'sent',
    ]);
    expect(await invalidations()).toContain(last.invalidationId);
  });

  it('a publish that crashed after its uploads (planned, never sent): the next publish sends its paths, once', async () => {
    appendFileSync(
      journalFile(),
      `${JSON.stringify({ at: new Date().toISOString(), phase: 'planned', callerReference: 'hotspare-crashed-upload', paths: ['/about/', '/about/index.html'] })}\n`,
    );
    const before = await invalidations();
    const report = await publishCopy();
    // Every publish uploads its manifest: one invalidation, with the crashed publish's paths in it.
    expect(report.invalidation?.paths).toEqual(['/hotspare-manifest.json', '/about/', '/about/index.html']);
    expect(report.invalidation?.recovered).toEqual({ found: [], included: 1 });
    expect(await invalidations()).toHaveLength(before.length + 1);
    expect(journal().at(-1)).toMatchObject({ phase: 'sent', covers: [expect.any(String), 'hotspare-crashed-upload'] });
    // Finished: the next publish invalidates its own manifest only.
    const again = await publishCopy();
    expect(again.invalidation?.paths).toEqual(['/hotspare-manifest.json']);
    expect(again.invalidation?.recovered).toBeUndefined();
  });

  it('CreateInvalidation reached CloudFront but its answer was lost: the next publish reads first and does not send a second one', async () => {
    const made = await cloudfront.send(
      new CreateInvalidationCommand({
        DistributionId: distributionId,
        InvalidationBatch: { CallerReference: 'hotspare-lost-answer', Paths: { Quantity: 1, Items: ['/contact/'] } },
      }),
    );
    for (const phase of ['planned', 'sending'])
      appendFileSync(
        journalFile(),
        `${JSON.stringify({ at: new Date().toISOString(), phase, callerReference: 'hotspare-lost-answer', paths: ['/contact/'], distributionId })}\n`,
      );
    const before = await invalidations();
    const report = await publishCopy();
    // One invalidation: this publish's own (its manifest); the lost one is not sent again.
    expect(await invalidations()).toHaveLength(before.length + 1);
    expect(report.invalidation?.paths).toEqual(['/hotspare-manifest.json']);
    expect(report.invalidation?.recovered).toEqual({ found: [made.Invalidation?.Id], included: 0 });
    const entries = journal();
    expect(entries.find((e) => e.callerReference === 'hotspare-lost-answer' && e.phase === 'sent')).toMatchObject({
      invalidationId: made.Invalidation?.Id,
      found: true,
    });
  });

  it('publish names a distribution that does not exist: published, nothing invalidated, said so', async () => {
    const r = await hotspare(
      moto,
      'site',
      'publish',
      join(dir, 'copy'),
      '--bucket',
      BUCKET,
      '--distribution',
      'E0000000000000',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('No CloudFront distribution E0000000000000: nothing invalidated');
  });

  it('--wait without --distribution is a usage error', async () => {
    const r = await hotspare(moto, 'site', 'publish', join(dir, 'copy'), '--bucket', BUCKET, '--wait');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--wait waits for the CloudFront invalidation');
  });
});
