import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';
import { cli, html, notFound, serveOrigin, type LocalOrigin } from './hostile-site.js';

/** The manifest of a snapshot folder. */
function manifestOf(dir: string): {
  pages: number;
  files: Record<string, { contentType?: string; url?: string }>;
  cut?: Record<string, { count: number }>;
  errors?: { url: string; error?: string }[];
} {
  return JSON.parse(readFileSync(join(dir, 'hotspare-manifest.json'), 'utf8')) as ReturnType<typeof manifestOf>;
}

/** Every page of a WordPress site with "Plain" permalinks: posts, pages, categories and archives are queries on `/`. */
function plainPermalinks(url: URL): string {
  const q = url.searchParams;
  const nav =
    '<a href="/">Home</a> <a href="/?page_id=7">About</a> <a href="/?cat=3">News</a> <a href="/?s=kettle">Search kettles</a>';
  const search = '<form role="search" method="get" action="/"><input name="s"><button>Search</button></form>';
  const page = (title: string, body: string): string =>
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${nav}${search}<main>${body}</main></body></html>`;
  if (q.has('p')) {
    const n = Number(q.get('p'));
    return page(
      `Post ${n}`,
      `<h1>Post ${n}</h1>${n < 6 ? `<a href="/?p=${n + 1}">Next post</a>` : ''} <a href="?p=${n}&amp;replytocom=${n}0#respond">Reply</a>`,
    );
  }
  if (q.has('page_id')) return page('About', '<h1>About</h1>');
  if (q.has('cat')) return page('News', '<a href="/?p=3">Post 3</a> <a href="/?cat=3&amp;paged=2">Older</a>');
  if (q.has('paged')) return page(`Page ${q.get('paged')}`, `<a href="/?p=6">Post 6</a>`);
  return page('Home', '<a href="/?p=1">Post 1</a> <a href="/?p=2">Post 2</a> <a href="/?paged=2">Older posts</a>');
}

describe('site snapshot and check of hostile origins, through the built CLI', () => {
  const open: LocalOrigin[] = [];
  const serve = async (...args: Parameters<typeof serveOrigin>): Promise<LocalOrigin> => {
    const o = await serveOrigin(...args);
    open.push(o);
    return o;
  };
  beforeAll(() => requireBuiltCli());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
  });

  it('item 1: "Plain" permalinks (?p=, ?page_id=, ?cat=, ?paged=) are pages: copied under their own keys, and check passes with the origin stopped', async () => {
    const origin = await serve((url, res) => (url.pathname === '/' ? html(res, plainPermalinks(url)) : notFound(res)));
    const out = join(tempDir('hotspare-plain-'), 'copy');
    const snap = await cli(['site', 'snapshot', `${origin.origin}/`, '--out', out, '--dynamic', '/?s=']);
    expect(snap.stderr).not.toContain('hotspare:');
    expect(snap.status).toBe(0);
    const keys = Object.keys(manifestOf(out).files).sort();
    for (const key of [
      'index.html',
      'index.p=1.html',
      'index.p=6.html',
      'index.page_id=7.html',
      'index.cat=3.html',
      'index.paged=2.html',
      'index.cat=3&paged=2.html',
      'index.p=1&replytocom=10.html',
    ])
      expect(keys).toContain(key);
    expect(origin.requested.some((r) => r.includes('s=kettle'))).toBe(false);
    const home = readFileSync(join(out, 'index.html'), 'utf8');
    expect(home).toContain('href="index.p=1.html"');
    expect(home).toContain(`href="${origin.origin}/?s=kettle"`);
    await origin.close();
    const check = await cli(['site', 'check', out]);
    expect(check.stdout).toContain('OK: every link and asset resolves');
    expect(check.stdout).not.toContain('BROKEN');
    expect(check.status).toBe(0);
  });

  it('item 3: check lists every way the copy depends on the origin, grouped with counts; the copy drops the API links that would fail', async () => {
    const origin = await serve((url, res) => {
      const o = `http://${url.host}`;
      if (url.pathname === '/') {
        return html(
          res,
          `<!doctype html><html><head><title>Blog</title>
<link rel="canonical" href="${o}/"><link rel="shortlink" href="${o}/?p=1">
<link rel="alternate" type="application/json+oembed" href="/wp-json/oembed/1.0/embed?url=x">
<link rel="https://api.w.org/" href="/wp-json/"><link rel="EditURI" type="application/rsd+xml" href="/xmlrpc.php?rsd">
<link rel="pingback" href="/xmlrpc.php">
<script>var wpApiSettings = {"root":"${o.replace(/\//g, '\\/')}\\/wp-json\\/","nonce":"x"}; var ajax = "${o}/wp-admin/admin-ajax.php";</script>
</head><body><a href="/wp-login.php">Log in</a><img src="/logo.png"></body></html>`,
        );
      }
      if (url.pathname === '/logo.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end('png');
      if (url.pathname === '/wp-login.php')
        return html(res, '<form method="post" action="/wp-login.php"><input name="log"></form>');
      notFound(res);
    });
    const out = join(tempDir('hotspare-deps-'), 'copy');
    expect(
      (
        await cli([
          'site',
          'snapshot',
          `${origin.origin}/`,
          '--out',
          out,
          '--dynamic',
          '/wp-json',
          '--dynamic',
          '/xmlrpc.php',
        ])
      ).status,
    ).toBe(0);
    const home = readFileSync(join(out, 'index.html'), 'utf8');
    for (const gone of ['oembed', 'api.w.org', 'EditURI', 'pingback']) expect(home).not.toContain(gone);
    expect(home).toContain('rel="canonical"');
    const check = await cli(['site', 'check', out]);
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/The copy still refers to the origin \d+ time\(s\):/);
    expect(check.stdout).toMatch(/ORIGIN {6}2× origin URLs in inline scripts/);
    expect(check.stdout).toMatch(/ORIGIN {6}1× <link rel="canonical">/);
    expect(check.stdout).toMatch(/ORIGIN {6}1× <link rel="shortlink">/);
  });

  it('item 4: an endless @import chain, endless asset redirects and a page of 20,000 images end within the limits, reporting what was cut and keeping the rest', async () => {
    const origin = await serve((url, res) => {
      const p = url.pathname;
      if (p === '/')
        return html(
          res,
          `<html><head><link rel="stylesheet" href="/css/0.css"></head><body><a href="/about/">About</a><a href="/gallery/">Gallery</a><img src="/r/0.png"></body></html>`,
        );
      if (p === '/gallery/')
        return html(res, Array.from({ length: 20_000 }, (_, i) => `<img src="/img/${i}.png">`).join(''));
      if (p === '/about/') return html(res, '<h1>About</h1>');
      const css = /^\/css\/(\d+)\.css$/.exec(p);
      if (css !== null)
        return void res
          .writeHead(200, { 'content-type': 'text/css' })
          .end(`@import "${Number(css[1]) + 1}.css"; body{}`);
      const hop = /^\/r\/(\d+)\.png$/.exec(p);
      if (hop !== null) return void res.writeHead(302, { location: `/r/${Number(hop[1]) + 1}.png` }).end();
      if (p.startsWith('/img/')) return void res.writeHead(200, { 'content-type': 'image/png' }).end('png');
      notFound(res);
    });
    const out = join(tempDir('hotspare-bounds-'), 'copy');
    const r = await cli(
      [
        'site',
        'snapshot',
        `${origin.origin}/`,
        '--out',
        out,
        '--max-assets',
        '300',
        '--max-hops',
        '3',
        '--concurrency',
        '1',
      ],
      {},
      120_000,
    );
    expect(r.stderr).not.toContain('hotspare:');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Left out by the crawl limits (links to them stay on the origin):');
    expect(r.stdout).toMatch(/ {2}\d+ URL\(s\): maxAssets reached, e\.g\. /);
    expect(r.stdout).toMatch(/ {2}2 URL\(s\): more than maxHops redirects or CSS imports/);
    const m = manifestOf(out);
    expect(m.cut?.['assets']?.count).toBeGreaterThan(19_000);
    expect(Object.keys(m.files)).toContain('about/index.html');
    expect(Object.keys(m.files)).toContain('gallery/index.html');
    expect(Object.keys(m.files).filter((k) => k.startsWith('css/'))).toHaveLength(4);
    // The links to what was left out point at the origin, so the copy has no broken link.
    const check = await cli(['site', 'check', out]);
    expect(check.stdout).not.toContain('BROKEN');
    expect(check.status).toBe(0);
  });

  it('item 4: a slow origin is cut at --max-seconds, and a run without a terminal prints progress lines while it works', async () => {
    let served = 0;
    const origin = await serve(async (url, res) => {
      if (url.pathname === '/')
        return html(res, Array.from({ length: 200 }, (_, i) => `<a href="/p/${i}/">${i}</a>`).join(' '));
      served++;
      await new Promise((r) => setTimeout(r, 300));
      html(res, '<p>slow page</p>');
    });
    const out = join(tempDir('hotspare-slow-'), 'copy');
    const r = await cli([
      'site',
      'snapshot',
      `${origin.origin}/`,
      '--out',
      out,
      '--max-seconds',
      '6',
      '--concurrency',
      '2',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ {2}\d+ URL\(s\): maxSeconds reached/);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('snapshot ['));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(served).toBeLessThan(200);
  });

  it('item 5: /logo beside /logo/big.png, a 300-byte path segment and HTML nested 5,000 deep are all copied; nothing is blamed on the site', async () => {
    const long = `${'a'.repeat(300)}.png`;
    const origin = await serve((url, res) => {
      const p = decodeURIComponent(url.pathname);
      if (p === '/')
        return html(res, `<img src="/logo"><img src="/logo/big.png"><img src="/img/${long}"><a href="/deep/">Deep</a>`);
      if (p === '/logo' || p === '/logo/big.png' || p === `/img/${long}`)
        return void res.writeHead(200, { 'content-type': 'image/png' }).end(p);
      if (p === '/deep/')
        return html(res, `${'<div>'.repeat(5000)}<a href="/">Home</a><img src="/logo">${'</div>'.repeat(5000)}`);
      notFound(res);
    });
    const out = join(tempDir('hotspare-odd-'), 'copy');
    const r = await cli(['site', 'snapshot', `${origin.origin}/`, '--out', out]);
    expect(r.stderr).not.toMatch(/internal error|a bug|Maximum call stack/);
    expect(r.status).toBe(0);
    const m = manifestOf(out);
    expect(m.errors).toEqual([]);
    const byUrl = new Map(Object.entries(m.files).map(([k, f]) => [f.url, k]));
    expect(byUrl.get(`${origin.origin}/logo`)).toBe('logo.png');
    expect(byUrl.get(`${origin.origin}/logo/big.png`)).toBe('logo/big.png');
    expect(Buffer.byteLength(byUrl.get(`${origin.origin}/img/${long}`)?.split('/')[1] ?? '')).toBeLessThanOrEqual(200);
    expect(readFileSync(join(out, 'deep/index.html'), 'utf8')).toContain('<img src="../logo.png">');
    const check = await cli(['site', 'check', out]);
    expect(check.stdout).not.toContain('BROKEN');
    expect(check.status).toBe(0);
  });

  it('item 6: windows-1252 and ISO-8859-1 pages and CSS keep their charset: only rewritten links change, every other byte stays', async () => {
    const latin = (text: string): Buffer => Buffer.from(text, 'latin1');
    const page = latin(
      '<html><head><meta charset="windows-1252"><link rel="stylesheet" href="/s.css"><title>Caf\u00e9</title></head><body><p>Caf\u00e9 cr\u00e8me \u00a3 5</p><a href="/menu">Men\u00fa</a></body></html>',
    );
    const menu = latin(
      '<html><head><title>Men\u00fa</title></head><body><p>Cr\u00eape br\u00fbl\u00e9e</p><a href="/">Caf\u00e9</a></body></html>',
    );
    const css = latin('/* caf\u00e9 */ body { background: url(/bg.png) } h1::before { content: "Caf\u00e9" }');
    const origin = await serve((url, res) => {
      if (url.pathname === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page);
      if (url.pathname === '/menu')
        return void res.writeHead(200, { 'content-type': 'text/html; charset=ISO-8859-1' }).end(menu);
      if (url.pathname === '/s.css')
        return void res.writeHead(200, { 'content-type': 'text/css; charset=windows-1252' }).end(css);
      if (url.pathname === '/bg.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end('png');
      notFound(res);
    });
    const out = join(tempDir('hotspare-charset-'), 'copy');
    const r = await cli(['site', 'snapshot', `${origin.origin}/`, '--out', out]);
    expect(r.status).toBe(0);
    const m = manifestOf(out);
    const cssKey = Object.keys(m.files).find((k) => k.endsWith('.css')) ?? '';
    expect(readFileSync(join(out, 'index.html'))).toEqual(
      latin(
        `<html><head><meta charset="windows-1252"><link rel="stylesheet" href="${cssKey}"><title>Caf\u00e9</title></head><body><p>Caf\u00e9 cr\u00e8me \u00a3 5</p><a href="menu/">Men\u00fa</a></body></html>`,
      ),
    );
    expect(readFileSync(join(out, 'menu/index.html'))).toEqual(
      latin(
        '<html><head><title>Men\u00fa</title></head><body><p>Cr\u00eape br\u00fbl\u00e9e</p><a href="../">Caf\u00e9</a></body></html>',
      ),
    );
    expect(readFileSync(join(out, cssKey))).toEqual(
      latin('/* caf\u00e9 */ body { background: url("bg.png") } h1::before { content: "Caf\u00e9" }'),
    );
    expect(m.files['index.html']?.contentType).toBe('text/html; charset=windows-1252');
    expect(m.files['menu/index.html']?.contentType).toBe('text/html; charset=windows-1252');
    expect(m.files[cssKey]?.contentType).toBe('text/css; charset=windows-1252');
  });

  it('item 7: bodies stream to disk: copying eight 20 MiB assets takes no more memory than copying two', async () => {
    const size = 20 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 7);
    let count = 2;
    const origin = await serve(async (url, res) => {
      if (url.pathname === '/')
        return html(res, Array.from({ length: count }, (_, i) => `<video src="/v/${i}.mp4"></video>`).join(''));
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': size });
      for (let sent = 0; sent < size; sent += chunk.length)
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
      res.end();
    });
    const copy = async (): Promise<number> => {
      const out = join(tempDir('hotspare-big-'), 'copy');
      const r = await cli(['site', 'snapshot', `${origin.origin}/`, '--out', out, '--concurrency', '4'], {}, 120_000);
      expect(r.status).toBe(0);
      expect(readdirSync(join(out, 'v'))).toHaveLength(count);
      expect(r.maxRssMb).toBeDefined();
      return r.maxRssMb ?? 0;
    };
    const two = await copy();
    count = 8;
    const eight = await copy();
    // Held in memory, the six more files would add 120 MiB; streamed, the peak stays where it was.
    expect(eight - two).toBeLessThan(40);
  });

  it('item 8: a start URL that redirects to another host is not followed (exit 1, nothing written) unless allowed', async () => {
    const admin = await serve((_url, res) => html(res, '<h1>Internal admin</h1>'));
    const origin = await serve((_url, res) => void res.writeHead(302, { location: `${admin.origin}/admin/` }).end());
    const out = join(tempDir('hotspare-away-'), 'copy');
    const r = await cli(['site', 'snapshot', `${origin.origin}/`, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `hotspare: ${origin.origin}/ redirects to another host, ${admin.origin}/admin/: that is another site, and it was not copied.`,
    );
    expect(r.stderr).toContain(`--allow-redirect ${admin.host}`);
    expect(existsSync(out)).toBe(false);
    const allowed = await cli(['site', 'snapshot', `${origin.origin}/`, '--out', out, '--allow-redirect', admin.host]);
    expect(allowed.status).toBe(0);
    expect(readFileSync(join(out, 'admin/index.html'), 'utf8')).toContain('Internal admin');
  });

  it('item 11: a feed is stored under its own key with its type; pages only the sitemap names are copied', async () => {
    const rss = '<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title></channel></rss>';
    const origin = await serve((url, res) => {
      const o = `http://${url.host}`;
      switch (url.pathname) {
        case '/':
          return html(
            res,
            '<html><head><link rel="alternate" type="application/rss+xml" href="/feed/"></head><body><a href="/feed/">Feed</a></body></html>',
          );
        case '/feed/':
          return void res.writeHead(200, { 'content-type': 'application/rss+xml; charset=UTF-8' }).end(rss);
        case '/robots.txt':
          return void res
            .writeHead(200, { 'content-type': 'text/plain' })
            .end(`User-agent: *\nDisallow: /wp-admin/\nSitemap: ${o}/sitemap_index.xml\n`);
        case '/sitemap_index.xml':
          return void res
            .writeHead(200, { 'content-type': 'application/xml' })
            .end(
              `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${o}/post-sitemap.xml</loc></sitemap></sitemapindex>`,
            );
        case '/post-sitemap.xml':
          return void res
            .writeHead(200, { 'content-type': 'application/xml' })
            .end(
              `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${o}/orphan/</loc></url><url><loc>https://elsewhere.example/x</loc></url></urlset>`,
            );
        case '/orphan/':
          return html(res, '<h1>Nobody links here</h1>');
      }
      notFound(res);
    });
    const out = join(tempDir('hotspare-feed-'), 'copy');
    expect((await cli(['site', 'snapshot', `${origin.origin}/`, '--out', out])).status).toBe(0);
    const m = manifestOf(out);
    expect(m.files['feed.xml']?.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(m.files['feed/index.html']).toBeUndefined();
    expect(readFileSync(join(out, 'feed.xml'), 'utf8')).toBe(rss);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<a href="feed.xml">Feed</a>');
    expect(m.files['orphan/index.html']).toBeDefined();
    const check = await cli(['site', 'check', out]);
    expect(check.status).toBe(0);
  });
});
