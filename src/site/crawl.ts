import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExternalError } from '../domain/errors.js';
import { decodeText, sniffCharset } from './charset.js';
import { cssReferences } from './css.js';
import { fileFetcherOf, type Fetched, type Fetcher, type FetchedFile, type FileFetcher } from './fetcher.js';
import { documentBase, isHotspareCopy, references, scanHtml } from './html.js';
import { CRAWL_DEFAULTS, type CrawlLimits, type CutCount, type CutReason } from './limits.js';
import type { FetchError } from './manifest.js';
import { onSite } from './same-site.js';
import { resolveStart } from './start.js';
import { readSitemap, sitemapPages } from './sitemap.js';
import { isDynamic, resolveLink } from './urls.js';

/** What to crawl and how hard. */
export interface CrawlOptions {
  readonly start: URL;
  /** More paths to start from (`/sale`), for pages nothing links to. */
  readonly extraPaths?: readonly string[] | undefined;
  readonly limits?: Partial<CrawlLimits> | undefined;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Same-origin path prefixes that stay on the live site (`/search`): never fetched. */
  readonly dynamicPrefixes: readonly string[];
  readonly fetcher: Fetcher;
  /** Where bodies are written as they arrive (one file per URL; the snapshot moves them into place). */
  readonly workDir: string;
  /** Hosts the start URL may redirect to besides the same site (http/https, apex/www). */
  readonly allowRedirectHosts?: readonly string[] | undefined;
  /** The maintenance site: a start URL that redirects there is in maintenance, and is not copied. */
  readonly maintenanceUrl?: string | undefined;
  /** Read robots.txt and sitemaps for pages nothing links to (default true). */
  readonly sitemaps?: boolean | undefined;
  readonly onProgress?: ((progress: CrawlProgress) => void) | undefined;
}

/** Counts for a progress bar. */
export interface CrawlProgress {
  readonly pagesDone: number;
  readonly pagesQueued: number;
  readonly assetsDone: number;
  readonly assetsQueued: number;
  readonly bytes: number;
  readonly errors: number;
  /** URLs left out by a limit so far. */
  readonly cut: number;
}

/** One file fetched, its body in `file` as it arrived. */
export interface FetchedEntry {
  readonly url: URL;
  /** How it was referenced: a page (a link) or an asset (something a page loads). */
  readonly kind: 'page' | 'asset';
  readonly file: string;
  readonly contentType: string;
  /** The charset pages and stylesheets were read with. */
  readonly charset?: string | undefined;
  readonly bytes: number;
  readonly sha256: string;
  /** An HTML page whose links were followed. */
  readonly html: boolean;
}

export interface CrawlResult {
  /** The site's origin, after any redirect of the start URL. */
  readonly origin: string;
  readonly start: URL;
  /** By URL (without fragment), in the order fetched. */
  readonly entries: ReadonlyMap<string, FetchedEntry>;
  /** URLs that are another URL's file: same-site redirects. */
  readonly aliases: ReadonlyMap<string, string>;
  /** By URL: what answered with an error status or not at all. */
  readonly failed: ReadonlyMap<string, FetchError>;
  /** URLs a limit left out, by limit. */
  readonly cut: Partial<Record<CutReason, CutCount>>;
  /** Every URL left out by a limit (links to them point at the origin). */
  readonly cutUrls: ReadonlySet<string>;
  readonly tookMs: number;
}

type Kind = FetchedEntry['kind'];

interface Task {
  readonly url: URL;
  readonly kind: Kind;
  readonly depth: number;
  readonly hops: number;
  readonly from?: URL | undefined;
}

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
/** Pages larger than this are kept as fetched, not read for links (a page is parsed whole). */
const MAX_PARSED_PAGE = 8 * 1024 * 1024;

/**
 * Crawls same-site pages from `start` (and `extraPaths`, and the site's sitemaps), fetching every
 * same-site asset they use (`src`, `srcset`, stylesheets, icons, feeds, `url()`, `@import`), within
 * `limits`. Bodies go to files in `workDir` as they arrive; a page is read back and scanned for
 * links one at a time, and nothing is kept of it but its record. Pages under a dynamic prefix are
 * not fetched; pages with a query are pages like any other.
 */
export async function crawl(options: CrawlOptions): Promise<CrawlResult> {
  const started = Date.now();
  const { url: start, answer } = await resolveStart(options);
  const state = new CrawlState(options, start, answer);
  await state.run([start, ...(options.extraPaths ?? []).flatMap((p) => resolveLink(p, start) ?? [])]);
  return {
    origin: start.origin,
    start,
    entries: state.entries,
    aliases: state.aliases,
    failed: state.failed,
    cut: state.cutReport(),
    cutUrls: new Set(state.cutUrls.keys()),
    tookMs: Date.now() - started,
  };
}

class CrawlState {
  readonly entries = new Map<string, FetchedEntry>();
  readonly aliases = new Map<string, string>();
  readonly failed = new Map<string, FetchError>();
  readonly cutUrls = new Map<string, CutReason>();
  readonly #limits: CrawlLimits;
  readonly #seen = new Set<string>();
  readonly #pages: Task[] = [];
  readonly #assets: Task[] = [];
  readonly #download: FileFetcher;
  readonly #deadline: number;
  readonly #progress = { pagesDone: 0, pagesQueued: 0, assetsDone: 0, assetsQueued: 0, bytes: 0, errors: 0, cut: 0 };
  #files = 0;
  #active = 0;
  #fatal: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(
    private readonly options: CrawlOptions,
    private readonly start: URL,
    startAnswer: Fetched | undefined,
  ) {
    this.#limits = { ...CRAWL_DEFAULTS, ...definedOnly(options.limits ?? {}) };
    const download = fileFetcherOf(options.fetcher);
    let first = startAnswer;
    // The start page was read while following its redirects: written, not fetched again.
    this.#download = async (url, path) => {
      const answer = first !== undefined && url.href === start.href ? first : undefined;
      if (answer === undefined) return download(url, path);
      first = undefined;
      const { body, ...head } = answer;
      await writeFile(path, body);
      return { ...head, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') };
    };
    this.#deadline = Date.now() + this.#limits.maxSeconds * 1000;
  }

  /** Crawls from the start pages until nothing is left to fetch. */
  async run(starts: readonly URL[]): Promise<void> {
    for (const url of starts) this.enqueue({ url, kind: 'page', depth: 0, hops: 0 });
    const workers = Array.from({ length: Math.max(1, this.options.concurrency) }, () => this.#worker());
    await Promise.all(workers);
    if (this.#fatal !== undefined) throw this.#fatal;
  }

  /** Queues `task` unless it was seen, is elsewhere, dynamic, or beyond a limit (then it is counted as cut). */
  enqueue(task: Task): void {
    const url = onSite(task.url, this.start);
    if (url.origin !== this.start.origin) return;
    const href = url.href;
    if (this.#seen.has(href)) return;
    if (task.kind === 'page' && task.depth > 0 && isDynamic(url, this.options.dynamicPrefixes)) return;
    const reason = this.#overLimit(task);
    if (reason !== undefined) return this.#cut(href, reason);
    this.cutUrls.delete(href);
    this.#seen.add(href);
    this.#progress[task.kind === 'page' ? 'pagesQueued' : 'assetsQueued']++;
    (task.kind === 'page' ? this.#pages : this.#assets).push({ ...task, url });
    this.#wake?.();
  }

  #overLimit(task: Task): CutReason | undefined {
    const l = this.#limits;
    if (task.hops > l.maxHops) return 'hops';
    if (task.kind === 'page' && task.depth > l.maxDepth) return 'depth';
    if (task.kind === 'page' && this.#progress.pagesQueued >= l.maxPages) return 'pages';
    if (task.kind === 'asset' && this.#progress.assetsQueued >= l.maxAssets) return 'assets';
    return undefined;
  }

  #cut(href: string, reason: CutReason): void {
    if (!this.cutUrls.has(href)) this.#progress.cut++;
    this.cutUrls.set(href, reason);
  }

  cutReport(): Partial<Record<CutReason, CutCount>> {
    const out: Partial<Record<CutReason, { count: number; examples: string[] }>> = {};
    for (const [href, reason] of this.cutUrls) {
      const c = (out[reason] ??= { count: 0, examples: [] });
      c.count++;
      if (c.examples.length < 5) c.examples.push(href);
    }
    return out;
  }

  /** Takes tasks (assets first: pages already fetched need them) until the queues stay empty. */
  async #worker(): Promise<void> {
    for (;;) {
      const task = this.#assets.shift() ?? this.#pages.shift();
      if (task === undefined) {
        if (this.#active === 0) {
          this.#wake?.();
          return;
        }
        await new Promise<void>((resolve) => {
          const previous = this.#wake;
          this.#wake = () => {
            this.#wake = undefined;
            previous?.();
            resolve();
          };
        });
        continue;
      }
      this.#active++;
      try {
        await this.#run(task);
      } catch (error) {
        this.#stopOrRecord(task, error);
      } finally {
        this.#active--;
        this.#progress[task.kind === 'page' ? 'pagesDone' : 'assetsDone']++;
        this.options.onProgress?.({ ...this.#progress });
        if (this.#active === 0 && this.#assets.length === 0 && this.#pages.length === 0) this.#wake?.();
      }
    }
  }

  /**
   * A copy of the maintenance site stops the crawl; any other failure is ours, not the site's: the
   * URL is recorded as not copied, with what went wrong, and the rest of the copy is kept.
   */
  #stopOrRecord(task: Task, error: unknown): void {
    if (error instanceof ExternalError) {
      this.#fatal ??= error;
      this.#pages.length = 0;
      this.#assets.length = 0;
      return;
    }
    this.#fail(task, {
      error: `not copied: hotspare could not process it (${error instanceof Error ? error.message : String(error)})`,
    });
  }

  async #run(task: Task): Promise<void> {
    const href = task.url.href;
    if (Date.now() > this.#deadline) return this.#cut(href, 'time');
    if (this.#progress.bytes >= this.#limits.maxBytes) return this.#cut(href, 'bytes');
    const file = join(this.options.workDir, String(++this.#files));
    let res: FetchedFile;
    try {
      res = await this.#download(task.url, file);
    } catch (error) {
      await rm(file, { force: true });
      return this.#fail(task, { error: error instanceof Error ? error.message : String(error) });
    }
    this.#progress.bytes += res.bytes;
    if (res.status >= 300 && res.status < 400 && res.location !== undefined) {
      await rm(file, { force: true });
      return this.#redirected(task, res.location, res.status);
    }
    if (res.status < 200 || res.status >= 300) {
      await rm(file, { force: true });
      return this.#fail(task, { status: res.status });
    }
    const html = task.kind === 'page' && HTML_TYPES.has(res.contentType) && res.bytes <= MAX_PARSED_PAGE;
    const entry: FetchedEntry = {
      url: task.url,
      kind: task.kind,
      file,
      contentType: res.contentType,
      charset: res.charset,
      bytes: res.bytes,
      sha256: res.sha256,
      html,
    };
    if (html) return this.#page(task, entry);
    this.entries.set(href, entry);
    if (res.contentType === 'text/css') await this.#stylesheet(task, entry);
  }

  /** A same-site redirect makes the URL an alias of its target (one more hop); one elsewhere leaves the link as it is. */
  #redirected(task: Task, location: string, status: number): void {
    const next = resolveLink(location, task.url);
    if (next === undefined) return this.#fail(task, { status, error: 'redirect without a usable Location' });
    const target = onSite(next, this.start);
    if (target.origin !== this.start.origin) return;
    this.aliases.set(task.url.href, target.href);
    this.enqueue({ ...task, url: target, hops: task.hops + 1 });
  }

  #fail(task: Task, what: { status?: number; error?: string }): void {
    this.#progress.errors++;
    this.failed.set(task.url.href, {
      url: task.url.href,
      ...what,
      ...(task.from === undefined ? {} : { from: task.from.href }),
    });
  }

  /** Reads a page back, queues what it references, and keeps only its record. */
  async #page(task: Task, entry: FetchedEntry): Promise<void> {
    const bytes = await readFile(entry.file);
    const decoded = decodeText(bytes, sniffCharset(bytes, 'html', entry.charset));
    const scan = scanHtml(decoded.text);
    if (task.depth === 0 && task.url.href === this.start.href && isHotspareCopy(scan)) {
      throw new ExternalError(
        `${task.url.href} serves a hotspare maintenance copy (it carries the maintenance banner): the site is in maintenance now.`,
        {
          code: 'SourceInMaintenance',
          retryable: true,
          nextSteps:
            'Nothing was copied and the last good copy was kept. Take the snapshot again when the live site is back.',
        },
      );
    }
    this.entries.set(task.url.href, { ...entry, charset: decoded.charset });
    const base = documentBase(scan, task.url);
    for (const ref of references(scan)) {
      if (ref.role === 'form') continue;
      const url = resolveLink(ref.raw, base);
      if (url === undefined) continue;
      const page = ref.role === 'page';
      this.enqueue({
        url,
        kind: ref.role === 'page' ? 'page' : 'asset',
        depth: page ? task.depth + 1 : task.depth,
        hops: 0,
        from: task.url,
      });
    }
    if (task.depth === 0 && task.url.href === this.start.href && this.options.sitemaps !== false)
      await this.#sitemaps();
  }

  async #stylesheet(task: Task, entry: FetchedEntry): Promise<void> {
    const bytes = await readFile(entry.file);
    const decoded = decodeText(bytes, sniffCharset(bytes, 'css', entry.charset));
    for (const raw of cssReferences(decoded.text)) {
      const url = resolveLink(raw, task.url);
      if (url !== undefined)
        this.enqueue({ url, kind: 'asset', depth: task.depth, hops: task.hops + 1, from: task.url });
    }
  }

  /** Pages the site's sitemaps list, queued as start pages after what the home page links to. */
  async #sitemaps(): Promise<void> {
    const source = { text: (url: URL) => this.#text(url), sitemap: (url: URL) => this.#sitemap(url) };
    await sitemapPages(this.start, source, this.#limits.maxHops, (url) =>
      this.enqueue({ url, kind: 'page', depth: 0, hops: 0 }),
    );
  }

  async #sitemap(url: URL): Promise<{ index: boolean; locs: string[] } | undefined> {
    const file = join(this.options.workDir, `sitemap-${++this.#files}`);
    try {
      const res = await this.#download(url, file);
      this.#progress.bytes += res.bytes;
      if (res.status !== 200) return undefined;
      return await readSitemap(file, this.#limits.maxPages);
    } catch {
      return undefined; // a sitemap that does not read is only a missed hint
    } finally {
      await rm(file, { force: true });
    }
  }

  async #text(url: URL): Promise<string | undefined> {
    try {
      const res = await this.options.fetcher(url);
      this.#progress.bytes += res.body.length;
      return res.status === 200 ? res.body.toString('utf8') : undefined;
    } catch {
      return undefined;
    }
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
