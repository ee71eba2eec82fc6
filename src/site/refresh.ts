import type { SiteBucket } from '../ports/site.js';
import { UsageError } from '../domain/errors.js';
import type { Runbook } from '../runbook/schema.js';
import { checkSite, type CheckReport } from './check.js';
import type { CrawlProgress } from './crawl.js';
import { DIR_ORIGIN, dirFetcher } from './dir-reader.js';
import type { Fetcher } from './fetcher.js';
import { publishSite, type PublishOptions, type PublishReport } from './publish.js';
import { takeSnapshot, type SnapshotResult } from './snapshot.js';
import type { CrawlLimits } from './limits.js';

export interface RefreshOptions {
  readonly runbook: Runbook;
  /** Where the snapshot is written (replaced each time). */
  readonly out: string;
  readonly fetcher: Fetcher;
  readonly bucket: SiteBucket;
  readonly region: string;
  /** Publish even when the check finds problems. */
  readonly force?: boolean | undefined;
  readonly website?: boolean | undefined;
  readonly dryRun?: boolean | undefined;
  /** Flags that override the runbook's `maintenance.crawl`. */
  readonly limits?:
    | ({
        readonly maxDepth?: number | undefined;
        readonly maxPages?: number | undefined;
        readonly concurrency?: number | undefined;
      } & { readonly [K in keyof CrawlLimits]?: number | undefined })
    | undefined;
  readonly onStage?: ((stage: 'snapshot' | 'check' | 'publish') => void) | undefined;
  readonly onSnapshotProgress?: ((progress: CrawlProgress) => void) | undefined;
  readonly onPublishProgress?: ((done: number, total: number) => void) | undefined;
  /** Passed to the publish: called with its plan before anything is sent. */
  readonly onPublishPlan?: PublishOptions['onPlan'];
}

export interface RefreshReport {
  readonly snapshot: SnapshotResult;
  readonly check: CheckReport;
  /** Absent when the check failed and `force` was not given. */
  readonly publish?: PublishReport | undefined;
  /** The check failed and nothing was published. */
  readonly refused: boolean;
}

/** The bucket the runbook's maintenance site is published to; a usage error when it names none. */
export function bucketOf(runbook: Runbook): string {
  const bucket = runbook.maintenance.bucket;
  if (bucket === undefined) {
    throw new UsageError(`The runbook ${runbook.name} names no maintenance.bucket to publish to.`, {
      code: 'NoBucket',
      nextSteps:
        'Add `bucket: NAME` under maintenance in the runbook (for a CNAME to S3 website hosting, the bucket is named after the host).',
    });
  }
  return bucket;
}

/**
 * The periodic job: snapshot the runbook's source site, check the copy, publish it. A copy that
 * fails the check is not published unless `force`: yesterday's good copy is better than today's
 * broken one. Non-interactive; the caller prints the report.
 */
export async function refreshSite(options: RefreshOptions): Promise<RefreshReport> {
  const { runbook } = options;
  const m = runbook.maintenance;
  const bucket = bucketOf(runbook);
  const source = new URL(m.sourceUrl ?? runbook.site.url);
  options.onStage?.('snapshot');
  const crawlLimits = crawlLimitsOf(runbook);
  const snapshot = await takeSnapshot({
    url: source,
    out: options.out,
    fetcher: options.fetcher,
    extraPaths: m.startPaths,
    dynamicPrefixes: m.dynamicPrefixes,
    banner: m.banner,
    forms: m.forms,
    allowRedirectHosts: m.allowRedirectHosts,
    maintenanceUrl: m.url,
    limits: { ...crawlLimits, ...definedLimits(options.limits) },
    concurrency: options.limits?.concurrency ?? m.crawl?.concurrency,
    maxDepth: options.limits?.maxDepth,
    maxPages: options.limits?.maxPages,
    onProgress: options.onSnapshotProgress,
  });
  options.onStage?.('check');
  const check = await checkSite({
    start: new URL(`${DIR_ORIGIN}/`),
    fetcher: dirFetcher(options.out),
    origin: new URL(snapshot.manifest.source ?? source.href).origin,
  });
  if (!check.ok && options.force !== true) return { snapshot, check, refused: true };
  options.onStage?.('publish');
  const publish = await publishSite({
    dir: options.out,
    bucket,
    region: options.region,
    port: options.bucket,
    website: options.website,
    dryRun: options.dryRun,
    onProgress: options.onPublishProgress,
    onPlan: options.onPublishPlan,
  });
  return { snapshot, check, publish, refused: false };
}

/** The runbook's `maintenance.crawl` as crawl limits (megabytes to bytes); unset limits keep their defaults. */
export function crawlLimitsOf(runbook: Runbook): Partial<CrawlLimits> {
  const c = runbook.maintenance.crawl;
  if (c === undefined) return {};
  const out: Partial<Record<keyof CrawlLimits, number>> = {};
  if (c.maxDepth !== undefined) out.maxDepth = c.maxDepth;
  if (c.maxPages !== undefined) out.maxPages = c.maxPages;
  if (c.maxAssets !== undefined) out.maxAssets = c.maxAssets;
  if (c.maxMegabytes !== undefined) out.maxBytes = Math.round(c.maxMegabytes * 1024 * 1024);
  if (c.maxHops !== undefined) out.maxHops = c.maxHops;
  if (c.maxSeconds !== undefined) out.maxSeconds = c.maxSeconds;
  return out;
}

function definedLimits(limits: RefreshOptions['limits']): Partial<CrawlLimits> {
  const out: Partial<Record<keyof CrawlLimits, number>> = {};
  for (const name of ['maxAssets', 'maxBytes', 'maxHops', 'maxSeconds'] as const) {
    const value = limits?.[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
