import { createServer, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RedirectConfig } from '../ports/index.js';
import { sendShop } from './shop-site.js';

/** A real HTTP server on 127.0.0.1 with an OS-chosen port. */
export interface LocalServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  readonly origin: string;
  readonly port: number;
  /** Closes the listener and every open connection; idempotent. */
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 port 0. It keeps the process alive until `close()`, like any server. */
export async function listenLocal(handler: RequestListener): Promise<LocalServer> {
  const server = createServer(handler);
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
  return { origin: `http://127.0.0.1:${port}`, port, close };
}

/** How an origin web server behaves: `slow` answers after 1.5 s, `dead` drops every connection. */
export type OriginMode = 'ok' | 'slow' | 'error' | 'dead';

/** Latency of an origin in `slow` mode, in wall-clock ms (not compressed by speed: it is what visitors feel). */
export const SLOW_ORIGIN_MS = 1500;

/** The handler of a web server: a page at every path, `/health` 200, as its mode says. */
export function originHandler(name: string, mode: () => OriginMode): RequestListener {
  return (req, res) => {
    const current = mode();
    if (current === 'dead') {
      req.socket.destroy();
      return;
    }
    const respond = (): void => {
      if (current === 'error') return sendText(res, 500, 'Internal Server Error\n');
      if (req.url === '/health') return sendText(res, 200, 'OK\n');
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
 * What a launched redirect instance runs: `healthCheckPath` answers 200 (500 when `healthy()` says
 * no), every other path answers `statusCode` with `Location: targetUrl`.
 */
export function redirectHandler(config: RedirectConfig, healthy: () => boolean): RequestListener {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === config.healthCheckPath) {
      return healthy() ? sendText(res, 200, 'OK\n') : sendText(res, 500, 'Internal Server Error\n');
    }
    res.writeHead(config.statusCode, { location: config.targetUrl, 'content-type': 'text/html', 'content-length': 0 }).end();
  };
}

export function sendText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}

export function sendHtml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}
