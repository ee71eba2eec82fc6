import { readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import mime from 'mime-types';
import type { Fetched, Fetcher } from './fetcher.js';
import { assetKey } from './urls.js';

/** The made-up origin a snapshot folder is read under; its links resolve against it. */
export const DIR_ORIGIN = 'http://snapshot.invalid';

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * A Fetcher over a snapshot folder that answers as S3 static website hosting would: `/x/` serves
 * `x/index.html`, `/x` serves the file `x` or, when only `x/index.html` exists, redirects (302) to
 * `/x/`; anything else is 404 (HEAD only looks). The query is ignored, as S3 does. URLs of other
 * origins are refused (404).
 */
export function dirFetcher(dir: string): Fetcher {
  const root = resolve(dir);
  const read = async (key: string): Promise<Buffer | undefined> => {
    const path = resolve(root, key);
    if (path !== root && !path.startsWith(root + sep)) return undefined;
    return (await isFile(path)) ? readFile(path) : undefined;
  };
  const exists = async (key: string): Promise<boolean> => {
    const path = resolve(root, key);
    return (path === root || path.startsWith(root + sep)) && (await isFile(path));
  };
  return async (url, options): Promise<Fetched> => {
    if (url.origin !== DIR_ORIGIN) return { status: 404, contentType: '', body: Buffer.alloc(0) };
    // The website endpoint ignores the query: the key is the path's.
    const key = assetKey(new URL(url.pathname, url));
    const contentType = mime.lookup(key) || 'application/octet-stream';
    if (options?.method === 'HEAD' && (await exists(key))) return { status: 200, contentType, body: Buffer.alloc(0) };
    const body = options?.method === 'HEAD' ? undefined : await read(key);
    if (body !== undefined) return { status: 200, contentType, body };
    if (!url.pathname.endsWith('/') && (await exists(`${key}/index.html`))) {
      return { status: 302, contentType: '', location: `${url.pathname}/`, body: Buffer.alloc(0) };
    }
    return { status: 404, contentType: '', body: Buffer.alloc(0) };
  };
}
