import mime from 'mime-types';
import { BugError, ExternalError } from '../ports/errors.js';
import { crawl, type CrawlProgress, type CrawlResult, type Resource } from './crawl.js';
import type { Fetcher } from './fetcher.js';
import { manifestText, sha256, type Manifest, type ManifestFile } from './manifest.js';
import { writeAtomically, writeKey } from './output-dir.js';
import { entryPage, rewrittenBody } from './rewrite.js';
import { MANIFEST_FILE } from './urls.js';

/** Defaults for `site snapshot`: enough for a maintenance copy, gentle on a struggling origin. */
export const SNAPSHOT_DEFAULTS = { maxDepth: 4, maxPages: 200, concurrency: 4 } as const;

export interface SnapshotOptions {
  readonly url: URL;
  readonly out: string;
  readonly fetcher: Fetcher;
  readonly extraPaths?: readonly string[] | undefined;
  readonly maxDepth?: number | undefined;
  readonly maxPages?: number | undefined;
  readonly concurrency?: number | undefined;
  readonly dynamicPrefixes?: readonly string[] | undefined;
  /** A notice put at the top of every page. */
  readonly banner?: string | undefined;
  readonly onProgress?: ((progress: CrawlProgress) => void) | undefined;
  /** Also store the start page at this key when the crawl did not (the maintenance URL's path, e.g. `down.html`). */
  readonly entryKey?: string | undefined;
  /** Epoch ms for `createdAt` (default now). */
  readonly now?: (() => number) | undefined;
}

/** What a snapshot made. */
export interface SnapshotResult {
  readonly dir: string;
  readonly manifest: Manifest;
  /** Pages fetched per second of the whole run (crawl, rewrite, write). */
  readonly pagesPerSecond: number;
}

/**
 * Mirrors a live site into `out` (see `crawl` and `rewrite`) and writes the manifest beside it. The
 * folder is replaced only when the whole snapshot is written. Pages that failed are listed in the
 * manifest's `errors` and do not stop the snapshot; a start page that failed does (nothing to copy).
 */
export async function takeSnapshot(options: SnapshotOptions): Promise<SnapshotResult> {
  const started = Date.now();
  const result = await crawl({
    start: options.url,
    extraPaths: options.extraPaths,
    maxDepth: options.maxDepth ?? SNAPSHOT_DEFAULTS.maxDepth,
    maxPages: options.maxPages ?? SNAPSHOT_DEFAULTS.maxPages,
    concurrency: options.concurrency ?? SNAPSHOT_DEFAULTS.concurrency,
    dynamicPrefixes: options.dynamicPrefixes ?? [],
    fetcher: options.fetcher,
    onProgress: options.onProgress,
  });
  assertSomethingCopied(result);
  let manifest: Manifest | undefined;
  await writeAtomically(options.out, async (dir) => {
    const files = await writeFiles(dir, result, options);
    manifest = buildManifest(options, result, files, Date.now() - started);
    await writeKey(dir, MANIFEST_FILE, Buffer.from(manifestText(manifest)));
  });
  if (manifest === undefined) throw new BugError('The snapshot was written without a manifest.');
  return { dir: options.out, manifest, pagesPerSecond: manifest.pages / Math.max((Date.now() - started) / 1000, 0.001) };
}

/** Writes every fetched file, rewritten, and the entry page; returns the manifest's file list. */
async function writeFiles(dir: string, result: CrawlResult, options: SnapshotOptions): Promise<Record<string, ManifestFile>> {
  const files: Record<string, ManifestFile> = {};
  const store = async (resource: Resource, body: Buffer): Promise<void> => {
    await writeKey(dir, resource.key, body);
    const contentType = contentTypeOf(resource.key, resource.contentType);
    files[resource.key] = { sha256: sha256(body), bytes: body.length, kind: resource.kind, contentType, url: resource.url.href };
  };
  for (const resource of result.resources.values()) await store(resource, rewrittenBody(result, resource, options.banner));
  const entry = options.entryKey === undefined || files[options.entryKey] !== undefined ? undefined : entryPage(result, options.entryKey, options.banner);
  if (entry !== undefined) await store(entry.resource, entry.body);
  return files;
}

function assertSomethingCopied(result: CrawlResult): void {
  const first = [...result.resources.values()].find((r) => r.kind === 'page');
  if (first !== undefined) return;
  const why = result.failed.get(result.start.href);
  const detail = why === undefined ? 'it is not an HTML page' : why.status !== undefined ? `HTTP ${why.status}` : why.error;
  throw new ExternalError(`Nothing to copy: ${result.start.href} answered ${detail ?? 'nothing'}.`, {
    code: 'NothingToCopy',
    retryable: true,
    nextSteps: 'Check that the URL opens in a browser from this machine; the folder given with --out was left as it was.',
  });
}

/** The Content-Type to serve a file with: what the origin said, else from its extension. */
export function contentTypeOf(key: string, served: string | undefined): string {
  const type = served !== undefined && served !== '' ? served : mime.lookup(key) || 'application/octet-stream';
  return mime.contentType(type) || type;
}

function buildManifest(options: SnapshotOptions, result: CrawlResult, files: Record<string, ManifestFile>, tookMs: number): Manifest {
  const entries = Object.values(files);
  return {
    tool: 'hotspare',
    format: 1,
    source: result.start.href,
    createdAt: new Date(options.now?.() ?? Date.now()).toISOString(),
    tookMs,
    pages: entries.filter((f) => f.kind === 'page').length,
    assets: entries.filter((f) => f.kind === 'asset').length,
    bytes: entries.reduce((sum, f) => sum + f.bytes, 0),
    ...(options.banner === undefined ? {} : { banner: options.banner }),
    dynamicPrefixes: [...(options.dynamicPrefixes ?? [])],
    files,
    errors: [...result.failed.values()],
  };
}
