import type { CrawlResult, Resource } from './crawl.js';
import { rewriteCss } from './css.js';
import { documentBase, injectBanner, parseHtml, removeBase, serializeHtml, visitReferences, type RefRole } from './html.js';
import { assetKey, fragmentOf, pageKey, relativeLink, resolveLink } from './urls.js';

/**
 * Turns crawled files into a static copy: same-origin links become relative links between the
 * stored files; links to pages that were not copied (dynamic prefixes, queries, limits) and form
 * actions become absolute links to the live origin; links to what failed to download stay relative
 * to where the file would be, so `site check` reports them. Other origins are left alone.
 */

const MAX_ALIAS_HOPS = 10;

/** The resource a URL ends up at after aliases (redirects, shared keys). */
function follow(crawl: CrawlResult, href: string): { resource?: Resource; failedHref?: string } {
  let at = href;
  for (let i = 0; i < MAX_ALIAS_HOPS; i++) {
    const resource = crawl.resources.get(at);
    if (resource !== undefined) return { resource };
    if (crawl.failed.has(at)) return { failedHref: at };
    const next = crawl.aliases.get(at);
    if (next === undefined) return {};
    at = next;
  }
  return {};
}

/** The new value of one reference from the file `fromKey`, or undefined to leave it. */
export function linkFor(crawl: CrawlResult, raw: string, role: RefRole, base: URL, fromKey: string): string | undefined {
  const url = resolveLink(raw, base);
  if (url === undefined || url.origin !== crawl.origin) return undefined;
  const fragment = fragmentOf(raw);
  if (role === 'form') return url.href;
  const { resource, failedHref } = follow(crawl, url.href);
  if (resource !== undefined) return relativeLink(fromKey, resource.key, fragment);
  if (failedHref !== undefined) {
    const failed = new URL(failedHref);
    return relativeLink(fromKey, role === 'page' ? pageKey(failed) : assetKey(failed), fragment);
  }
  return `${url.href}${fragment}`;
}

/** The bytes to store for a resource: pages and stylesheets rewritten, everything else as fetched. */
export function rewrittenBody(crawl: CrawlResult, resource: Resource, banner: string | undefined): Buffer {
  if (resource.doc !== undefined) {
    const base = resource.base ?? resource.url;
    visitReferences(resource.doc, (raw, role) => linkFor(crawl, raw, role, base, resource.key));
    removeBase(resource.doc);
    if (banner !== undefined && banner !== '') injectBanner(resource.doc, banner);
    return Buffer.from(serializeHtml(resource.doc), 'utf8');
  }
  if (resource.contentType === 'text/css') {
    const css = rewriteCss(resource.body.toString('utf8'), (raw) => linkFor(crawl, raw, 'asset', resource.url, resource.key));
    return Buffer.from(css, 'utf8');
  }
  return resource.body;
}

/**
 * The start page rendered again to be stored at `key` (the maintenance URL's own path, such as
 * `down.html`), with its links made relative to that key. Undefined when the start page is not a page.
 */
export function entryPage(crawl: CrawlResult, key: string, banner: string | undefined): { resource: Resource; body: Buffer } | undefined {
  const start = follow(crawl, crawl.start.href).resource;
  if (start?.doc === undefined) return undefined;
  const doc = parseHtml(start.body.toString('utf8'));
  const resource: Resource = { ...start, key, doc, base: documentBase(doc, start.url) };
  return { resource, body: rewrittenBody(crawl, resource, banner) };
}
