import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';

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
export type Fetcher = ((url: URL, options?: { readonly method?: 'GET' | 'HEAD' }) => Promise<Fetched>) & { readonly toFile?: FileFetcher | undefined };

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

/** A Fetcher over Node's fetch, with a streaming `toFile`. */
export function httpFetcher(options: HttpFetcherOptions = {}): Fetcher {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const headers = { 'user-agent': options.userAgent ?? 'hotspare-site', accept: '*/*' };
  const request = async <T>(url: URL, method: 'GET' | 'HEAD', read: (response: Response) => Promise<T>): Promise<T> => {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      return await read(await fetch(url, { method, redirect: 'manual', signal, headers }));
    } catch (error) {
      throw new Error(failureText(error, signal, timeoutMs), { cause: error });
    }
  };
  const head = (response: Response) => {
    const type = response.headers.get('content-type');
    return { status: response.status, contentType: mediaType(type), charset: charsetOf(type), location: response.headers.get('location') ?? undefined };
  };
  const fetcher = (url: URL, opts?: { readonly method?: 'GET' | 'HEAD' }): Promise<Fetched> =>
    request(url, opts?.method ?? 'GET', async (response) => ({ ...head(response), body: await readBody(response, maxBytes) }));
  const toFile: FileFetcher = (url, path) => request(url, 'GET', async (response) => ({ ...head(response), ...(await bodyToFile(response, path, maxBytes)) }));
  return Object.assign(fetcher, { toFile });
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

async function readBody(response: Response, maxBytes: number): Promise<Buffer> {
  if (response.body === null) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Streams the body to `path`, hashing as it goes; at most `maxBytes`. */
async function bodyToFile(response: Response, path: string, maxBytes: number): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  let bytes = 0;
  try {
    if (response.body !== null) {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        bytes += chunk.byteLength;
        if (bytes > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
        hash.update(chunk);
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
      }
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
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause !== undefined && typeof cause.message === 'string') return typeof cause.code === 'string' ? `${cause.code}: ${cause.message}` : cause.message;
  return error instanceof Error ? error.message : String(error);
}
