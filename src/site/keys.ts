import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import mime from 'mime-types';
import type { CrawlResult, FetchedEntry } from './crawl.js';
import { assetKey, pageKey, safeKey, typedKey } from './urls.js';

/**
 * Every fetched URL's key in the copy, chosen so that no two files collide and none needs a folder
 * where another is a file (`/logo` beside `/logo/big.png`): a clash gets a key of its own (a hash
 * of its URL, or its type's extension), and the links are rewritten to it anyway.
 */

const SCRIPT_TYPES = new Set([
  'text/javascript',
  'application/javascript',
  'application/x-javascript',
  'text/ecmascript',
  'application/ecmascript',
  'module',
]);

/** Stylesheets and scripts are stored under a key carrying their content's hash (see `versionedKey`). */
export function isVersioned(entry: FetchedEntry): boolean {
  return !entry.html && (entry.contentType === 'text/css' || SCRIPT_TYPES.has(entry.contentType));
}

function extensionOf(contentType: string): string {
  if (contentType === 'application/rss+xml' || contentType === 'application/atom+xml') return 'xml';
  return mime.extension(contentType) || 'bin';
}

/** The key a URL asks for, before clashes are settled. Versioned files get the key their version goes into. */
function wantedKey(entry: FetchedEntry): string {
  if (entry.html) return pageKey(entry.url);
  if (isVersioned(entry)) {
    const bare = new URL(entry.url);
    bare.search = '';
    return assetKey(bare);
  }
  const folderLike =
    entry.url.pathname.endsWith('/') || (entry.kind === 'page' && !/\.[A-Za-z0-9]{1,8}$/.test(entry.url.pathname));
  return folderLike ? typedKey(entry.url, extensionOf(entry.contentType)) : assetKey(entry.url);
}

function hashed(key: string, href: string): string {
  const tag = createHash('sha256').update(href).digest('hex').slice(0, 8);
  const slash = key.lastIndexOf('/');
  const dot = key.lastIndexOf('.');
  return safeKey(dot > slash + 1 ? `${key.slice(0, dot)}~${tag}${key.slice(dot)}` : `${key}~${tag}`);
}

/** Every folder a key needs (`a/b/c.html` -> `a`, `a/b`). */
function foldersOf(key: string): string[] {
  const out: string[] = [];
  for (let dir = posix.dirname(key); dir !== '.' && dir !== ''; dir = posix.dirname(dir)) out.push(dir);
  return out;
}

/**
 * The keys of every fetched URL (versioned ones are the key their hash goes into). Pages claim
 * their keys first, so a clash moves the asset, not the page visitors know.
 */
export function assignKeys(crawl: CrawlResult): Map<string, string> {
  const keys = new Map<string, string>();
  const owners = new Map<string, string>();
  const ordered = [...crawl.entries.values()].sort((a, b) => Number(b.html) - Number(a.html));
  for (const entry of ordered) {
    const wanted = wantedKey(entry);
    const key = owners.has(wanted) && !isVersioned(entry) ? hashed(wanted, entry.url.href) : wanted;
    if (!owners.has(key)) owners.set(key, entry.url.href);
    keys.set(entry.url.href, key);
  }
  const folders = new Set([...keys.values()].flatMap(foldersOf));
  for (const [href, key] of keys) {
    if (!folders.has(key)) continue;
    const entry = crawl.entries.get(href);
    const typed = `${key}.${extensionOf(entry?.contentType ?? '')}`;
    keys.set(href, owners.has(typed) || folders.has(typed) ? hashed(`${key}.bin`, href) : typed);
  }
  return keys;
}
