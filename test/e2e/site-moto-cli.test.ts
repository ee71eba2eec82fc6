import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetBucketWebsiteCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, requireBuiltCli, type Ran } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';
import { motoChildEnv, startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';
import { startTestSite, type TestSite } from '../site/test-site.js';

const BUCKET = 'maintenance.shop.test';

/** The built CLI against moto, run without blocking this process (which serves the site it copies). */
function hotspare(moto: Moto, ...args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args, '--endpoint-url', moto.endpoint],
      { encoding: 'utf8', env: motoChildEnv(), timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
      },
    );
  });
}

function runbookFor(site: TestSite, dir: string): string {
  const file = join(dir, 'shop.yaml');
  writeFileSync(
    file,
    `name: shop
region: us-east-1
site: { url: "${site.origin}/" }
maintenance:
  url: http://${BUCKET}.s3-website-us-east-1.amazonaws.com/
  expectText: Back soon
  bucket: ${BUCKET}
  dynamicPrefixes: [/search]
  banner: Back soon, this is a copy
loadBalancer: { targetGroup: shop-tg }
webServers: { tags: { role: web } }
steps: [verify-maintenance]
`,
  );
  return file;
}

describe('hotspare site refresh against S3 on moto, end to end', () => {
  let moto: Moto;
  let site: TestSite;
  let s3: S3Client;
  let dir: string;
  let runbook: string;
  const keys = async (): Promise<string[]> =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key ?? '').sort();

  beforeAll(async () => {
    requireBuiltCli();
    useFakeAwsCredentials();
    [moto, site] = await Promise.all([startMoto(), startTestSite()]);
    s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    dir = tempDir('hotspare-site-moto-');
    runbook = runbookFor(site, dir);
  });
  afterAll(async () => {
    s3?.destroy();
    await Promise.all([moto?.stop(), site?.close()]);
  });

  it('refuses to publish a copy that fails the check, and publishes nothing', async () => {
    const r = await hotspare(moto, 'site', 'refresh', runbook, '--out', join(dir, 'copy'));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('BROKEN  page /  link missing/  -> /missing/  404');
    expect(r.stdout).toContain('Not published: the copy fails the check');
    expect(await keys()).toEqual([]);
  });

  it('with --force --website it publishes, configures hosting, says what keeps the website endpoint from serving, and exits 4', async () => {
    const r = await hotspare(moto, 'site', 'refresh', runbook, '--out', join(dir, 'copy'), '--force', '--website');
    expect(r.stderr).not.toContain('hotspare:');
    // Published, but visitors would get 403: cron and CI must not read it as ready.
    expect(r.status).toBe(4);
    expect(r.stdout).toMatch(/Published to s3:\/\/maintenance\.shop\.test:/);
    expect(r.stdout).toContain('BLOCKING: No bucket policy lets everyone read the objects');
    expect(r.stdout).toContain(`fix: aws s3api put-bucket-policy --bucket ${BUCKET}`);
    expect(r.stdout).toMatch(/The published manifest reads back: snapshot made \d{4}-/);
    expect(await keys()).toContain('hotspare-manifest.json');
    expect(await keys()).toContain('products/widget/index.html');
    const css = (await keys()).find((k) => /^css\/site\.[0-9a-f]{10}\.css$/.test(k));
    expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: css }))).ContentType).toBe(
      'text/css; charset=utf-8',
    );
    expect((await s3.send(new GetBucketWebsiteCommand({ Bucket: BUCKET }))).IndexDocument?.Suffix).toBe('index.html');
  });

  it('site publish of a copy visitors cannot reach (no public read policy) exits 4, with the fix', async () => {
    const r = await hotspare(moto, 'site', 'publish', join(dir, 'copy'), '--bucket', BUCKET);
    expect(r.status).toBe(4);
    expect(r.stdout).toContain('BLOCKING: No bucket policy lets everyone read the objects');
    expect(r.stdout).toContain(`fix: aws s3api put-bucket-policy --bucket ${BUCKET}`);
  });

  it('once the bucket policy lets everyone read, the same publish exits 0 (and so does a refresh)', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }],
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify(policy) }));
    const r = await hotspare(moto, 'site', 'publish', join(dir, 'copy'), '--bucket', BUCKET);
    expect(r.stdout).not.toContain('BLOCKING');
    expect(r.status).toBe(0);
  });

  it('a second refresh with nothing changed uploads only the manifest', async () => {
    const r = await hotspare(moto, 'site', 'refresh', runbook, '--out', join(dir, 'copy'), '--force', '--json');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { publish: { uploads: { key: string }[]; deletes: string[] } };
    expect(report.publish.uploads.map((u) => u.key)).toEqual(['hotspare-manifest.json']);
    expect(report.publish.deletes).toEqual([]);
  });

  it('a bucket that does not exist is a clear error (exit 1, no stack)', async () => {
    const r = await hotspare(moto, 'site', 'publish', join(dir, 'copy'), '--bucket', 'no-such-bucket-here');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('hotspare: Bucket no-such-bucket-here was not found in this account and region.');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
