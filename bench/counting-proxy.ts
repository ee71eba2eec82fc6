// The benches' request counter: what hotspare sends, counted on the wire.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  readonly endpoint: string;
  /** Requests by operation since the proxy started. */
  readonly counts: Map<string, number>;
  /** Requests by operation since the last `take` (or the start), in the order first seen; the count starts again. */
  take(): Map<string, number>;
  close(): void;
}

/** An HTTP proxy on 127.0.0.1 to `target` (moto) that counts requests by their Action (query protocol), X-Amz-Target, or method and path (REST). */
export async function countingProxy(target: string): Promise<CountingProxy> {
  const counts = new Map<string, number>();
  let since = new Map<string, number>();
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const action =
        /(?:^|&)Action=([A-Za-z]+)/.exec(body.toString('utf8'))?.[1] ??
        String(req.headers['x-amz-target'] ?? `${req.method} ${req.url?.split('?')[0]}`);
      counts.set(action, (counts.get(action) ?? 0) + 1);
      since.set(action, (since.get(action) ?? 0) + 1);
      const out = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      out.on('error', () => res.writeHead(502).end());
      out.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    take: () => {
      const taken = since;
      since = new Map();
      return taken;
    },
    close: () => server.close(),
  };
}
