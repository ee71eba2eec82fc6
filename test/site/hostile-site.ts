import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { BIN, type Ran } from '../helpers/cli.js';

/**
 * A small origin on 127.0.0.1 (OS-chosen port) that answers from a handler: the hostile sites of
 * the snapshot tests (query permalinks, import chains, odd URLs, other charsets, redirects away).
 */
export interface LocalOrigin {
  readonly origin: string;
  readonly host: string;
  /** Paths with queries requested so far. */
  readonly requested: string[];
  close(): Promise<void>;
}

export type Handler = (url: URL, res: ServerResponse, req: IncomingMessage) => void | Promise<void>;

export async function serveOrigin(handler: Handler): Promise<LocalOrigin> {
  const requested: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'origin.invalid'}`);
    requested.push(`${url.pathname}${url.search}`);
    void Promise.resolve(handler(url, res, req)).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requested,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export const html = (res: ServerResponse, body: string, type = 'text/html; charset=utf-8'): void =>
  void res.writeHead(200, { 'content-type': type }).end(body);
export const notFound = (res: ServerResponse): void =>
  void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');

/**
 * The built CLI, run without blocking this process (which serves the origin), with no terminal
 * (as cron runs it) and no AWS settings from this machine. Peak RSS is printed on exit by a preload.
 */
export function cli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
): Promise<Ran & { maxRssMb?: number }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
  delete childEnv['AWS_ENDPOINT_URL'];
  delete childEnv['AWS_PROFILE'];
  const preload = new URL('./max-rss.mjs', import.meta.url).href;
  const child = spawn(process.execPath, ['--import', preload, resolve(BIN), ...args], {
    env: childEnv,
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', (status) => {
      const rss = /^max-rss-mb (\d+)$/m.exec(stderr);
      done({
        status,
        stdout,
        stderr: stderr.replace(/^max-rss-mb \d+\n/m, ''),
        ...(rss?.[1] === undefined ? {} : { maxRssMb: Number(rss[1]) }),
      });
    });
  });
}
