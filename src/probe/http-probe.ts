import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Probe, ProbeRequest, ProbeResult } from '../ports/index.js';

/** Default time a probe waits for the response headers and the (bounded) body, in ms. */
export const DEFAULT_PROBE_TIMEOUT_MS = 3000;

/** At most this many body bytes are read when looking for the marker text. */
export const MAX_PROBE_BODY_BYTES = 64 * 1024;

/**
 * A Probe over Node's http and https modules: one GET per check on a connection of its own (closed
 * after it: nothing lingers to hold the process), redirects not followed (a 3xx comes back with its
 * Location), certificates verified, a timeout (default 3 s) covering headers and body, and the body
 * read up to 64 KiB to look for `expectText`. `latencyMs` is the time to the response headers.
 * Never throws. (Not `fetch`: loading its HTTP client costs a command tens of milliseconds, and its
 * pooled connection kept a finished command alive for a tenth of a second more.)
 */
export function createHttpProbe(): Probe {
  return { check };
}

interface Answer {
  readonly response: IncomingMessage;
  readonly latencyMs: number;
}

async function check(request: ProbeRequest): Promise<ProbeResult> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const started = Date.now();
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const { response, latencyMs } = await get(request.url, signal, started);
    const location = headerOf(response, 'location');
    const markerFound =
      request.expectText === undefined
        ? undefined
        : (await readPrefix(response, MAX_PROBE_BODY_BYTES, signal)).includes(request.expectText);
    response.destroy();
    return { url: request.url, at: started, status: response.statusCode, location, latencyMs, markerFound };
  } catch (error) {
    return {
      url: request.url,
      at: started,
      latencyMs: Date.now() - started,
      error: describeFailure(error, signal, timeoutMs),
    };
  }
}

/** One GET, resolved with the response once its headers are in. */
function get(url: string, signal: AbortSignal, started: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error(`not an http(s) URL: ${url}`);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      { method: 'GET', agent: false, signal, headers: { 'user-agent': 'hotspare-probe', connection: 'close' } },
      (response) => resolve({ response, latencyMs: Date.now() - started }),
    );
    req.on('error', reject);
    req.end();
  });
}

function headerOf(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body's first `limit` bytes as text; the rest is not read (the connection is closed). */
function readPrefix(response: IncomingMessage, limit: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      signal.removeEventListener('abort', onAbort);
      resolve(Buffer.concat(chunks).subarray(0, limit).toString('utf8'));
    };
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size >= limit) done();
    });
    response.on('end', done);
    response.on('error', reject);
  });
}

/** A one-line reason: `timed out after 3000 ms`, `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:80`. */
function describeFailure(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `timed out after ${timeoutMs} ms`;
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.startsWith(code) ? `${code}: ${message}` : message;
}
