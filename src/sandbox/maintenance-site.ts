import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runbook } from '../runbook/schema.js';
import type { Fetcher } from '../site/fetcher.js';
import { entryKeyFor } from '../site/urls.js';
import { SandboxBucket } from './bucket.js';
import { listenLocal, type LocalServer } from './servers.js';
import { sendShop } from './shop-site.js';

/** The sandbox's maintenance site: a simulated bucket and its website endpoint on 127.0.0.1. */
export interface SandboxMaintenanceSite {
  readonly bucket: SandboxBucket;
  readonly bucketName: string;
  /** The bucket's website endpoint: its answers wait until the first copy is in the bucket. */
  readonly server: LocalServer;
  /**
   * Starts publishing a copy of the shop into the bucket, as last night's `site refresh` would have:
   * the shop is crawled as visitors see it at `local.site.url` (so links to its dynamic pages lead
   * to the local front), from a healthy copy of the web servers (a drill may start with them
   * broken). Runs in the background so the dashboard's first frame does not wait for it.
   */
  seed(local: Runbook): void;
  /** Resolves when the seed is done (or failed: the bucket is then empty). */
  readonly ready: Promise<void>;
}

/** The bucket's name: the runbook's `maintenance.bucket`, else the maintenance host (S3 website hosting's CNAME rule). */
export function sandboxBucketName(runbook: Runbook): string {
  return runbook.maintenance.bucket ?? new URL(runbook.maintenance.url).hostname;
}

/** Creates the bucket (website hosting on, public read) and starts its website endpoint. */
export async function startMaintenanceSite(runbook: Runbook): Promise<SandboxMaintenanceSite> {
  const bucket = new SandboxBucket();
  const bucketName = sandboxBucketName(runbook);
  bucket.create(bucketName);
  let open = (): void => undefined;
  const ready = new Promise<void>((resolve) => (open = resolve));
  const website = bucket.websiteHandler(bucketName);
  const server = await listenLocal((req, res) => void ready.then(() => website(req, res)));
  const start = (local: Runbook): void => void seed(local, bucket, bucketName).then(open, open);
  return { bucket, bucketName, server, seed: start, ready };
}

/**
 * The local runbook's maintenance block for the sandbox: `bucket` is the sandbox's bucket and
 * `sourceUrl` (path kept) is served by the local front, like `site.url`: in the sandbox every
 * source is the shop.
 */
export function withSandboxBucket(local: Runbook, bucketName: string): Runbook {
  const source = local.maintenance.sourceUrl;
  const sourceUrl =
    source === undefined
      ? undefined
      : new URL(`${new URL(source).pathname}${new URL(source).search}`, local.site.url).href;
  return {
    ...local,
    maintenance: { ...local.maintenance, bucket: bucketName, ...(sourceUrl === undefined ? {} : { sourceUrl }) },
  };
}

async function seed(local: Runbook, bucket: SandboxBucket, bucketName: string): Promise<void> {
  const [{ httpFetcher }, { takeSnapshot }, { publishSite }] = await Promise.all([
    import('../site/fetcher.js'),
    import('../site/snapshot.js'),
    import('../site/publish.js'),
  ]);
  const shop = await listenLocal((req, res) => sendShop(res, req.url ?? '/', 'web-1'));
  const dir = await mkdtemp(join(tmpdir(), 'hotspare-sandbox-site-'));
  try {
    const m = local.maintenance;
    await takeSnapshot({
      url: new URL(m.sourceUrl ?? local.site.url),
      out: join(dir, 'site'),
      fetcher: redirectedTo(shop.origin, httpFetcher()),
      dynamicPrefixes: m.dynamicPrefixes,
      extraPaths: m.startPaths,
      entryKey: entryKeyFor(m.url),
      banner: m.banner ?? m.expectText,
    });
    await publishSite({ dir: join(dir, 'site'), bucket: bucketName, region: local.region, port: bucket });
  } finally {
    await Promise.all([shop.close(), rm(dir, { recursive: true, force: true })]);
  }
}

/** A fetcher that sends every request to `origin`, path and query kept. */
function redirectedTo(origin: string, inner: Fetcher): Fetcher {
  return (url, options) => inner(new URL(`${url.pathname}${url.search}`, origin), options);
}
