import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSite } from '../../src/site/check.js';
import { DIR_ORIGIN, dirFetcher } from '../../src/site/dir-reader.js';
import { httpFetcher } from '../../src/site/fetcher.js';
import { parseManifest, sha256 } from '../../src/site/manifest.js';
import { takeSnapshot, type SnapshotResult } from '../../src/site/snapshot.js';
import { MANIFEST_FILE } from '../../src/site/urls.js';
import { tempDir } from '../helpers/engine.js';
import { serveFolder, type StaticServer } from '../helpers/static-server.js';
import { BROKEN_PATH, FORM_SERVICE, startTestSite, type TestSite } from './test-site.js';

const BANNER = "We'll be right back <soon> & then some";

describe('site snapshot of a live site', () => {
  let site: TestSite;
  let out: string;
  let result: SnapshotResult;
  const read = (key: string): string => readFileSync(join(out, key), 'utf8');
  const keyLike = (pattern: RegExp): string =>
    Object.keys(result.manifest.files).find((k) => pattern.test(k)) ?? `no key like ${pattern}`;
  const siteCss = (): string => keyLike(/^css\/site\./);

  beforeAll(async () => {
    site = await startTestSite();
    out = join(tempDir('hotspare-snap-'), 'copy');
    result = await takeSnapshot({
      url: new URL(`${site.origin}/`),
      out,
      fetcher: httpFetcher(),
      dynamicPrefixes: ['/search'],
      banner: BANNER,
    });
  });
  afterAll(() => site.close());

  it('stores pages as folder/index.html, assets at their paths, stylesheets and scripts under keys carrying their hash', () => {
    const keys = Object.keys(result.manifest.files)
      .map((k) => k.replace(/\.[0-9a-f]{10}\.(css|js)$/, '.HASH.$1'))
      .sort();
    expect(keys).toEqual([
      'about/index.html',
      'css/base.HASH.css',
      'css/site.HASH.css',
      'fonts/shop.woff2',
      'img/bg.png',
      'img/gadget.png',
      'img/gadget.webp',
      'img/h1.png',
      'img/logo.png',
      'img/logo@2x.png',
      'img/team.jpg',
      'index.html',
      'js/app.HASH.js',
      'products/gadget/index.html',
      'products/index.html',
      'products/widget/index.html',
      'signup/index.html',
    ]);
    for (const key of Object.keys(result.manifest.files)) expect(existsSync(join(out, key))).toBe(true);
    expect(result.manifest.pages).toBe(6);
    expect(result.manifest.assets).toBe(11);
  });

  it('never fetches a dynamic page', () => {
    expect(site.requested.some((p) => p.startsWith('/search'))).toBe(false);
  });

  it('rewrites same-origin links to relative links that work on S3 website hosting', () => {
    const index = read('index.html');
    expect(index).toContain('href="about/"');
    expect(index).toContain('href="products/"');
    expect(index).toContain('href="signup/"');
    expect(index).toContain('srcset="img/logo.png 1x, img/logo@2x.png 2x"');
    expect(index).toContain(`href="${siteCss()}"`);
    const widget = read('products/widget/index.html');
    expect(widget).toContain('url(&quot;../../img/bg.png&quot;)');
    expect(widget).toContain('href="../"');
    expect(read('about/index.html')).toContain('href="../products/widget/#specs"');
    expect(read(siteCss())).toContain('url(../img/bg.png)');
    expect(read(siteCss())).toContain('url("../fonts/shop.woff2")');
    expect(read(siteCss())).toMatch(/@import "base\.[0-9a-f]{10}\.css"/);
    expect(read(keyLike(/^css\/base\./))).toContain('url("../img/h1.png")');
  });

  it('sends dynamic pages and GET forms back to the live origin; POST forms to the origin become a notice', () => {
    const index = read('index.html');
    expect(index).toContain(`href="${site.origin}/search?q=sale"`);
    expect(index).toContain(`action="${site.origin}/search"`);
    const signup = read('signup/index.html');
    expect(signup).not.toContain(` action="${site.origin}/signup"`);
    expect(signup).toContain('<p class="hotspare-form-closed" role="status" data-hotspare-form="notice"');
    expect(signup).toContain(`action="${FORM_SERVICE}"`);
    expect(index).toContain('href="https://example.org/"');
    expect(index).toContain('href="mailto:shop@example.com"');
  });

  it('keeps the broken link relative so the checker can name it, and lists it in the manifest', () => {
    expect(read('index.html')).toContain('href="missing/"');
    expect(result.manifest.errors).toEqual([
      { url: `${site.origin}${BROKEN_PATH}`, status: 404, from: `${site.origin}/` },
    ]);
  });

  it('puts the banner at the top of every page, escaped only where HTML needs it', () => {
    for (const [key, file] of Object.entries(result.manifest.files)) {
      if (file.kind !== 'page') continue;
      expect(read(key)).toContain('<body><div id="hotspare-banner"');
      expect(read(key)).toContain("We'll be right back &lt;soon&gt; &amp; then some</div>");
    }
  });

  it('writes a manifest whose hashes and sizes match the files', () => {
    const manifest = parseManifest(read(MANIFEST_FILE));
    expect(manifest).toBeDefined();
    expect(manifest!.source).toBe(`${site.origin}/`);
    let bytes = 0;
    for (const [key, file] of Object.entries(manifest!.files)) {
      const body = readFileSync(join(out, key));
      expect(file.sha256).toBe(sha256(body));
      expect(file.bytes).toBe(body.length);
      bytes += body.length;
    }
    expect(manifest!.bytes).toBe(bytes);
    expect(manifest!.files[siteCss()]!.contentType).toBe('text/css; charset=utf-8');
    expect(manifest!.files[siteCss()]!.immutable).toBe(true);
  });

  it('serves from a plain static file server with every internal link answering 200, except the planted one', async () => {
    const server: StaticServer = await serveFolder(out);
    try {
      const report = await checkSite({ start: new URL(`${server.origin}/`), fetcher: httpFetcher() });
      const internal = report.links.filter((l) => l.internal);
      expect(internal.length).toBeGreaterThan(25);
      expect(internal.filter((l) => l.status !== 200).map((l) => [l.page, l.link, l.status])).toEqual([
        ['/', 'missing/', 404],
      ]);
      expect(report.pages).toBe(6);
    } finally {
      await server.close();
    }
  });

  it('the checker finds exactly the planted broken link, and reports each form with the policy applied', async () => {
    const report = await checkSite({ start: new URL(`${DIR_ORIGIN}/`), fetcher: dirFetcher(out), origin: site.origin });
    expect(report.ok).toBe(false);
    expect(report.broken.map((b) => ({ page: b.page, link: b.link, status: b.status }))).toEqual([
      { page: '/', link: 'missing/', status: 404 },
    ]);
    expect(report.forms.map((f) => [f.page, f.form, f.policy, f.severity]).sort()).toEqual([
      ['/', 'form 1', 'origin', 'warning'],
      ['/signup/', '#newsletter', 'service', 'ok'],
      ['/signup/', '#signup', 'notice', 'ok'],
    ]);
    expect(report.external.checked).toBe(0);
    expect(report.external.skipped).toBeGreaterThan(0);
  });

  it('a second snapshot into the same folder replaces the first', async () => {
    site.setPage('/about/', '<!doctype html><title>About</title><h1>New about</h1>');
    const again = await takeSnapshot({
      url: new URL(`${site.origin}/`),
      out,
      fetcher: httpFetcher(),
      dynamicPrefixes: ['/search'],
    });
    expect(read('about/index.html')).toContain('New about');
    expect(existsSync(join(out, 'img/team.jpg'))).toBe(false);
    expect(again.manifest.files['img/team.jpg']).toBeUndefined();
  });

  it('refuses to replace a folder that is not a snapshot', async () => {
    const other = tempDir('hotspare-not-snap-');
    writeFileSync(join(other, 'notes.txt'), 'mine');
    await expect(takeSnapshot({ url: new URL(`${site.origin}/`), out: other, fetcher: httpFetcher() })).rejects.toThrow(
      /not empty and holds no snapshot/,
    );
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('fails clearly, leaving the folder alone, when the start page does not answer', async () => {
    await expect(
      takeSnapshot({ url: new URL(`${site.origin}${BROKEN_PATH}`), out, fetcher: httpFetcher() }),
    ).rejects.toThrow(/Nothing to copy: .*HTTP 404/);
    expect(read('about/index.html')).toContain('New about');
  });
});
