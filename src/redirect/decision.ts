import type { RedirectConfig } from '../ports/index.js';
import { HEALTH_CHECKER_AGENT_PREFIX } from './config.js';

/** One request as the redirect server sees it. */
export interface RedirectRequest {
  readonly method: string;
  /** The request target exactly as sent (`/a/b?q=1`), not decoded. */
  readonly target: string;
  readonly userAgent?: string | undefined;
  /** The local port the request arrived on. */
  readonly port: number;
}

/** What the redirect server answers. */
export type RedirectAnswer =
  | {
      readonly kind: 'health';
      readonly status: number;
      /** For a 3xx: the maintenance URL. */
      readonly location?: string | undefined;
      /** For 200: `ok\n`. Other statuses carry whatever body the server adds. */
      readonly body?: string | undefined;
    }
  | { readonly kind: 'redirect'; readonly status: 301 | 302; readonly location: string };

/** The raw path of a request target: up to `?`; `/` for anything not in origin form (`*`, an absolute URI). */
export function rawPathOf(target: string): string {
  const path = target.split('?', 1)[0] ?? '';
  return path.startsWith('/') ? path : '/';
}

/** The raw query of a request target, without `?`; '' when there is none. */
export function rawQueryOf(target: string): string {
  const at = target.indexOf('?');
  return at < 0 || !target.startsWith('/') ? '' : target.slice(at + 1);
}

/** Whether the request is the load balancer's health check: GET or HEAD of the checked path, on the checked port, by the checker. */
export function isHealthCheck(config: RedirectConfig, request: RedirectRequest): boolean {
  const method = request.method.toUpperCase();
  return (
    (method === 'GET' || method === 'HEAD') &&
    (request.userAgent ?? '').startsWith(HEALTH_CHECKER_AGENT_PREFIX) &&
    request.port === config.healthCheck.port &&
    rawPathOf(request.target) === config.healthCheck.path
  );
}

/**
 * Where a visitor is sent: the target URL exactly; with `keepPath`, the request's raw path appended
 * to it (its trailing `/` dropped first); with `keepQuery`, `?` and the raw query when there is one.
 * Raw means as the client sent it: nothing is decoded or encoded again.
 */
export function locationFor(config: RedirectConfig, target: string): string {
  const base = config.keepPath ? config.targetUrl.replace(/\/$/, '') + rawPathOf(target) : config.targetUrl;
  const query = config.keepQuery ? rawQueryOf(target) : '';
  return query === '' ? base : `${base}?${query}`;
}

/**
 * The one decision every redirect server follows (the nginx and Apache configs, the builtin server
 * and the sandbox): the health checker gets `healthCheck.status` on the checked path and port;
 * every other request, whatever its method, path, port or agent, gets the redirect. Pure.
 */
export function decide(config: RedirectConfig, request: RedirectRequest): RedirectAnswer {
  if (isHealthCheck(config, request)) {
    const status = config.healthCheck.status;
    if (status >= 300 && status < 400) return { kind: 'health', status, location: config.targetUrl };
    return { kind: 'health', status, body: status === 200 ? 'ok\n' : undefined };
  }
  return { kind: 'redirect', status: config.statusCode, location: locationFor(config, request.target) };
}
