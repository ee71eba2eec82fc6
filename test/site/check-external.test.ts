import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSite } from '../../src/site/check.js';
import { DIR_ORIGIN, dirFetcher } from '../../src/site/dir-reader.js';
import { httpFetcher } from '../../src/site/fetcher.js';
import { tempDir } from '../helpers/engine.js';

describe('site check --external', () => {
  let origin: string;
  let dead: string;
  let dir: string;
  const server = createServer((req, res) => void res.writeHead(req.url === '/gone' ? 404 : 200).end());

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    dead = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise<void>((r) => closed.close(() => r()));
    dir = tempDir('hotspare-ext-');
    mkdirSync(join(dir, 'a'));
    writeFileSync(
      join(dir, 'index.html'),
      `<a href="a/">a</a><a href="${origin}/ok">ok</a><a href="${origin}/gone">gone</a>`,
    );
    writeFileSync(join(dir, 'a/index.html'), `<a href="${dead}">dead</a><a href="${origin}/ok">ok again</a>`);
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('leaves other sites alone by default', async () => {
    const report = await checkSite({ start: new URL(`${DIR_ORIGIN}/`), fetcher: dirFetcher(dir) });
    expect(report.ok).toBe(true);
    expect(report.external).toEqual({ checked: 0, skipped: 3 });
  });

  it('checks each distinct external URL once, up to the limit, and reports the broken ones with their pages', async () => {
    const report = await checkSite({
      start: new URL(`${DIR_ORIGIN}/`),
      fetcher: dirFetcher(dir),
      external: { fetcher: httpFetcher({ timeoutMs: 2000 }), limit: 10 },
    });
    expect(report.external).toEqual({ checked: 3, skipped: 0 });
    expect(report.broken.map((b) => [b.page, b.target, b.status ?? 'error'])).toEqual([
      ['/', `${origin}/gone`, 404],
      ['/a/', dead, 'error'],
    ]);
    expect(report.broken[1]?.error).toMatch(/ECONNREFUSED/);
    const limited = await checkSite({
      start: new URL(`${DIR_ORIGIN}/`),
      fetcher: dirFetcher(dir),
      external: { fetcher: httpFetcher(), limit: 1 },
    });
    expect(limited.external).toEqual({ checked: 1, skipped: 2 });
  });
});
