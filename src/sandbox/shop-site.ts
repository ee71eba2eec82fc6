import type { ServerResponse } from 'node:http';

/**
 * The small shop the sandbox's web servers serve: a home page, a product list and six product
 * pages, an about page and a sign-up page, with a stylesheet (`url()`, `@import`), a font, a
 * script and images with `srcset`. Search (`/search`) and the account pages (`/account`) are
 * dynamic: they only work on the live site. The sign-up form posts to a hosted form service, as a
 * site that must keep taking sign-ups while its origin is down does.
 */

/** Where the sign-up form posts: another host, so it keeps working when the origin does not. */
export const SIGNUP_FORM_ACTION = 'https://forms.example.net/f/sandbox-shop';

const PRODUCTS = [
  ['kettle', 'Kettle', '#c0392b'],
  ['teapot', 'Teapot', '#27ae60'],
  ['mug', 'Mug', '#2980b9'],
  ['saucer', 'Saucer', '#8e44ad'],
  ['strainer', 'Strainer', '#d35400'],
  ['cosy', 'Tea cosy', '#16a085'],
] as const;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function layout(title: string, body: string, servedBy: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Sandbox Shop</title>
<link rel="stylesheet" href="/assets/site.css"><link rel="icon" href="/assets/logo.svg"><script src="/assets/app.js" defer></script></head>
<body><header><a href="/"><img src="/assets/logo.svg" alt="Sandbox Shop" width="32" height="32"></a>
<nav><a href="/">Home</a> <a href="/products/">Products</a> <a href="/about/">About</a> <a href="/signup/">Sign up</a> <a href="/account/">Your account</a></nav>
<form action="/search" method="get"><input name="q" placeholder="Search"><button>Search</button></form></header>
<main>${body}</main><footer>Served by ${escapeHtml(servedBy)}.</footer></body></html>`;
}

const image = (slug: string, name: string): string =>
  `<img src="/assets/products/${slug}.svg" srcset="/assets/products/${slug}.svg 1x, /assets/products/${slug}@2x.svg 2x" alt="${escapeHtml(name)}" width="120" height="120">`;

function pageBody(path: string): [string, string] | undefined {
  if (path === '/') {
    const featured = PRODUCTS.slice(0, 3).map(
      ([slug, name]) => `<li><a href="/products/${slug}">${image(slug, name)}${escapeHtml(name)}</a></li>`,
    );
    return [
      'Welcome',
      `<h1>Welcome to the Sandbox Shop</h1><ul class="featured">${featured.join('')}</ul><p><a href="/products/">All products</a></p>`,
    ];
  }
  if (path === '/products/') {
    return [
      'Products',
      `<h1>Products</h1><ul>${PRODUCTS.map(([slug, name]) => `<li><a href="${slug}">${escapeHtml(name)}</a></li>`).join('')}</ul>`,
    ];
  }
  const product = PRODUCTS.find(([slug]) => path === `/products/${slug}`);
  if (product !== undefined) {
    const [slug, name] = product;
    return [
      name,
      `<h1>${escapeHtml(name)}</h1>${image(slug, name)}<p>A fine ${escapeHtml(name.toLowerCase())}.</p><p><a href="./">Back to products</a> · <a href="/search?q=${slug}">More like this</a></p>`,
    ];
  }
  if (path === '/about/')
    return ['About', '<h1>About us</h1><p>Tea things since 1999.</p><div class="banner-image"></div>'];
  if (path === '/signup/') {
    return [
      'Sign up',
      `<h1>Sign up</h1><form id="signup" action="${SIGNUP_FORM_ACTION}" method="post"><input name="email" type="email"><button>Sign up</button></form>`,
    ];
  }
  if (path === '/search') return ['Search', '<h1>Search results</h1><p>Search works on the live site only.</p>'];
  if (path === '/account/' || path.startsWith('/account/'))
    return ['Your account', '<h1>Sign in</h1><form action="/account/login" method="post"><input name="user"></form>'];
  return undefined;
}

const svg = (color: string, size: number): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" rx="${size / 8}" fill="${color}"/></svg>`;

const CSS = `@import "fonts.css";
body { margin: 0; font-family: Shop, system-ui, sans-serif; background: #fafafa url(bg.svg) repeat-x; }
header, main, footer { padding: 1em 2em; }
.featured { display: flex; gap: 1em; list-style: none; }
.banner-image { height: 80px; background-image: url("/assets/products/teapot@2x.svg"); }
`;

/** The shop's static files: path -> [content type, body]. */
const ASSETS: ReadonlyMap<string, readonly [string, string]> = new Map<string, readonly [string, string]>([
  ['/assets/site.css', ['text/css; charset=utf-8', CSS]],
  [
    '/assets/fonts.css',
    ['text/css; charset=utf-8', '@font-face { font-family: Shop; src: url("shop.woff2") format("woff2"); }\n'],
  ],
  ['/assets/shop.woff2', ['font/woff2', 'wOF2 (a placeholder font)']],
  ['/assets/app.js', ['text/javascript; charset=utf-8', 'document.documentElement.classList.add("js");\n']],
  ['/assets/logo.svg', ['image/svg+xml', svg('#333', 32)]],
  ['/assets/bg.svg', ['image/svg+xml', svg('#eee', 8)]],
  ...PRODUCTS.flatMap(([slug, , color]): [string, readonly [string, string]][] => [
    [`/assets/products/${slug}.svg`, ['image/svg+xml', svg(color, 120)]],
    [`/assets/products/${slug}@2x.svg`, ['image/svg+xml', svg(color, 240)]],
  ]),
]);

/** Answers one request of the shop: a page, an asset, a redirect to a folder's slash, else the home page. */
export function sendShop(res: ServerResponse, url: string, servedBy: string): void {
  const path = new URL(url, 'http://shop').pathname;
  const asset = ASSETS.get(path);
  if (asset !== undefined) return send(res, 200, asset[0], asset[1]);
  const page = pageBody(path);
  if (page !== undefined) return send(res, 200, 'text/html; charset=utf-8', layout(page[0], page[1], servedBy));
  if (pageBody(`${path}/`) !== undefined)
    return void res.writeHead(301, { location: `${path}/`, 'content-length': 0 }).end();
  // Any other path is the home page, so a runbook's site URL works whatever its path.
  const [title, body] = pageBody('/') ?? ['', ''];
  send(res, 200, 'text/html; charset=utf-8', layout(title, body, servedBy));
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }).end(body);
}
