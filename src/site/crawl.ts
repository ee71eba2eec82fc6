import type { Document } from 'domhandler';
import pLimit from 'p-limit';
import { cssReferences } from './css.js';
import type { Fetcher } from './fetcher.js';
import { documentBase, parseHtml, references } from './html.js';
import type { FetchError } from './manifest.js';
import { assetKey, isDynamic, pageKey, resolveLink } from './urls.js';

/** What to crawl and how hard. */
export interface CrawlOptions {
  readonly start: URL;
  /** More paths to start from (`/sale`), for pages nothing links to. */
  readonly extraPaths?: readonly string[] | undefined;
  /** Links followed from a start page before giving up (start pages are depth 0). */
  readonly maxDepth: number;
  /** Pages fetched at most; assets do not count. */
  readonly maxPages: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Same-origin path prefixes that stay on the live site (`/search`): never fetched. */
  readonly dynamicPrefixes: readonly string[];
  readonly fetcher: Fetcher;
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
}

/** One file fetched. Pages keep their parsed document for the rewrite. */
export interface Resource {
  readonly url: URL;
  readonly key: string;
  readonly kind: 'page' | 'asset';
  readonly contentType: string;
  readonly body: Buffer;
  readonly doc?: Document | undefined;
  /** What the page's relative links resolve against. */
  readonly base?: URL | undefined;
}

export interface CrawlResult {
  /** The site's origin, after any redirect of the start URL. */
  readonly origin: string;
  readonly start: URL;
  /** By URL (without fragment). */
  readonly resources: ReadonlyMap<string, Resource>;
  /** URLs that are another URL's file: same-origin redirects and URLs stored under the same key. */
  readonly aliases: ReadonlyMap<string, string>;
  /** By URL: what answered with an error status or not at all. */
  readonly failed: ReadonlyMap<string, FetchError>;
  readonly tookMs: number;
}

type Kind = Resource['kind'];

const MAX_START_REDIRECTS = 5;

/** Follows the start URL's redirects (http -> https, apex -> www), so the crawl knows the site's real origin. */
async function resolveStart(start: URL, fetcher: Fetcher): Promise<URL> {
  let url = start;
  for (let i = 0; i < MAX_START_REDIRECTS; i++) {
    let res;
    try {
      res = await fetcher(url);
    } catch {
      return url; // the crawl itself records the failure
    }
    if (res.status < 300 || res.status >= 400 || res.location === undefined) return url;
    const next = resolveLink(res.location, url);
    if (next === undefined) return url;
    url = next;
  }
  return url;
}

/**
 * Crawls same-origin pages from `start` (and `extraPaths`), breadth first as far as concurrency
 * allows, fetching every same-origin asset the pages and their CSS use (`src`, `srcset`, `href` of
 * stylesheets and icons, `url()`, `@import`). Pages under a dynamic prefix or with a query are not
 * fetched. Nothing is written; the snapshot rewrites and stores the result.
 */
export async function crawl(options: CrawlOptions): Promise<CrawlResult> {
  const started = Date.now();
  const start = await resolveStart(options.start, options.fetcher);
  const state = new CrawlState(options, start.origin);
  const starts = [start, ...(options.extraPaths ?? []).flatMap((p) => resolveLink(p, start) ?? [])];
  await Promise.all(starts.map((url) => state.visit(url, 'page', 0, undefined)));
  return { origin: start.origin, start, resources: state.resources, aliases: state.aliases, failed: state.failed, tookMs: Date.now() - started };
}

class CrawlState {
  readonly resources = new Map<string, Resource>();
  readonly aliases = new Map<string, string>();
  readonly failed = new Map<string, FetchError>();
  readonly #seen = new Set<string>();
  readonly #keys = new Map<string, string>();
  readonly #limit;
  readonly #progress = { pagesDone: 0, pagesQueued: 0, assetsDone: 0, assetsQueued: 0, bytes: 0, errors: 0 };

  constructor(
    private readonly options: CrawlOptions,
    private readonly origin: string,
  ) {
    this.#limit = pLimit(Math.max(1, options.concurrency));
  }

  /** Fetches `url` once (later calls resolve at once) and then everything it references. */
  async visit(url: URL, kind: Kind, depth: number, from: URL | undefined): Promise<void> {
    const href = url.href;
    if (url.origin !== this.origin || this.#seen.has(href)) return;
    // A start page is fetched even with a query: the operator asked for it.
    const dynamic = depth > 0 && isDynamic(url, this.options.dynamicPrefixes);
    if (kind === 'page' && (dynamic || depth > this.options.maxDepth || this.#progress.pagesQueued >= this.options.maxPages)) return;
    this.#seen.add(href);
    const predicted = kind === 'page' ? pageKey(url) : assetKey(url);
    const owner = this.#keys.get(predicted);
    if (owner !== undefined) return void this.aliases.set(href, owner);
    this.#keys.set(predicted, href);
    this.#count(kind, 'Queued');
    const fetched = await this.#limit(() => this.#fetch(url, kind, from));
    this.#count(kind, 'Done');
    if (fetched instanceof URL) return this.#redirected(href, predicted, fetched, kind, depth, from);
    if (fetched !== undefined) await this.#follow(fetched, depth);
  }

  /** A same-origin redirect makes the URL an alias of its target; one to another origin leaves the link absolute. */
  async #redirected(href: string, key: string, target: URL, kind: Kind, depth: number, from: URL | undefined): Promise<void> {
    // `/about` -> `/about/` share a key: the target must be free to take it.
    if (this.#keys.get(key) === href) this.#keys.delete(key);
    if (target.origin !== this.origin) return;
    this.aliases.set(href, target.href);
    await this.visit(target, kind, depth, from);
  }

  #count(kind: Kind, what: 'Queued' | 'Done'): void {
    this.#progress[`${kind}s${what}`]++;
    this.options.onProgress?.({ ...this.#progress });
  }

  async #fetch(url: URL, kind: Kind, from: URL | undefined): Promise<Resource | URL | undefined> {
    try {
      const res = await this.options.fetcher(url);
      this.#progress.bytes += res.body.length;
      if (res.status >= 300 && res.status < 400 && res.location !== undefined) return resolveLink(res.location, url) ?? this.#fail(url, from, { status: res.status });
      if (res.status < 200 || res.status >= 300) return this.#fail(url, from, { status: res.status });
      return this.#store(url, kind, res.contentType, res.body);
    } catch (error) {
      return this.#fail(url, from, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  #fail(url: URL, from: URL | undefined, what: { status?: number; error?: string }): undefined {
    this.#progress.errors++;
    this.failed.set(url.href, { url: url.href, ...what, ...(from === undefined ? {} : { from: from.href }) });
    return undefined;
  }

  #store(url: URL, kind: Kind, contentType: string, body: Buffer): Resource {
    const isHtml = contentType === 'text/html' || contentType === 'application/xhtml+xml';
    if (kind === 'page' && isHtml) {
      const doc = parseHtml(body.toString('utf8'));
      const resource: Resource = { url, key: pageKey(url), kind: 'page', contentType, body, doc, base: documentBase(doc, url) };
      this.resources.set(url.href, resource);
      return resource;
    }
    const resource: Resource = { url, key: assetKey(url), kind: 'asset', contentType, body };
    this.resources.set(url.href, resource);
    return resource;
  }

  /** Visits what a page or stylesheet references. */
  async #follow(fetched: Resource, depth: number): Promise<void> {
    const children: Promise<void>[] = [];
    if (fetched.doc !== undefined && fetched.base !== undefined) {
      for (const ref of references(fetched.doc)) {
        const url = resolveLink(ref.raw, fetched.base);
        if (url === undefined || ref.role === 'form') continue;
        children.push(this.visit(url, ref.role, ref.role === 'page' ? depth + 1 : depth, fetched.url));
      }
    } else if (fetched.contentType === 'text/css') {
      for (const raw of cssReferences(fetched.body.toString('utf8'))) {
        const url = resolveLink(raw, fetched.url);
        if (url !== undefined) children.push(this.visit(url, 'asset', depth, fetched.url));
      }
    }
    await Promise.all(children);
  }
}
