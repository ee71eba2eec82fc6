import { describe, expect, it } from 'vitest';
import { cssReferences, rewriteCss } from '../../src/site/css.js';
import { decodeText, spliceBytes } from '../../src/site/charset.js';
import { BANNER_ID, bannerEdit, forms, references, scanHtml } from '../../src/site/html.js';
import { allowsPublicRead, publicReadPolicy, websiteAnswer, websiteEndpoint } from '../../src/site/website-access.js';
import {
  assetKey,
  entryKeyFor,
  isDynamic,
  pageKey,
  relativeLink,
  resolveLink,
  safeKey,
  typedKey,
  underPrefix,
  versionedKey,
} from '../../src/site/urls.js';

const u = (path: string): URL => new URL(path, 'https://shop.example/');

describe('where files go and how they link', () => {
  it('stores pages as folder indexes and assets at their paths', () => {
    expect(pageKey(u('/'))).toBe('index.html');
    expect(pageKey(u('/about'))).toBe('about/index.html');
    expect(pageKey(u('/about/'))).toBe('about/index.html');
    expect(pageKey(u('/a/b.html'))).toBe('a/b.html');
    expect(pageKey(u('/caf%C3%A9'))).toBe('café/index.html');
    expect(assetKey(u('/css/site.css'))).toBe('css/site.css');
  });

  it('gives a page with a query a key of its own that S3 website hosting serves (it ignores queries)', () => {
    expect(pageKey(u('/?p=12'))).toBe('index.p=12.html');
    expect(pageKey(u('/?paged=2&cat=3'))).toBe('index.paged=2&cat=3.html');
    expect(pageKey(u('/2024/?m=5'))).toBe('2024/index.m=5.html');
    expect(pageKey(u('/a.html?x=1'))).toBe('a.x=1.html');
    // `/` and `+` would make a folder or read as a space: escaped.
    expect(pageKey(u('/?redirect_to=/wp-admin/&a=b+c'))).toBe('index.redirect_to=%2Fwp-admin%2F&a=b%2Bc.html');
    expect(relativeLink('index.html', 'index.p=12.html')).toBe('index.p=12.html');
    expect(relativeLink('index.html', 'index.redirect_to=%2Fwp-admin%2F&a=b%2Bc.html')).toBe(
      'index.redirect_to=%252Fwp-admin%252F&a=b%252Bc.html',
    );
    expect(assetKey(u('/img.php?id=2'))).toBe('img.id=2.php');
  });

  it('stores a feed under a key of its own, and versions stylesheets and scripts by content', () => {
    expect(typedKey(u('/feed/'), 'xml')).toBe('feed.xml');
    expect(typedKey(u('/comments/feed/'), 'xml')).toBe('comments/feed.xml');
    expect(typedKey(u('/'), 'xml')).toBe('index.xml');
    expect(versionedKey('css/site.css', 'ab'.repeat(32))).toBe('css/site.ababababab.css');
  });

  it('cuts a segment too long for a file system, keeping it unique', () => {
    const long = 'x'.repeat(300);
    const key = safeKey(`a/${long}.png`);
    expect(Buffer.byteLength(key.split('/')[1] ?? '')).toBeLessThanOrEqual(200);
    expect(key).toMatch(/^a\/x{100}~[0-9a-f]{10}\.png$/);
    expect(safeKey(`a/${'x'.repeat(299)}y.png`)).not.toBe(key);
  });

  it('never lets an encoded dot-dot climb out of the snapshot', () => {
    // The URL parser already folds `%2e%2e` segments: the key stays inside the site's root.
    expect(assetKey(u('/a/%2e%2e/%2e%2e/etc/passwd'))).toBe('etc/passwd');
    expect(assetKey(u('/a%2fb'))).toBe('a%2fb');
    expect(assetKey(u('/a/%2E%2E%2Fb'))).toBe('a/%2E%2E%2Fb');
  });

  it('links relatively, folders with a trailing slash', () => {
    expect(relativeLink('index.html', 'about/index.html')).toBe('about/');
    expect(relativeLink('about/index.html', 'index.html')).toBe('../');
    expect(relativeLink('index.html', 'index.html', '#top')).toBe('./#top');
    expect(relativeLink('a/b/index.html', 'img/x y@2x.png')).toBe('../../img/x%20y@2x.png');
    expect(relativeLink('index.html', 'a:b/index.html')).toBe('./a:b/');
  });

  it('matches dynamic prefixes by path segment; a query alone is not dynamic', () => {
    expect(underPrefix('/search', '/search')).toBe(true);
    expect(underPrefix('/search/x', '/search')).toBe(true);
    expect(underPrefix('/searchable', '/search')).toBe(false);
    expect(isDynamic(u('/products?page=2'), [])).toBe(false);
    expect(isDynamic(u('/search?q=x'), ['/search'])).toBe(true);
    expect(isDynamic(u('/products'), ['/search'])).toBe(false);
  });

  it('ignores links that are not http(s) pages', () => {
    for (const href of ['#top', 'mailto:a@b', 'tel:1', 'javascript:void(0)', 'data:image/png;base64,AA', ''])
      expect(resolveLink(href, u('/'))).toBeUndefined();
    expect(resolveLink('/x#frag', u('/'))?.href).toBe('https://shop.example/x');
  });

  it('names the key of the maintenance URL itself', () => {
    expect(entryKeyFor('https://m.example/')).toBeUndefined();
    expect(entryKeyFor('https://m.example/down.html')).toBe('down.html');
    expect(entryKeyFor('https://m.example/maint/')).toBe('maint/index.html');
  });
});

describe('HTML and CSS references', () => {
  it('finds links, assets, srcset candidates, style urls and forms, in order', () => {
    const doc = scanHtml(
      `<link rel="stylesheet" href="/s.css"><link rel="canonical" href="/c"><a href="/a">a</a><img src="/i.png" srcset="/i.png 1x, /i2.png 2x"><div style="background:url('/bg.png')"></div><style>p{background:url(/p.png)}</style><form action="/post" method="POST"></form><iframe src="/frame"></iframe>`,
    );
    expect(references(doc).map(({ raw, role }) => ({ raw, role }))).toEqual([
      { raw: '/s.css', role: 'asset' },
      { raw: '/a', role: 'page' },
      { raw: '/i.png', role: 'asset' },
      { raw: '/i.png', role: 'asset' },
      { raw: '/i2.png', role: 'asset' },
      { raw: '/bg.png', role: 'asset' },
      { raw: '/p.png', role: 'asset' },
      { raw: '/post', role: 'form' },
      { raw: '/frame', role: 'page' },
    ]);
    expect(forms(doc)).toEqual([{ label: 'form 1', method: 'post', action: '/post' }]);
  });

  it('injects the banner once, even when run twice, keeping the text byte for byte', () => {
    const inject = (html: string): string => {
      const bytes = Buffer.from(html);
      return spliceBytes(bytes, decodeText(bytes, 'utf-8'), [
        bannerEdit(html, scanHtml(html), "We'll be back"),
      ]).toString('utf8');
    };
    const html = inject(inject('<html><body><p>x</p></body></html>'));
    expect(html.split(BANNER_ID)).toHaveLength(2);
    expect(html).toContain(">We'll be back</div><p>x</p>");
  });

  it('rewrites only url() and @import tokens, leaving comments and broken CSS alone', () => {
    const css =
      '/* keep */ @import "a.css"; @import url(b.css) screen; .x{background:url( "c.png" )} .bad{color:;} .y{src:url(data:font/woff;base64,AA)}';
    expect(cssReferences(css)).toEqual(['a.css', 'b.css', 'c.png', 'data:font/woff;base64,AA']);
    const out = rewriteCss(css, (raw) => (raw.startsWith('data:') ? undefined : `new/${raw}`));
    expect(out).toBe(
      '/* keep */ @import "new/a.css"; @import url("new/b.css") screen; .x{background:url("new/c.png")} .bad{color:;} .y{src:url(data:font/woff;base64,AA)}',
    );
  });
});

describe('website access', () => {
  it('recognises a public-read policy and nothing weaker', () => {
    expect(allowsPublicRead(publicReadPolicy('b'), 'b')).toBe(true);
    expect(allowsPublicRead(publicReadPolicy('other'), 'b')).toBe(false);
    const conditioned = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
          Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
        },
      ],
    });
    expect(allowsPublicRead(conditioned, 'b')).toBe(false);
    const cloudfront = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
        },
      ],
    });
    expect(allowsPublicRead(cloudfront, 'b')).toBe(false);
    expect(allowsPublicRead('not json', 'b')).toBe(false);
  });

  it('answers as the website endpoint would', () => {
    const website = { indexDocument: 'index.html' };
    expect(websiteAnswer({}, 'b')).toBe(404);
    expect(websiteAnswer({ website }, 'b')).toBe(403);
    expect(websiteAnswer({ website, policy: publicReadPolicy('b') }, 'b')).toBe(200);
    const block = {
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    };
    expect(websiteAnswer({ website, policy: publicReadPolicy('b'), publicAccessBlock: block }, 'b')).toBe(403);
    expect(websiteEndpoint('b', 'us-east-1')).toBe('http://b.s3-website-us-east-1.amazonaws.com/');
    expect(websiteEndpoint('b', 'eu-central-1')).toBe('http://b.s3-website.eu-central-1.amazonaws.com/');
  });
});

describe('writeKey', () => {
  it('refuses a key that would land outside the folder', async () => {
    const { writeKey } = await import('../../src/site/output-dir.js');
    const { tempDir } = await import('../helpers/engine.js');
    await expect(writeKey(tempDir(), '../escape.txt', Buffer.from('x'))).rejects.toThrow(/unsafe path/);
  });
});
