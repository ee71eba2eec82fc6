import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RedirectConfig } from '../ports/index.js';
import { sendShop } from './shop-site.js';
import { decide } from '../redirect/decision.js';
import { sandboxTls } from './tls.js';

/** A real HTTP server on 127.0.0.1 with an OS-chosen port. */
export interface LocalServer {
  /** `http://127.0.0.1:PORT` or `https://...` (no trailing slash). */
  readonly origin: string;
  readonly port: number;
  /** Closes the listener and every open connection; idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 port 0 (with `tls`, HTTPS with the sandbox's self-signed
 * certificate). It keeps the process alive until `close()`, like any server.
 */
export async function listenLocal(handler: RequestListener, tls = false): Promise<LocalServer> {
  const server: Server = tls ? createTlsServer(sandboxTls(), handler) : createServer(handler);
  server.keepAliveTimeout = 2000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };
  return { origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, port, close };
}

/** How an origin web server behaves: `slow` answers after 1.5 s, `dead` drops every connection. */
export type OriginMode = 'ok' | 'slow' | 'error' | 'dead';

/** Latency of an origin in `slow` mode, in wall-clock ms (not compressed by speed: it is what visitors feel). */
export const SLOW_ORIGIN_MS = 1500;

/** How a web server answers the load balancer's health check: its path and the status it gives there. */
export interface OriginHealth {
  readonly path: string;
  readonly status: number;
}

/**
 * The handler of a web server: a page at every path; the health-check path answers `health.status`
 * (a web site whose check path redirects answers 302 there, for a 3xx matcher); as its mode says.
 */
export function originHandler(
  name: string,
  mode: () => OriginMode,
  health: OriginHealth = { path: '/health', status: 200 },
): RequestListener {
  return (req, res) => {
    const current = mode();
    if (current === 'dead') {
      req.socket.destroy();
      return;
    }
    const respond = (): void => {
      if (current === 'error') return sendText(res, 500, 'Internal Server Error\n');
      const path = (req.url ?? '/').split('?')[0];
      if (path === health.path && health.status !== 200) {
        res.writeHead(health.status, { location: '/', 'content-length': 0 }).end();
        return;
      }
      if (path === health.path && path !== '/') return sendText(res, 200, 'OK\n');
      sendShop(res, req.url ?? '/', name);
    };
    if (current === 'slow') {
      const timer = setTimeout(respond, SLOW_ORIGIN_MS);
      timer.unref();
      res.on('close', () => clearTimeout(timer));
      return;
    }
    respond();
  };
}

/**
 * What a launched redirect instance runs on one of its ports (`port`: the port as the target group
 * knows it, not the local one): exactly what `redirect/decision.ts` says, the same decision as the
 * generated nginx, Apache and builtin configs. With `healthy()` false (the `redirect-unhealthy`
 * fault) the health checker gets 500 instead.
 */
export function redirectHandler(config: RedirectConfig, port: number, healthy: () => boolean): RequestListener {
  return (req, res) => {
    req.resume();
    const answer = decide(config, {
      method: req.method ?? 'GET',
      target: req.url ?? '/',
      userAgent: req.headers['user-agent'],
      port,
    });
    if (answer.kind === 'health' && !healthy()) return sendText(res, 500, 'Internal Server Error\n');
    const body = answer.kind === 'health' ? (answer.body ?? '') : '';
    const headers: Record<string, string | number> = {
      'content-type': 'text/plain',
      'content-length': Buffer.byteLength(body),
    };
    if (answer.location !== undefined) headers['location'] = answer.location;
    res.writeHead(answer.status, headers).end(body);
  };
}

export function sendText(res: ServerResponse, status: number, body: string): void {
  res
    .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) })
    .end(body);
}

export function sendHtml(res: ServerResponse, status: number, body: string): void {
  res
    .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) })
    .end(body);
}
