import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/**
 * How the site tools read a URL: one GET that does not follow redirects. The crawler and the
 * checker take a `Fetcher`, so the same code reads a live site over HTTP, a snapshot directory
 * (see `dir-reader.ts`) or, in the sandbox, a site that is only a function. A fetcher may also
 * stream a body straight to a file (`toFile`): the crawler uses it so that no body is ever held in
 * memory whole; without it, the body is read and then written.
 */

/** One response, body read in full (bounded by the fetcher's size limit). */
export interface Fetched {
  readonly status: number;
  /** The media type without parameters, lower case (`text/html`); '' when absent. */
  readonly contentType: string;
  /** The Content-Type's charset parameter, when there is one. */
  readonly charset?: string | undefined;
  /** The Location of a 3xx. */
  readonly location?: string | undefined;
  readonly body: Buffer;
}

/** One response whose body went to a file. */
export interface FetchedFile {
  readonly status: number;
  readonly contentType: string;
  readonly charset?: string | undefined;
  readonly location?: string | undefined;
  /** Bytes written. */
  readonly bytes: number;
  /** Hex SHA-256 of the body. */
  readonly sha256: string;
}

/** GET `url` and write its body to `path`. Rejects as `Fetcher` does; a partial file may be left on failure. */
export type FileFetcher = (url: URL, path: string) => Promise<FetchedFile>;

/** GET `url`. Resolves with any HTTP status; rejects with an Error saying why on a network failure or timeout. */
export type Fetcher = ((url: URL, options?: { readonly method?: 'GET' | 'HEAD' }) => Promise<Fetched>) & {
  readonly toFile?: FileFetcher | undefined;
};

export interface HttpFetcherOptions {
  /** Per request, headers and body together (default 15 s). */
  readonly timeoutMs?: number | undefined;
  /** Larger bodies are an error (default 25 MiB). */
  readonly maxBytes?: number | undefined;
  readonly userAgent?: string | undefined;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

/** The media type of a Content-Type header: `text/html; charset=utf-8` -> `text/html`. */
export function mediaType(header: string | null | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The charset parameter of a Content-Type header, lower case, or undefined. */
export function charsetOf(header: string | null | undefined): string | undefined {
  const found = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(header ?? '')?.[1];
  return found?.toLowerCase();
}

/** A response's head and its body as a stream (decompressed if the server compressed it anyway). */
interface Opened {
  readonly status: number;
  readonly contentType: string;
  readonly charset?: string | undefined;
  readonly location?: string | undefined;
  readonly body: Readable;
}

/**
 * A Fetcher over node:http and node:https (a keep-alive agent per protocol), with a streaming
 * `toFile`. Not `fetch`: its machinery alone costs a crawl some 50 MB of memory. Asks for the body
 * uncompressed, as wget does, and decompresses one that comes compressed all the same.
 */
export function httpFetcher(options: HttpFetcherOptions = {}): Fetcher {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const headers = { 'user-agent': options.userAgent ?? 'hotspare-site', accept: '*/*', 'accept-encoding': 'identity' };
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: 16 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 16 }),
  };
  const request = async <T>(url: URL, method: 'GET' | 'HEAD', read: (opened: Opened) => Promise<T>): Promise<T> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await read(
        await open(url, method, headers, url.protocol === 'https:' ? agents.https : agents.http, controller.signal),
      );
    } catch (error) {
      throw new Error(failureText(error, controller.signal, timeoutMs), { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
  const head = (o: Opened) => ({
    status: o.status,
    contentType: o.contentType,
    charset: o.charset,
    location: o.location,
  });
  const fetcher = (url: URL, opts?: { readonly method?: 'GET' | 'HEAD' }): Promise<Fetched> =>
    request(url, opts?.method ?? 'GET', async (o) => ({ ...head(o), body: await readBody(o.body, maxBytes) }));
  const toFile: FileFetcher = (url, path) =>
    request(url, 'GET', async (o) => ({ ...head(o), ...(await bodyToFile(o.body, path, maxBytes)) }));
  return Object.assign(fetcher, { toFile });
}

function open(
  url: URL,
  method: 'GET' | 'HEAD',
  headers: Record<string, string>,
  agent: HttpAgent,
  signal: AbortSignal,
): Promise<Opened> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers, agent, signal }, (res) => {
      const type = res.headers['content-type'];
      const location = res.headers['location'];
      const encoding = (res.headers['content-encoding'] ?? '').toLowerCase();
      const body: Readable =
        encoding === 'gzip' || encoding === 'x-gzip'
          ? res.pipe(createGunzip())
          : encoding === 'deflate'
            ? res.pipe(createInflate())
            : encoding === 'br'
              ? res.pipe(createBrotliDecompress())
              : res;
      if (body !== res) res.once('error', (error) => body.destroy(error));
      resolve({ status: res.statusCode ?? 0, contentType: mediaType(type), charset: charsetOf(type), location, body });
    });
    req.once('error', reject);
    req.end();
  });
}

/** `toFile` of any fetcher: its own, else one that reads the body and writes it. */
export function fileFetcherOf(fetcher: Fetcher): FileFetcher {
  if (fetcher.toFile !== undefined) return fetcher.toFile;
  return async (url, path) => {
    const { body, ...rest } = await fetcher(url);
    await writeFile(path, body);
    return { ...rest, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') };
  };
}

async function readBody(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Streams the body to `path`, hashing as it goes; at most `maxBytes`. */
async function bodyToFile(body: Readable, path: string, maxBytes: number): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  let bytes = 0;
  try {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
    }
  } finally {
    out.end();
    await finished(out).catch(() => undefined);
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** `timed out after 15000 ms`, `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:80`, ... */
function failureText(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `timed out after ${timeoutMs} ms`;
  if (error instanceof Error && error.message.startsWith('larger than')) return error.message;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (error instanceof Error && typeof code === 'string' && error.cause === undefined)
    return `${code}: ${error.message}`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause !== undefined && typeof cause.message === 'string')
    return typeof cause.code === 'string' ? `${cause.code}: ${cause.message}` : cause.message;
  return error instanceof Error ? error.message : String(error);
}
