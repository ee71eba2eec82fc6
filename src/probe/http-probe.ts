import type { Probe, ProbeRequest, ProbeResult } from '../ports/index.js';

/** Default time a probe waits for the response headers and the (bounded) body, in ms. */
export const DEFAULT_PROBE_TIMEOUT_MS = 3000;

/** At most this many body bytes are read when looking for the marker text. */
export const MAX_PROBE_BODY_BYTES = 64 * 1024;

/**
 * A Probe over Node's fetch: one GET per check, redirects not followed (a 3xx comes back with its
 * Location), a timeout (default 3 s) covering headers and body, and the body read up to 64 KiB to
 * look for `expectText`. `latencyMs` is the time to the response headers. Never throws.
 */
export function createHttpProbe(): Probe {
  return { check };
}

async function check(request: ProbeRequest): Promise<ProbeResult> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const started = Date.now();
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(request.url, {
      redirect: 'manual',
      signal,
      headers: { 'user-agent': 'hotspare-probe' },
    });
    const latencyMs = Date.now() - started;
    const location = response.headers.get('location') ?? undefined;
    const markerFound =
      request.expectText === undefined ? undefined : (await readPrefix(response, MAX_PROBE_BODY_BYTES)).includes(request.expectText);
    if (request.expectText === undefined) await response.body?.cancel();
    return { url: request.url, at: started, status: response.status, location, latencyMs, markerFound };
  } catch (error) {
    return { url: request.url, at: started, latencyMs: Date.now() - started, error: describeFailure(error, signal, timeoutMs) };
  }
}

/** The body's first `limit` bytes as text; the rest of the stream is cancelled. */
async function readPrefix(response: Response, limit: number): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** A one-line reason: `timed out after 3000 ms`, `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:80`. */
function describeFailure(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `timed out after ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause !== undefined && typeof cause.message === 'string') {
    return typeof cause.code === 'string' ? `${cause.code}: ${cause.message}` : cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}
