import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpProbe } from '../../src/probe/http-probe.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    switch (req.url) {
      case '/ok':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>We will be right back</h1>');
        return;
      case '/moved':
        res.writeHead(302, { location: 'http://maintenance.test/' }).end();
        return;
      case '/big':
        res.writeHead(200);
        res.write('x'.repeat(200 * 1024));
        res.end('MARKER-AFTER-LIMIT');
        return;
      case '/slow':
        setTimeout(() => res.writeHead(200).end('late'), 1000).unref();
        return;
      case '/reset':
        req.socket.destroy();
        return;
      default:
        res.writeHead(500).end('boom');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createHttpProbe', () => {
  const probe = createHttpProbe();

  it('reports status, latency and the marker text', async () => {
    const result = await probe.check({ url: `${base}/ok`, expectText: 'right back' });
    expect(result).toMatchObject({ url: `${base}/ok`, status: 200, markerFound: true });
    expect(result.error).toBeUndefined();
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.at).toBeLessThanOrEqual(Date.now());
  });

  it('says when the marker text is missing and leaves markerFound out when none is asked for', async () => {
    expect((await probe.check({ url: `${base}/ok`, expectText: 'nope' })).markerFound).toBe(false);
    expect((await probe.check({ url: `${base}/ok` })).markerFound).toBeUndefined();
  });

  it('does not follow redirects and returns the Location', async () => {
    const result = await probe.check({ url: `${base}/moved` });
    expect(result.status).toBe(302);
    expect(result.location).toBe('http://maintenance.test/');
  });

  it('reads at most 64 KiB of the body', async () => {
    const result = await probe.check({ url: `${base}/big`, expectText: 'MARKER-AFTER-LIMIT' });
    expect(result.status).toBe(200);
    expect(result.markerFound).toBe(false);
  });

  it('reports a 5xx as a status, not an error', async () => {
    const result = await probe.check({ url: `${base}/other` });
    expect(result.status).toBe(500);
    expect(result.error).toBeUndefined();
  });

  it('times out without throwing', async () => {
    const result = await probe.check({ url: `${base}/slow`, timeoutMs: 100 });
    expect(result.status).toBeUndefined();
    expect(result.error).toBe('timed out after 100 ms');
  });

  it('reports a refused connection and a reset as errors', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await probe.check({ url: `http://127.0.0.1:${port}/` });
    expect(refused.error).toMatch(/ECONNREFUSED/);
    const reset = await probe.check({ url: `${base}/reset` });
    expect(reset.status).toBeUndefined();
    expect(reset.error).toBeTruthy();
  });

  it('reports an invalid URL as an error', async () => {
    const result = await probe.check({ url: 'not a url' });
    expect(result.error).toBeTruthy();
  });
});
