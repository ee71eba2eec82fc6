import { createHash } from 'node:crypto';
import { posix } from 'node:path';

/**
 * Where a crawled URL lives in a snapshot, and how one file links to another so that the copy works
 * on S3 static website hosting: a page `/about` is stored as `about/index.html` and linked as
 * `about/` (the website endpoint serves a folder's `index.html`); a page with a query (`/?p=12`) is
 * a page of its own, stored under a key that carries the query (`index.p=12.html`), since the
 * website endpoint ignores queries; assets keep their path.
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

/** Longest segment a file system takes is 255 bytes; keys stay well under it. */
const MAX_SEGMENT_BYTES = 200;
/** S3 keys are at most 1024 bytes. */
const MAX_KEY_BYTES = 900;

function shortHash(text: string, length = 10): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** A segment too long for a file system, cut and made unique by a hash of the whole (extension kept). */
function safeSegment(segment: string): string {
  if (Buffer.byteLength(segment) <= MAX_SEGMENT_BYTES) return segment;
  const ext = /\.[A-Za-z0-9]{1,8}$/.exec(segment)?.[0] ?? '';
  let head = segment.slice(0, 100);
  while (Buffer.byteLength(head) > 100) head = head.slice(0, -1);
  return `${head}~${shortHash(segment)}${ext}`;
}

/** A key made safe for a file system and S3: long segments cut with a hash, the whole bounded. */
export function safeKey(key: string): string {
  const safe = key.split('/').map(safeSegment).join('/');
  if (Buffer.byteLength(safe) <= MAX_KEY_BYTES) return safe;
  const ext = /\.[A-Za-z0-9]{1,8}$/.exec(safe)?.[0] ?? '';
  return `_long/${shortHash(safe, 32)}${ext}`;
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

/**
 * A query as part of a key: characters a URL path and an S3 key take as they are stay, the rest
 * (`/`, `+`, `?`, `#`, spaces, non-ASCII) are percent-escaped, so two queries never share a key.
 */
function queryPart(search: string): string {
  return search
    .replace(/^\?/, '')
    .replace(/[^A-Za-z0-9\-._~!$&'()*,;=:@%]/g, (c) =>
      [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
    );
}

/** `name.ext` -> `name.INFIX.ext`; `name` -> `name.INFIX`. */
function withInfix(key: string, infix: string): string {
  const slash = key.lastIndexOf('/');
  const dot = key.lastIndexOf('.');
  return dot > slash + 1 ? `${key.slice(0, dot)}.${infix}${key.slice(dot)}` : `${key}.${infix}`;
}

/**
 * The key of a page: `/` -> `index.html`, `/about` and `/about/` -> `about/index.html`, `/a.html` ->
 * `a.html`; with a query, the query goes before `.html`: `/?p=12` -> `index.p=12.html`.
 */
export function pageKey(url: URL): string {
  const path = decodedPath(url);
  const key =
    path === '' || path.endsWith('/') ? `${path}index.html` : /\.html?$/i.test(path) ? path : `${path}/index.html`;
  return safeKey(url.search === '' ? key : withInfix(key, queryPart(url.search)));
}

/**
 * The key of an asset: its path (`/css/site.css` -> `css/site.css`); a folder URL gets `index.html`;
 * a query goes before the extension (`/img.php?id=2` -> `img.id=2.php`).
 */
export function assetKey(url: URL): string {
  const path = decodedPath(url);
  const key = path === '' || path.endsWith('/') ? `${path}index.html` : path;
  return safeKey(url.search === '' ? key : withInfix(key, queryPart(url.search)));
}

/**
 * The key of a file that is not HTML although its URL reads like a page (`/feed/` answering RSS):
 * `feed.xml`, `comments/feed.xml`; the root gets `index.EXT`. The extension says what it is.
 */
export function typedKey(url: URL, extension: string): string {
  const path = decodedPath(url).replace(/\/+$/, '');
  const base = path === '' ? 'index' : path;
  const key = url.search === '' ? base : `${base}.${queryPart(url.search)}`;
  return safeKey(/\.[A-Za-z0-9]{1,8}$/.test(path) && url.search === '' ? key : `${key}.${extension}`);
}

/** A key carrying a version (a content hash) before its extension: `css/site.css` -> `css/site.3fa9c2d1e0.css`. */
export function versionedKey(key: string, sha256: string): string {
  return safeKey(withInfix(key, sha256.slice(0, 10)));
}

/** Whether `path` is `prefix` or below it (`/search` matches `/search`, `/search/x`, not `/searchable`). */
export function underPrefix(path: string, prefix: string): boolean {
  const bare = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return path === bare || path.startsWith(`${bare}/`) || (prefix.endsWith('/') && path === prefix);
}

/**
 * Whether a same-origin page must stay on the live origin: under a dynamic prefix (`/search`), or,
 * for a prefix with a query (`/?s=`), starting with it. Other queries are pages like any other.
 */
export function isDynamic(url: URL, prefixes: readonly string[]): boolean {
  return prefixes.some((p) =>
    p.includes('?') ? `${url.pathname}${url.search}`.startsWith(p) : underPrefix(url.pathname, p),
  );
}

/** Percent-encodes a key's segments for use in a link (`a b/c` -> `a%20b/c`); `@`, `:` and the like stay. */
function encodeKeyPath(path: string): string {
  const encoded = path
    .split('/')
    .map((s) => encodeURI(s).replace(/[?#+]/g, encodeURIComponent))
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
  url.search = '';
  const key = url.pathname.endsWith('/') ? pageKey(url) : assetKey(url);
  return key === 'index.html' ? undefined : key;
}
