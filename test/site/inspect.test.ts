import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxBucket } from '../../src/sandbox/bucket.js';
import { httpFetcher } from '../../src/site/fetcher.js';
import { createSiteInspector } from '../../src/site/inspect.js';
import { publishSite } from '../../src/site/publish.js';
import { takeSnapshot } from '../../src/site/snapshot.js';
import { tempDir } from '../helpers/engine.js';
import { startTestSite, type TestSite } from './test-site.js';

async function serve(handler: RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, close: () => new Promise((r) => (server.close(() => r()), server.closeAllConnections())) };
}

describe('the site inspector on a published copy', () => {
  let site: TestSite;
  let bucket: SandboxBucket;
  let website: Awaited<ReturnType<typeof serve>>;
  const inspector = createSiteInspector();
  const publishCopy = async (hoursAgo: number): Promise<void> => {
    const dir = join(tempDir('hotspare-inspect-'), 'copy');
    await takeSnapshot({
      url: new URL(`${site.origin}/`),
      out: dir,
      fetcher: httpFetcher(),
      dynamicPrefixes: ['/search'],
      banner: 'Back soon',
      now: () => Date.now() - hoursAgo * 3_600_000,
    });
    await publishSite({ dir, bucket: 'm', region: 'us-east-1', port: bucket });
  };
  const ask = (url: string, samplePages = 3) =>
    inspector.readiness({ url, maxAgeHours: 24, samplePages, expectText: 'Back soon' });

  beforeAll(async () => {
    site = await startTestSite();
    bucket = new SandboxBucket();
    bucket.create('m');
    website = await serve(bucket.websiteHandler('m'));
  });
  afterAll(() => Promise.all([site.close(), website.close()]));

  it('fresh: the manifest is young and three pages answer with their assets', async () => {
    await publishCopy(2);
    const r = await ask(website.url);
    expect(r.state).toBe('fresh');
    expect(r.ageHours).toBeGreaterThan(1.9);
    expect(r.ageHours).toBeLessThan(2.5);
    expect(r.pages).toHaveLength(3);
    expect(r.pages.every((p) => p.status === 200 && p.failedAssets.length === 0)).toBe(true);
    expect(r.pages[0]!.assets).toBeGreaterThan(2);
    expect(r.summary).toMatch(/^snapshot 2\.\d h old \(max 24 h\); 3 page\(s\) and \d+ asset\(s\) answer$/);
  });

  it('stale: older than maxAgeHours', async () => {
    await publishCopy(30);
    const r = await ask(website.url, 0);
    expect(r.state).toBe('stale');
    expect(r.pages).toEqual([]);
    expect(r.summary).toMatch(/30\.\d h old, older than maxAgeHours 24/);
  });

  it('broken: a missing asset is named', async () => {
    await publishCopy(1);
    const css = (await bucket.list('m')).map((o) => o.key).find((k) => /^css\/site\.[0-9a-f]{10}\.css$/.test(k));
    expect(css).toBeDefined();
    await bucket.delete('m', [css!]);
    const r = await ask(website.url);
    expect(r.state).toBe('broken');
    expect(r.summary).toMatch(/assets failing: \/css\/site\.[0-9a-f]{10}\.css 404/);
  });

  it('missing: a hand-made page that answers every path, with no manifest', async () => {
    const plain = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Back soon</h1>'),
    );
    try {
      const r = await ask(plain.url);
      expect(r.state).toBe('missing');
      expect(r.pages[0]?.status).toBe(200);
    } finally {
      await plain.close();
    }
  });

  it('broken: the marker text is missing from the home page', async () => {
    const plain = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Hello</h1>'));
    try {
      expect((await ask(plain.url)).summary).toMatch(/marker text "Back soon" missing/);
    } finally {
      await plain.close();
    }
  });

  it('broken: nothing answers', async () => {
    const gone = await serve(() => undefined);
    await gone.close();
    const r = await ask(gone.url);
    expect(r.state).toBe('broken');
    expect(r.summary).toMatch(/does not answer: ECONNREFUSED/);
  });
});
