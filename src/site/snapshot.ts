import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import mime from 'mime-types';
import { BugError, ExternalError } from '../domain/errors.js';
import { crawl, type CrawlProgress, type CrawlResult, type FetchedEntry } from './crawl.js';
import type { Fetcher } from './fetcher.js';
import type { FormPolicy } from './forms.js';
import { assignKeys, isVersioned } from './keys.js';
import type { CrawlLimits } from './limits.js';
import { manifestText, sha256, type Manifest, type ManifestFile } from './manifest.js';
import { safePath, writeAtomically, writeKey } from './output-dir.js';
import { rewritePage, rewriteStylesheet, type FormApplied, type RewriteContext } from './rewrite.js';
import { MANIFEST_FILE, resolveLink, versionedKey } from './urls.js';

/** Defaults for `site snapshot`: gentle on a struggling origin. */
export const SNAPSHOT_DEFAULTS = { concurrency: 4 } as const;

export interface SnapshotOptions {
  readonly url: URL;
  readonly out: string;
  readonly fetcher: Fetcher;
  readonly extraPaths?: readonly string[] | undefined;
  readonly maxDepth?: number | undefined;
  readonly maxPages?: number | undefined;
  /** The other crawl limits (see `CrawlLimits`); `maxDepth`/`maxPages` above win. */
  readonly limits?: Partial<CrawlLimits> | undefined;
  readonly concurrency?: number | undefined;
  readonly dynamicPrefixes?: readonly string[] | undefined;
  /** A notice put at the top of every page. */
  readonly banner?: string | undefined;
  /** What forms become in the copy (see `forms.ts`). */
  readonly forms?: FormPolicy | undefined;
  /** Hosts the start URL may redirect to (besides http/https and www). */
  readonly allowRedirectHosts?: readonly string[] | undefined;
  /** The maintenance site's URL: a source that redirects there is in maintenance and is not copied. */
  readonly maintenanceUrl?: string | undefined;
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

const WORK_DIR = '.hotspare-work';

/**
 * Mirrors a live site into `out` (see `crawl` and `rewrite`) and writes the manifest beside it. The
 * folder is replaced only when the whole snapshot is written. Bodies stream to disk as they arrive
 * and are moved into place; pages and stylesheets are rewritten one at a time. What failed or was
 * left out by a limit is listed in the manifest and does not stop the snapshot; a start page that
 * failed does (nothing to copy), and so does a source that is in maintenance.
 */
export async function takeSnapshot(options: SnapshotOptions): Promise<SnapshotResult> {
  const started = Date.now();
  let manifest: Manifest | undefined;
  await writeAtomically(options.out, async (dir) => {
    const work = join(dir, WORK_DIR);
    await mkdir(work);
    const result = await crawl({
      start: options.url,
      extraPaths: options.extraPaths,
      limits: { ...options.limits, ...defined({ maxDepth: options.maxDepth, maxPages: options.maxPages }) },
      concurrency: options.concurrency ?? SNAPSHOT_DEFAULTS.concurrency,
      dynamicPrefixes: options.dynamicPrefixes ?? [],
      fetcher: options.fetcher,
      workDir: work,
      allowRedirectHosts: options.allowRedirectHosts,
      maintenanceUrl: options.maintenanceUrl,
      onProgress: options.onProgress,
    });
    assertSomethingCopied(result);
    const written = await new Writer(dir, result, options).writeAll();
    await rm(work, { recursive: true, force: true });
    manifest = buildManifest(options, result, written, Date.now() - started);
    await writeKey(dir, MANIFEST_FILE, Buffer.from(manifestText(manifest)));
  });
  if (manifest === undefined)
    throw new BugError('The snapshot was written without a manifest.', { code: 'NoManifestWritten' });
  return {
    dir: options.out,
    manifest,
    pagesPerSecond: manifest.pages / Math.max((Date.now() - started) / 1000, 0.001),
  };
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

interface Written {
  readonly files: Record<string, ManifestFile>;
  readonly forms: readonly FormApplied[];
  readonly removedLinks: number;
}

/** Moves and rewrites the crawled files into their keys. */
class Writer {
  readonly files: Record<string, ManifestFile> = {};
  readonly forms: FormApplied[] = [];
  removedLinks = 0;
  readonly #keys: Map<string, string>;
  readonly #ctx: RewriteContext;
  /** Stylesheets being rewritten (an import cycle keeps their plain keys). */
  readonly #inProgress = new Set<string>();
  readonly #unversioned = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly result: CrawlResult,
    private readonly options: SnapshotOptions,
  ) {
    this.#keys = assignKeys(result);
    this.#ctx = { crawl: result, keys: this.#keys, banner: options.banner, forms: options.forms };
  }

  async writeAll(): Promise<Written> {
    const entries = [...this.result.entries.values()];
    for (const e of entries)
      if (!e.html && !isVersioned(e))
        await this.#move(
          e,
          this.#keys.get(e.url.href) ?? '',
          contentTypeOf(this.#keys.get(e.url.href) ?? '', e.contentType, e.charset),
        );
    for (const e of entries)
      if (isVersioned(e) && e.contentType !== 'text/css')
        await this.#move(
          e,
          versionedKey(this.#keys.get(e.url.href) ?? '', e.sha256),
          contentTypeOf('', e.contentType, e.charset),
          true,
        );
    for (const e of entries) if (e.contentType === 'text/css' && !e.html) await this.#stylesheet(e);
    for (const e of entries) if (e.html) await this.#page(e, this.#keys.get(e.url.href) ?? '');
    await this.#entryPage();
    return { files: this.files, forms: this.forms, removedLinks: this.removedLinks };
  }

  #record(
    key: string,
    e: FetchedEntry,
    body: { sha256: string; bytes: number },
    contentType: string,
    immutable = false,
  ): void {
    this.files[key] = {
      sha256: body.sha256,
      bytes: body.bytes,
      kind: e.html ? 'page' : 'asset',
      contentType,
      url: e.url.href,
      ...(immutable ? { immutable } : {}),
    };
    this.#keys.set(e.url.href, key);
  }

  async #move(e: FetchedEntry, key: string, contentType: string, immutable = false): Promise<void> {
    const path = safePath(this.dir, key);
    await mkdir(dirname(path), { recursive: true });
    await rename(e.file, path);
    this.#record(key, e, e, contentType, immutable);
  }

  /** Rewrites a stylesheet after those it imports (their keys carry their hashes), once. */
  async #stylesheet(e: FetchedEntry): Promise<string> {
    const href = e.url.href;
    const done = this.files[this.#keys.get(href) ?? ''];
    if (done !== undefined && done.url === href) return this.#keys.get(href) ?? '';
    this.#inProgress.add(href);
    const bytes = await readFile(e.file);
    const base = this.#keys.get(href) ?? '';
    for (const raw of importsOf(bytes)) {
      const url = resolveLink(raw, e.url);
      const child = url === undefined ? undefined : this.result.entries.get(url.href);
      if (child === undefined || child.contentType !== 'text/css') continue;
      if (this.#inProgress.has(child.url.href)) this.#unversioned.add(child.url.href);
      else await this.#stylesheet(child);
    }
    const body = rewriteStylesheet(this.#ctx, e.url, bytes, e.charset, base);
    const digest = sha256(body);
    const key = this.#unversioned.has(href) ? base : versionedKey(base, digest);
    await writeKey(this.dir, key, body);
    this.#record(
      key,
      e,
      { sha256: digest, bytes: body.length },
      contentTypeOf(key, e.contentType, e.charset ?? 'utf-8'),
      !this.#unversioned.has(href),
    );
    this.#inProgress.delete(href);
    await rm(e.file, { force: true });
    return key;
  }

  async #page(e: FetchedEntry, key: string): Promise<void> {
    const page = rewritePage(this.#ctx, e.url, await readFile(e.file), e.charset, key);
    await writeKey(this.dir, key, page.body);
    this.#record(
      key,
      e,
      { sha256: sha256(page.body), bytes: page.body.length },
      contentTypeOf(key, e.contentType, page.charset),
    );
    this.forms.push(...page.forms);
    this.removedLinks += page.removedLinks;
    if (e.url.href !== this.#startHref()) await rm(e.file, { force: true });
  }

  #startHref(): string | undefined {
    let at = this.result.start.href;
    for (let i = 0; i < 10 && !this.result.entries.has(at); i++) at = this.result.aliases.get(at) ?? at;
    return this.result.entries.has(at) ? at : undefined;
  }

  /** The start page again at the maintenance URL's own key (`down.html`), links relative to it. */
  async #entryPage(): Promise<void> {
    const key = this.options.entryKey;
    const start = this.#startHref();
    const e = start === undefined ? undefined : this.result.entries.get(start);
    if (e?.html === true && key !== undefined && this.files[key] === undefined) {
      const page = rewritePage(this.#ctx, e.url, await readFile(e.file), e.charset, key);
      await writeKey(this.dir, key, page.body);
      this.files[key] = {
        sha256: sha256(page.body),
        bytes: page.body.length,
        kind: 'page',
        contentType: contentTypeOf(key, e.contentType, page.charset),
        url: e.url.href,
      };
    }
  }
}

/** The `@import`s and `url()`s of a stylesheet, read as UTF-8 (only their targets matter here). */
function importsOf(bytes: Buffer): string[] {
  const text = bytes.toString('latin1');
  return [...text.matchAll(/@import\s+(?:url\(\s*)?["']?([^"')\s;]+)/gi)].map((m) => m[1] ?? '');
}

function assertSomethingCopied(result: CrawlResult): void {
  const first = [...result.entries.values()].find((r) => r.html);
  if (first !== undefined) return;
  const why = result.failed.get(result.start.href);
  const detail =
    why === undefined ? 'it is not an HTML page' : why.status !== undefined ? `HTTP ${why.status}` : why.error;
  throw new ExternalError(`Nothing to copy: ${result.start.href} answered ${detail ?? 'nothing'}.`, {
    code: 'NothingToCopy',
    retryable: true,
    nextSteps:
      'Check that the URL opens in a browser from this machine; the folder given with --out was left as it was.',
  });
}

/** The Content-Type to serve a file with: what the origin said, else from its extension; text gets its charset. */
export function contentTypeOf(key: string, served: string | undefined, charset?: string): string {
  const type = served !== undefined && served !== '' ? served : mime.lookup(key) || 'application/octet-stream';
  const textual = type.startsWith('text/') || /[+/](xml|json)$/.test(type) || type.endsWith('javascript');
  if (charset !== undefined && textual) return `${type}; charset=${charset}`;
  return mime.contentType(type) || type;
}

function buildManifest(options: SnapshotOptions, result: CrawlResult, written: Written, tookMs: number): Manifest {
  const entries = Object.values(written.files);
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
    files: written.files,
    errors: [...result.failed.values()],
    cut: result.cut,
    forms: written.forms.map((f) => ({
      page: f.page,
      form: f.form,
      method: f.method,
      action: f.action,
      policy: f.decision.policy,
      source: f.decision.source,
      ...(f.decision.policy === 'service' ? { serviceUrl: f.decision.serviceUrl } : {}),
    })),
    removedOriginLinks: written.removedLinks,
  };
}
