/** How far a crawl may go. Every bound is reported when it cuts something; none stops the copy. */
export interface CrawlLimits {
  /** Links followed from a start page (start pages and sitemap pages are depth 0). */
  readonly maxDepth: number;
  /** Pages fetched at most. */
  readonly maxPages: number;
  /** Assets (images, CSS, scripts, fonts, feeds) fetched at most. */
  readonly maxAssets: number;
  /** Bytes downloaded at most, all files together. */
  readonly maxBytes: number;
  /** Redirects and CSS `@import`/`url()` steps followed from one page's reference. */
  readonly maxHops: number;
  /** Seconds the crawl may take; what is not fetched by then is left out. */
  readonly maxSeconds: number;
}

/** Defaults: a whole CMS site of a few thousand pages, gentle on a struggling origin, never unbounded. */
export const CRAWL_DEFAULTS: CrawlLimits = {
  maxDepth: 8,
  maxPages: 2000,
  maxAssets: 10_000,
  maxBytes: 1024 * 1024 * 1024,
  maxHops: 5,
  maxSeconds: 600,
};

/** What a limit left out: how many URLs, and a few of them. */
export interface CutCount {
  readonly count: number;
  readonly examples: string[];
}

/** Why a URL was not fetched. */
export type CutReason = 'pages' | 'assets' | 'depth' | 'hops' | 'bytes' | 'time';

export const CUT_TEXT: Readonly<Record<CutReason, string>> = {
  pages: 'maxPages reached',
  assets: 'maxAssets reached',
  depth: 'deeper than maxDepth',
  hops: 'more than maxHops redirects or CSS imports',
  bytes: 'maxMegabytes reached',
  time: 'maxSeconds reached',
};
