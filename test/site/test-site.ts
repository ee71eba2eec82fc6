import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small live site for the snapshot and checker tests, served on 127.0.0.1: nested pages, a
 * redirect, CSS with `url()` and `@import`, images with `srcset`, a font, one planted broken link
 * (`/missing`), a search page, a form posting to the origin and one posting to a hosted service.
 */
export interface TestSite {
  readonly origin: string;
  /** Paths requested so far, in order (to prove what the crawler did not fetch). */
  readonly requested: string[];
  /** Replace or add a page body (HTML). */
  setPage(path: string, html: string): void;
  close(): Promise<void>;
}

/** The hosted form service the sign-up page posts to: another host, so the checker lets it pass. */
export const FORM_SERVICE = 'https://forms.example.net/f/newsletter';
/** The one link on the site that answers 404. */
export const BROKEN_PATH = '/missing';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

const page = (title: string, body: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="/css/site.css"><script src="/js/app.js" defer></script></head><body>${body}</body></html>`;

function initialPages(): Map<string, string> {
  return new Map([
    [
      '/',
      page(
        'Shop',
        `<nav><a href="/">Home</a> <a href="/about">About</a> <a href="products/">Products</a> <a href="/search?q=sale">Sale search</a> <a href="/signup">Sign up</a></nav>
<h1>Welcome &amp; hello</h1>
<img src="/img/logo.png" srcset="/img/logo.png 1x, /img/logo@2x.png 2x" alt="Shop">
<p>Old news: <a href="${BROKEN_PATH}">a page that is gone</a>. Friends: <a href="https://example.org/">example</a>. <a href="mailto:shop@example.com">Mail</a></p>
<form action="/search" method="get"><input name="q"><button>Search</button></form>`,
      ),
    ],
    [
      '/about/',
      page(
        'About',
        `<h1>About us</h1><img src="../img/team.jpg" alt="team"><p><a href="/products/widget#specs">Our widget</a> <a href="/">Home</a></p>`,
      ),
    ],
    [
      '/products/',
      page('Products', `<ul><li><a href="widget">Widget</a></li><li><a href="/products/gadget">Gadget</a></li></ul>`),
    ],
    [
      '/products/widget',
      page(
        'Widget',
        `<div style="background: url('/img/bg.png')"><h1 id="specs">Widget</h1></div><a href="./">All products</a>`,
      ),
    ],
    [
      '/products/gadget',
      page(
        'Gadget',
        `<picture><source srcset="/img/gadget.webp 1x"><img src="/img/gadget.png" alt="gadget"></picture><a href="/">Home</a>`,
      ),
    ],
    ['/search', page('Search', `<p>Results for your search</p>`)],
    [
      '/signup',
      page(
        'Sign up',
        `<form id="signup" action="/signup" method="post"><input name="email"><button>Join</button></form>
<form id="newsletter" action="${FORM_SERVICE}" method="POST"><input name="email"><button>Subscribe</button></form>`,
      ),
    ],
  ]);
}

const ASSETS: ReadonlyMap<string, readonly [string, Buffer]> = new Map([
  [
    '/css/site.css',
    [
      'text/css',
      Buffer.from(
        `@import "base.css";\nbody { background: url(../img/bg.png) no-repeat; }\n@font-face { font-family: Shop; src: url("/fonts/shop.woff2") format("woff2"); }\n`,
      ),
    ],
  ],
  ['/css/base.css', ['text/css', Buffer.from(`h1 { background-image: url("/img/h1.png"); }\n`)]],
  ['/js/app.js', ['text/javascript', Buffer.from('document.documentElement.classList.add("js");\n')]],
  ['/img/logo.png', ['image/png', PNG]],
  ['/img/logo@2x.png', ['image/png', PNG]],
  ['/img/team.jpg', ['image/jpeg', Buffer.from('jpeg')]],
  ['/img/bg.png', ['image/png', PNG]],
  ['/img/h1.png', ['image/png', PNG]],
  ['/img/gadget.webp', ['image/webp', Buffer.from('webp')]],
  ['/img/gadget.png', ['image/png', PNG]],
  ['/fonts/shop.woff2', ['font/woff2', Buffer.from('wOF2')]],
]);

/** Starts the test site on 127.0.0.1 with an OS-chosen port. */
export async function startTestSite(): Promise<TestSite> {
  const pages = initialPages();
  const requested: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requested.push(req.url ?? '/');
    if (path === '/about') return void res.writeHead(301, { location: '/about/' }).end();
    const html = pages.get(path);
    if (html !== undefined) return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    const asset = ASSETS.get(path);
    if (asset !== undefined) return void res.writeHead(200, { 'content-type': asset[0] }).end(asset[1]);
    res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requested,
    setPage: (path, html) => void pages.set(path, html),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
