import pLimit from 'p-limit';
import type { BucketAccess, SiteBucket, WebsiteConfig } from '../ports/site.js';
import {
  PENDING_FILE,
  PHASES,
  cacheControlFor,
  pendingText,
  planPublish,
  type PublishPlan,
  type Upload,
} from './publish-plan.js';
import { sha256 } from './manifest.js';
import { websiteFindings, type AccessFinding } from './website-access.js';

export interface PublishOptions {
  readonly dir: string;
  readonly bucket: string;
  readonly region: string;
  readonly port: SiteBucket;
  /** Only say what would change. */
  readonly dryRun?: boolean | undefined;
  /** Turn on static website hosting (index.html; error document 404.html when there is one, else index.html). */
  readonly website?: boolean | undefined;
  /** Also delete objects no hotspare publish put there. */
  readonly deleteUnknown?: boolean | undefined;
  readonly concurrency?: number | undefined;
  readonly now?: (() => number) | undefined;
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
  /** Called with the plan before anything is sent (not on a dry run): the invalidation journal records it. */
  readonly onPlan?: ((plan: PublishPlan) => void) | undefined;
}

export interface PublishReport {
  readonly plan: PublishPlan;
  readonly dryRun: boolean;
  /** The website configuration set (with --website). */
  readonly website?: WebsiteConfig | undefined;
  /** Whether the website endpoint will serve, and what to change when not. */
  readonly findings: readonly AccessFinding[];
  /** Request ids of the calls made, for the record. */
  readonly requestIds: readonly string[];
}

const DEFAULT_CONCURRENCY = 8;

/**
 * Publishes a snapshot folder to a bucket so that a visitor never sees a page whose assets or
 * linked pages are missing, even if the publish is stopped midway: the keys it will add are listed
 * first (`PENDING_FILE`, so the next publish may clean them up), then changed assets, then pages
 * (new pages before the pages that link to them), then the home page, then the manifest (its age is
 * the site's age), and only then the deletion of objects that left the snapshot, and of the
 * pending list. Stylesheets and scripts have keys carrying their hash, so a changed one is a new
 * key: an old page never gets a new stylesheet, nor a new page an old one. Each phase finishes
 * before the next starts. Idempotent: running it again after a failure uploads what is still
 * different. With `dryRun`, reads only.
 */
export async function publishSite(options: PublishOptions): Promise<PublishReport> {
  const now = options.now?.() ?? Date.now();
  const plan = await planPublish(options.dir, options.port, options.bucket, {
    deleteUnknown: options.deleteUnknown ?? false,
    now,
  });
  const website = options.website === true ? websiteConfigFor(plan) : undefined;
  const requestIds: string[] = [];
  if (options.dryRun !== true) {
    options.onPlan?.(plan);
    if (plan.adding.length > 0) record(requestIds, await options.port.put(options.bucket, pendingObject(plan, now)));
    await upload(options, plan, requestIds);
    if (plan.deletes.length > 0) record(requestIds, await options.port.delete(options.bucket, plan.deletes));
    if (plan.adding.length > 0 || plan.pendingFound)
      record(requestIds, await options.port.delete(options.bucket, [PENDING_FILE]));
    if (website !== undefined) record(requestIds, await options.port.configureWebsite(options.bucket, website));
  }
  const findings = await accessFindings(options, website);
  return { plan, dryRun: options.dryRun === true, website, findings, requestIds };
}

/** Whether the website endpoint will serve; a denied read is a warning, not a failed publish. */
async function accessFindings(options: PublishOptions, website: WebsiteConfig | undefined): Promise<AccessFinding[]> {
  let access: BucketAccess;
  try {
    access = await options.port.readAccess(options.bucket);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [
      {
        severity: 'warning',
        message: `Could not read the bucket's website hosting, Block Public Access and policy: ${message}`,
        fix: 'Grant s3:GetBucketWebsite, s3:GetBucketPublicAccessBlock and s3:GetBucketPolicy, or check the website endpoint in a browser.',
      },
    ];
  }
  // A dry run with --website reports as if hosting were already on.
  const expected = website !== undefined && options.dryRun === true ? { ...access, website } : access;
  return websiteFindings(expected, options.bucket, options.region);
}

function record(ids: string[], receipt: { readonly requestId?: string | undefined }): void {
  if (receipt.requestId !== undefined) ids.push(receipt.requestId);
}

function pendingObject(plan: PublishPlan, now: number) {
  const body = Buffer.from(pendingText(plan.adding, now));
  return {
    key: PENDING_FILE,
    body,
    contentType: 'application/json; charset=utf-8',
    cacheControl: cacheControlFor(PENDING_FILE, ''),
    sha256: sha256(body),
  };
}

/** Bodies read and in flight at once, at most (one larger file goes alone). */
const MAX_BYTES_IN_FLIGHT = 32 * 1024 * 1024;

/** Uploads phase by phase, and pages round by round; bodies are read from disk only when sent. */
async function upload(options: PublishOptions, plan: PublishPlan, requestIds: string[]): Promise<void> {
  const limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  let done = 0;
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const send = async (u: Upload): Promise<void> => {
    while (inFlight > 0 && inFlight + u.bytes > MAX_BYTES_IN_FLIGHT)
      await new Promise<void>((resolve) => waiting.push(resolve));
    inFlight += u.bytes;
    try {
      const body = await u.read();
      const { key, contentType, cacheControl, sha256: digest } = u;
      record(
        requestIds,
        await options.port.put(options.bucket, { key, body, contentType, cacheControl, sha256: digest }),
      );
      options.onProgress?.(++done, plan.uploads.length);
    } finally {
      inFlight -= u.bytes;
      for (const wake of waiting.splice(0)) wake();
    }
  };
  for (const phase of PHASES) {
    const batch = plan.uploads.filter((u) => u.phase === phase);
    const rounds = [...new Set(batch.map((u) => u.round))].sort((a, b) => a - b);
    for (const round of rounds)
      await Promise.all(batch.filter((u) => u.round === round).map((u) => limit(() => send(u))));
  }
}

function websiteConfigFor(plan: PublishPlan): WebsiteConfig {
  const has404 = plan.manifest.files['404.html'] !== undefined;
  return { indexDocument: 'index.html', errorDocument: has404 ? '404.html' : 'index.html' };
}
