import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SiteBucket } from '../../src/ports/site.js';
import { SandboxBucket } from '../../src/sandbox/bucket.js';
import { parseManifest } from '../../src/site/manifest.js';
import { publishSite } from '../../src/site/publish.js';
import { PENDING_FILE } from '../../src/site/publish-plan.js';
import { MANIFEST_FILE } from '../../src/site/urls.js';
import { tempDir } from '../helpers/engine.js';

/** A snapshot-like folder written by hand: a home page, a nested page, a stylesheet, an image. */
function folder(): string {
  const dir = tempDir('hotspare-pub-');
  const write = (key: string, body: string): void => {
    mkdirSync(join(dir, key, '..'), { recursive: true });
    writeFileSync(join(dir, key), body);
  };
  write('index.html', '<h1>home</h1>');
  write('about/index.html', '<h1>about</h1>');
  write('css/site.css', 'body{}');
  write('img/logo.png', 'png');
  return dir;
}

/** Records the order of mutating calls. */
function recording(inner: SandboxBucket): { port: SiteBucket; calls: string[] } {
  const calls: string[] = [];
  const port: SiteBucket = {
    list: (b) => inner.list(b),
    get: (b, k) => inner.get(b, k),
    readAccess: (b) => inner.readAccess(b),
    put: (b, o) => (calls.push(`put ${o.key}`), inner.put(b, o)),
    delete: (b, keys) => (calls.push(`delete ${keys.join(',')}`), inner.delete(b, keys)),
    configureWebsite: (b, c) => (
      calls.push(`website ${c.indexDocument} ${c.errorDocument ?? ''}`), inner.configureWebsite(b, c)
    ),
  };
  return { port, calls };
}

describe('site publish (on the sandbox bucket)', () => {
  let bucket: SandboxBucket;
  beforeEach(() => {
    bucket = new SandboxBucket();
    bucket.create('site', {});
  });

  it('lists the keys it adds, uploads assets, then pages, then the home page, then the manifest, then deletes; website last', async () => {
    const dir = folder();
    await publishSite({ dir, bucket: 'site', region: 'us-east-1', port: bucket });
    rmSync(join(dir, 'about'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<h1>home, again</h1>');
    writeFileSync(join(dir, 'contact.html'), '<h1>contact</h1>');
    writeFileSync(join(dir, 'css/site.css'), 'body{color:red}');
    const { port, calls } = recording(bucket);
    await publishSite({ dir, bucket: 'site', region: 'us-east-1', port, website: true, concurrency: 1 });
    expect(calls).toEqual([
      `put ${PENDING_FILE}`,
      'put css/site.css',
      'put contact.html',
      'put index.html',
      `put ${MANIFEST_FILE}`,
      'delete about/index.html',
      `delete ${PENDING_FILE}`,
      'website index.html index.html',
    ]);
  });

  it('a dry run says what would change and changes nothing', async () => {
    const { port, calls } = recording(bucket);
    const report = await publishSite({
      dir: folder(),
      bucket: 'site',
      region: 'us-east-1',
      port,
      dryRun: true,
      website: true,
    });
    expect(calls).toEqual([]);
    expect(report.plan.uploads.map((u) => [u.key, u.reason])).toEqual([
      ['css/site.css', 'new'],
      ['img/logo.png', 'new'],
      ['about/index.html', 'new'],
      ['index.html', 'new'],
      [MANIFEST_FILE, 'manifest'],
    ]);
    expect(await bucket.list('site')).toEqual([]);
  });

  it('objects hotspare did not put there are kept (and named) on every publish, unless --delete-unknown', async () => {
    await bucket.put('site', {
      key: 'old-maintenance.html',
      body: Buffer.from('x'),
      contentType: 'text/html',
      cacheControl: '',
      sha256: '0'.repeat(64),
    });
    const first = await publishSite({ dir: folder(), bucket: 'site', region: 'us-east-1', port: bucket });
    expect(first.plan.keptUnknown).toEqual(['old-maintenance.html']);
    expect(first.plan.deletes).toEqual([]);
    const second = await publishSite({ dir: folder(), bucket: 'site', region: 'us-east-1', port: bucket });
    expect(second.plan.deletes).toEqual([]);
    expect(second.plan.keptUnknown).toEqual(['old-maintenance.html']);
    const third = await publishSite({
      dir: folder(),
      bucket: 'site',
      region: 'us-east-1',
      port: bucket,
      deleteUnknown: true,
    });
    expect(third.plan.deletes).toEqual(['old-maintenance.html']);
  });

  it('uploads the published manifest with the real hashes and a publish time, and nothing else when nothing changed', async () => {
    const dir = folder();
    await publishSite({
      dir,
      bucket: 'site',
      region: 'us-east-1',
      port: bucket,
      now: () => Date.parse('2030-01-02T03:04:05Z'),
    });
    const again = await publishSite({ dir, bucket: 'site', region: 'us-east-1', port: bucket });
    expect(again.plan.uploads.map((u) => u.key)).toEqual([MANIFEST_FILE]);
    expect(again.plan.unchanged).toBe(4);
    const manifest = parseManifest(Buffer.from((await bucket.get('site', MANIFEST_FILE))!).toString());
    expect(Object.keys(manifest!.files).sort()).toEqual([
      'about/index.html',
      'css/site.css',
      'img/logo.png',
      'index.html',
    ]);
    expect(manifest!.pages).toBe(2);
  });

  it('says what stops the website endpoint from serving, with the fix', async () => {
    bucket.setAccess('site', {
      publicAccessBlock: {
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      },
    });
    const report = await publishSite({ dir: folder(), bucket: 'site', region: 'eu-central-1', port: bucket });
    const text = report.findings.map((f) => `${f.severity}: ${f.message} FIX ${f.fix ?? ''}`).join('\n');
    expect(report.findings.every((f) => f.severity === 'blocking')).toBe(true);
    expect(text).toMatch(/Static website hosting is off/);
    expect(text).toMatch(/RestrictPublicBuckets.*403/);
    expect(text).toMatch(/put-public-access-block --bucket site .*RestrictPublicBuckets=false/);
    expect(text).toMatch(/put-bucket-policy --bucket site --policy/);
  });

  it('a bucket that does not exist is a clear error', async () => {
    await expect(
      publishSite({ dir: folder(), bucket: 'nope', region: 'us-east-1', port: bucket }),
    ).rejects.toMatchObject({ code: 'BucketNotFound' });
  });
});
