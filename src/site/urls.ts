import { posix } from 'node:path';

/**
 * Where a crawled URL lives in a snapshot, and how one file links to another so that the copy works
 * on S3 static website hosting: a page `/about` is stored as `about/index.html` and linked as
 * `about/` (the website endpoint serves a folder's `index.html`); assets keep their path.
 */

/** The manifest's file name, at the root of every snapshot and published site. */
export const MANIFEST_FILE = 'hotspare-manifest.json';

/** Schemes that are not fetched, checked or rewritten. */
const INERT = /^(mailto|tel|javascript|data|blob|about|sms|geo|ftp):/i;

/** `href` resolved against `base`, without its fragment; undefined for inert or unparsable links. */
export function resolveLink(href: string, base: URL): URL | undefined {
  const trimmed = href.trim();
  if (trimmed === '' || trimmed.startsWith('#') || INERT.test(trimmed)) return undefined;
  if (!URL.canParse(trimmed, base)) return undefined;
  const url = new URL(trimmed, base);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  return url;
}

/** The path's segments decoded, e.g. `/a%20b/c` -> `a b/c`. Malformed escapes stay as they are. */
function decodedPath(url: URL): string {
  return url.pathname
    .split('/')
    .map((segment) => {
      try {
        const decoded = decodeURIComponent(segment);
        // `%2e%2e` must not become a `..` that climbs out of the snapshot folder.
        return decoded === '.' || decoded === '..' || /[\0/\\]/.test(decoded) ? segment : decoded;
      } catch {
        return segment;
      }
    })
    .join('/')
    .replace(/^\/+/, '');
}

/** The key of a page: `/` -> `index.html`, `/about` and `/about/` -> `about/index.html`, `/a.html` -> `a.html`. */
export function pageKey(url: URL): string {
  const path = decodedPath(url);
  if (path === '' || path.endsWith('/')) return `${path}index.html`;
  if (/\.html?$/i.test(path)) return path;
  return `${path}/index.html`;
}

/** The key of an asset: its path (`/css/site.css` -> `css/site.css`); a folder URL gets `index.html`. */
export function assetKey(url: URL): string {
  const path = decodedPath(url);
  return path === '' || path.endsWith('/') ? `${path}index.html` : path;
}

/** Whether `path` is `prefix` or below it (`/search` matches `/search`, `/search/x`, not `/searchable`). */
export function underPrefix(path: string, prefix: string): boolean {
  const bare = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return path === bare || path.startsWith(`${bare}/`) || (prefix.endsWith('/') && path === prefix);
}

/** Whether a same-origin page must stay on the live origin: under a dynamic prefix, or with a query. */
export function isDynamic(url: URL, prefixes: readonly string[]): boolean {
  return url.search !== '' || prefixes.some((p) => underPrefix(url.pathname, p));
}

/** Percent-encodes a key's segments for use in a link (`a b/c` -> `a%20b/c`); `@`, `:` and the like stay. */
function encodeKeyPath(path: string): string {
  const encoded = path
    .split('/')
    .map((s) => encodeURI(s).replace(/[?#]/g, encodeURIComponent))
    .join('/');
  // `a:b/` would read as a URL with the scheme `a:`.
  return /^[^/]*:/.test(encoded) ? `./${encoded}` : encoded;
}

/**
 * The relative link from the file `fromKey` to the file `toKey`. A folder index is linked as the
 * folder (`about/`), which S3 website hosting and static file servers resolve to its `index.html`.
 */
export function relativeLink(fromKey: string, toKey: string, fragment = ''): string {
  const fromDir = posix.dirname(fromKey);
  const isIndex = toKey === 'index.html' || toKey.endsWith('/index.html');
  const target = isIndex ? posix.dirname(toKey) : toKey;
  let rel = posix.relative(fromDir === '.' ? '' : fromDir, target === '.' ? '' : target);
  if (isIndex) rel = rel === '' ? './' : `${rel}/`;
  return `${encodeKeyPath(rel)}${fragment}`;
}

/** The fragment of a raw link (`#top`), or ''. */
export function fragmentOf(href: string): string {
  const at = href.indexOf('#');
  return at === -1 ? '' : href.slice(at);
}

/** The URL a key is served at under `base` (a folder index as its folder). */
export function urlOfKey(key: string, base: URL): URL {
  const path = key === 'index.html' ? '' : key.endsWith('/index.html') ? key.slice(0, -'index.html'.length) : key;
  return new URL(encodeKeyPath(path), base);
}

/**
 * Where the maintenance URL's own page must be in the published copy (`/down.html` -> `down.html`,
 * `/maint/` -> `maint/index.html`), or undefined when it is the copy's home page (`/`).
 */
export function entryKeyFor(maintenanceUrl: string): string | undefined {
  const url = new URL(maintenanceUrl);
  const key = url.pathname.endsWith('/') ? pageKey(url) : assetKey(url);
  return key === 'index.html' ? undefined : key;
}
