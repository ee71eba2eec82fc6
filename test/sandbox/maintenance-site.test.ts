import { afterEach, describe, expect, it } from 'vitest';
import { maintenanceRefreshKey } from '../../src/cli/sandbox/maintenance-key.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { parseManifest } from '../../src/site/manifest.js';
import { MANIFEST_FILE } from '../../src/site/urls.js';
import { servingAccess } from '../../src/sandbox/bucket.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { get, sandboxFor, stopAll, waitFor } from './helpers.js';

const started: Sandbox[] = [];
afterEach(() => stopAll(started));

const BUCKET = 'maintenance.sandbox.invalid';

describe("the sandbox's maintenance site: a copy of the shop in the simulated bucket", () => {
  it('is seeded at start and served over local HTTP as S3 website hosting would', async () => {
    const sandbox = await sandboxFor(started);
    const m = sandbox.runbook.maintenance.url;
    // The website endpoint waits for the seed; reading the bucket directly must wait too.
    const home = await get(m);
    expect(sandbox.runbook.maintenance.bucket).toBe(BUCKET);
    expect(home.status).toBe(200);
    expect(home.body).toContain("We'll be right back: the shop is very busy.");
    expect(home.body).toContain('href="products/kettle/"');
    expect(home.body).toContain(`href="${new URL(sandbox.runbook.site.url).origin}/account/"`);
    expect((await get(new URL('products/kettle/', m).href)).status).toBe(200);
    const css = /href="(assets\/site\.[0-9a-f]{10}\.css)"/.exec(home.body)?.[1];
    expect(css).toBeDefined();
    expect((await get(new URL(css!, m).href)).status).toBe(200);
    expect(await get(new URL('products/kettle', m).href)).toMatchObject({ status: 302, location: '/products/kettle/' });
    const missing = await get(new URL('no/such/page', m).href);
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('Welcome to the Sandbox Shop');
    const manifest = parseManifest(Buffer.from((await sandbox.bucket.get(BUCKET, MANIFEST_FILE))!).toString());
    expect(manifest).toMatchObject({ pages: 10, assets: 18 });
  });

  it('answers 403 when Block Public Access stops the bucket from serving, and the readiness says broken', async () => {
    const sandbox = await sandboxFor(started);
    sandbox.bucket.setAccess(BUCKET, {
      ...servingAccess(BUCKET),
      publicAccessBlock: {
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      },
    });
    expect((await get(sandbox.runbook.maintenance.url)).status).toBe(403);
    const r = await sandbox.ports.site!.readiness({
      url: sandbox.runbook.maintenance.url,
      maxAgeHours: 24,
      samplePages: 1,
    });
    expect(r.state).toBe('broken');
  });

  it('the dashboard key refreshes the copy from the live shop, and keeps the last copy when the origins are broken', async () => {
    const sandbox = await sandboxFor(started);
    const events: EngineEvent[] = [];
    const key = maintenanceRefreshKey(sandbox, (e) => events.push(e));
    await sandbox.maintenanceReady;
    const before = parseManifest(Buffer.from((await sandbox.bucket.get(BUCKET, MANIFEST_FILE))!).toString())!;
    const logs = (): string[] => events.flatMap((e) => (e.type === 'log' ? [`${e.level} ${e.message}`] : []));
    key.run();
    await waitFor(logs, (l) => l.some((m) => m.startsWith('info Maintenance site: published')));
    const after = parseManifest(Buffer.from((await sandbox.bucket.get(BUCKET, MANIFEST_FILE))!).toString())!;
    expect(after.publishedAt).not.toBe(before.publishedAt);
    expect(after.source).toBe(sandbox.runbook.site.url);

    sandbox.origins.setMode('all', 'error');
    key.run();
    await waitFor(logs, (l) => l.some((m) => m.startsWith('error Maintenance site refresh failed: Nothing to copy')));
    expect((await get(sandbox.runbook.maintenance.url)).status).toBe(200);
  });
});
