import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetBucketWebsiteCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSiteBucket } from '../../src/aws/s3.js';
import { httpFetcher } from '../../src/site/fetcher.js';
import { parseManifest } from '../../src/site/manifest.js';
import { publishSite } from '../../src/site/publish.js';
import { takeSnapshot } from '../../src/site/snapshot.js';
import { MANIFEST_FILE } from '../../src/site/urls.js';
import { tempDir } from '../helpers/engine.js';
import { startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';
import { startTestSite, type TestSite } from '../site/test-site.js';

const BUCKET = 'maintenance.example.test';

describe('site publish to S3 on moto', () => {
  let moto: Moto;
  let site: TestSite;
  let s3: S3Client;
  let dir: string;
  const publish = () =>
    publishSite({
      dir,
      bucket: BUCKET,
      region: 'us-east-1',
      port: createSiteBucket({ region: 'us-east-1', endpointUrl: moto.endpoint }),
      website: true,
    });
  const keys = async (): Promise<string[]> =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key ?? '').sort();

  beforeAll(async () => {
    useFakeAwsCredentials();
    [moto, site] = await Promise.all([startMoto(), startTestSite()]);
    s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    dir = join(tempDir('hotspare-moto-pub-'), 'snap');
    await takeSnapshot({
      url: new URL(`${site.origin}/`),
      out: dir,
      fetcher: httpFetcher(),
      dynamicPrefixes: ['/search'],
    });
  });
  afterAll(async () => {
    s3?.destroy();
    await Promise.all([moto?.stop(), site?.close()]);
  });

  it('uploads every file with its content type and cache control, the manifest, and the website configuration', async () => {
    const report = await publish();
    expect(report.plan.uploads.every((u) => u.reason !== 'changed')).toBe(true);
    const expected = [...Object.keys(report.plan.manifest.files), MANIFEST_FILE].sort();
    expect(await keys()).toEqual(expected);
    const head = (key: string) => s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect((await head('index.html')).ContentType).toBe('text/html; charset=utf-8');
    expect((await head('index.html')).CacheControl).toBe('public, max-age=60');
    expect((await head('about/index.html')).ContentType).toBe('text/html; charset=utf-8');
    const css =
      Object.keys(report.plan.manifest.files).find((k) => /^css\/site\.[0-9a-f]{10}\.css$/.test(k)) ?? 'css/site.css';
    expect((await head(css)).ContentType).toBe('text/css; charset=utf-8');
    expect((await head(css)).CacheControl).toBe('public, max-age=31536000, immutable');
    expect((await head('img/team.jpg')).CacheControl).toBe('public, max-age=3600');
    expect((await head('img/logo.png')).ContentType).toBe('image/png');
    expect((await head('fonts/shop.woff2')).ContentType).toBe('font/woff2');
    expect((await head('img/logo.png')).Metadata?.['sha256']).toBe(report.plan.manifest.files['img/logo.png']?.sha256);
    expect((await head(MANIFEST_FILE)).CacheControl).toBe('no-cache, max-age=0');
    const website = await s3.send(new GetBucketWebsiteCommand({ Bucket: BUCKET }));
    expect(website.IndexDocument?.Suffix).toBe('index.html');
    expect(website.ErrorDocument?.Key).toBe('index.html');
    // moto's new bucket has no policy: the website endpoint would answer 403, and publish says so.
    expect(report.findings.map((f) => f.severity)).toContain('blocking');
    expect(report.findings.map((f) => f.message).join(' ')).toMatch(/No bucket policy lets everyone read/);
  });

  it('publishing again after one page changed and one was removed uploads that page only and deletes the other', async () => {
    writeFileSync(join(dir, 'about/index.html'), '<!doctype html><title>About</title><h1>About us, rewritten</h1>');
    rmSync(join(dir, 'products/gadget'), { recursive: true });
    const report = await publish();
    expect(report.plan.uploads.map((u) => [u.key, u.reason])).toEqual([
      ['about/index.html', 'changed'],
      [MANIFEST_FILE, 'manifest'],
    ]);
    expect(report.plan.deletes).toEqual(['products/gadget/index.html']);
    expect(await keys()).not.toContain('products/gadget/index.html');
    const about = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'about/index.html' }));
    expect(await about.Body?.transformToString()).toContain('rewritten');
    const manifest = parseManifest(
      (await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: MANIFEST_FILE }))).Body?.transformToString()) ??
        '',
    );
    expect(manifest?.files['products/gadget/index.html']).toBeUndefined();
    expect(manifest?.publishedAt).toBeDefined();
  });
});
