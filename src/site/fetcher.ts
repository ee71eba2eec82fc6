/**
 * How the site tools read a URL: one GET that does not follow redirects. The crawler and the
 * checker take a `Fetcher`, so the same code reads a live site over HTTP, a snapshot directory
 * (see `dir-reader.ts`) or, in the sandbox, a site that is only a function.
 */

/** One response, body read in full (bounded by the fetcher's size limit). */
export interface Fetched {
  readonly status: number;
  /** The media type without parameters, lower case (`text/html`); '' when absent. */
  readonly contentType: string;
  /** The Location of a 3xx. */
  readonly location?: string | undefined;
  readonly body: Buffer;
}

/** GET `url`. Resolves with any HTTP status; rejects with an Error saying why on a network failure or timeout. */
export type Fetcher = (url: URL, options?: { readonly method?: 'GET' | 'HEAD' }) => Promise<Fetched>;

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

/** A Fetcher over Node's fetch. */
export function httpFetcher(options: HttpFetcherOptions = {}): Fetcher {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const headers = { 'user-agent': options.userAgent ?? 'hotspare-site', accept: '*/*' };
  return async (url, request) => {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(url, { method: request?.method ?? 'GET', redirect: 'manual', signal, headers });
      const body = await readBody(response, maxBytes);
      const location = response.headers.get('location') ?? undefined;
      return { status: response.status, contentType: mediaType(response.headers.get('content-type')), location, body };
    } catch (error) {
      throw new Error(failureText(error, signal, timeoutMs), { cause: error });
    }
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

/** `timed out after 15000 ms`, `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:80`, ... */
function failureText(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `timed out after ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause !== undefined && typeof cause.message === 'string') return typeof cause.code === 'string' ? `${cause.code}: ${cause.message}` : cause.message;
  return error instanceof Error ? error.message : String(error);
}
