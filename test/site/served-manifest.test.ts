import { describe, expect, it } from 'vitest';
import type { ReadinessRequest, TlsFacts } from '../../src/ports/site.js';
import type { Fetcher } from '../../src/site/fetcher.js';
import { createSiteInspector } from '../../src/site/inspect.js';
import { readinessRequest } from '../../src/site/readiness.js';
import { runbookSchema } from '../../src/runbook/schema.js';

/** Issue 22: readiness compares the manifest the maintenance URL serves (through CloudFront) with the bucket's. */

const HOST = 'maintenance.shop.test';
const manifest = (publishedAt: string) =>
  JSON.stringify({
    tool: 'hotspare',
    format: 1,
    createdAt: new Date().toISOString(),
    publishedAt,
    pages: 1,
    assets: 0,
    bytes: 10,
    files: {},
  });

/** What the URL serves: the manifest published `served`, the rest 404. */
function cdn(served: string): Fetcher {
  return (url) =>
    Promise.resolve({
      status: url.pathname === '/hotspare-manifest.json' ? 200 : 404,
      contentType: 'application/json',
      body: Buffer.from(url.pathname === '/hotspare-manifest.json' ? manifest(served) : ''),
    });
}

const tls = (): Promise<TlsFacts> =>
  Promise.resolve({ host: HOST, authorized: true, validTo: '2099-01-01T00:00:00.000Z', names: [HOST] });

const runbook = runbookSchema.parse({
  name: 'shop',
  region: 'us-east-1',
  site: { url: 'https://www.shop.test/' },
  maintenance: { url: `https://${HOST}/`, bucket: HOST, expectText: 'Back soon' },
  loadBalancer: { targetGroup: 'shop-tg' },
  webServers: { tags: { role: 'web' } },
  steps: [{ type: 'verify-maintenance' }],
});

async function read(served: string, published: string | undefined, request?: ReadinessRequest) {
  const asked: string[] = [];
  const inspector = createSiteInspector(() => cdn(served), {
    tls,
    bucketManifest: (bucket) => {
      asked.push(bucket);
      return Promise.resolve(published === undefined ? undefined : { publishedAt: published });
    },
  });
  return {
    readiness: await inspector.readiness(request ?? { ...readinessRequest(runbook, 0), edge: undefined }),
    asked,
  };
}

describe('the served manifest against the bucket', () => {
  it("the runbook's readiness request names the bucket (an https:// URL published to a bucket)", () => {
    expect(readinessRequest(runbook, 0).bucket).toBe(HOST);
  });

  it('the URL serves an older copy than the bucket holds: a warning naming both, why, and what to do', async () => {
    const { readiness, asked } = await read('2026-12-03T10:00:00.000Z', '2026-12-03T11:00:00.000Z');
    expect(asked).toEqual([HOST]);
    const finding = readiness.https?.findings.find((f) => f.code === 'maintenance-manifest-behind');
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toContain('serves the copy published 2026-12-03T10:00:00.000Z');
    expect(finding?.message).toContain('the one the bucket holds (published 2026-12-03T11:00:00.000Z)');
    expect(finding?.message).toContain('CloudFront still answers from its caches');
    expect(finding?.message).toContain('hotspare site refresh RUNBOOK');
    expect(readiness.https?.servedPublishedAt).toBe('2026-12-03T10:00:00.000Z');
  });

  it('the same copy, or nothing in the bucket, or no bucket in the request: no finding', async () => {
    const same = await read('2026-12-03T11:00:00.000Z', '2026-12-03T11:00:00.000Z');
    expect(same.readiness.https?.findings.map((f) => f.code)).not.toContain('maintenance-manifest-behind');
    const none = await read('2026-12-03T11:00:00.000Z', undefined);
    expect(none.readiness.https?.findings.map((f) => f.code)).not.toContain('maintenance-manifest-behind');
    const noBucket = await read('2026-12-03T10:00:00.000Z', '2026-12-03T11:00:00.000Z', {
      ...readinessRequest(runbook, 0),
      edge: undefined,
      bucket: undefined,
    });
    expect(noBucket.asked).toEqual([]);
    expect(noBucket.readiness.https?.findings.map((f) => f.code)).not.toContain('maintenance-manifest-behind');
  });
});
