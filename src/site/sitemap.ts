import { createReadStream } from 'node:fs';
import { Parser } from 'htmlparser2';
import { onSite } from './same-site.js';
import { resolveLink } from './urls.js';

/**
 * Pages a site lists for search engines: `Sitemap:` lines of `robots.txt` (else `/sitemap.xml`),
 * sitemap indexes followed to their sitemaps. Most CMSs publish one, and it names pages nothing
 * links to. Read from files, one element at a time.
 */

/** The `Sitemap:` URLs in a robots.txt. */
export function sitemapsInRobots(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => /^\s*sitemap\s*:\s*(\S+)/i.exec(line)?.[1])
    .filter((u): u is string => u !== undefined);
}

/** The `<loc>`s of a sitemap file, and whether it is an index of sitemaps. */
export async function readSitemap(path: string, maxLocs: number): Promise<{ index: boolean; locs: string[] }> {
  let index = false;
  let inLoc = false;
  let text = '';
  const locs: string[] = [];
  const parser = new Parser(
    {
      onopentag(name) {
        const local = name.replace(/^.*:/, '').toLowerCase();
        if (local === 'sitemapindex') index = true;
        if (local === 'loc') {
          inLoc = true;
          text = '';
        }
      },
      ontext(data) {
        if (inLoc) text += data;
      },
      onclosetag(name) {
        if (name.replace(/^.*:/, '').toLowerCase() !== 'loc') return;
        inLoc = false;
        if (locs.length < maxLocs && text.trim() !== '') locs.push(text.trim());
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  for await (const chunk of createReadStream(path, { encoding: 'utf8' })) parser.write(chunk as string);
  parser.end();
  return { index, locs };
}

/** How sitemap discovery reads: a small text file, and a sitemap (streamed from a file). */
export interface SitemapSource {
  text(url: URL): Promise<string | undefined>;
  sitemap(url: URL): Promise<{ index: boolean; locs: string[] } | undefined>;
}

const MAX_SITEMAPS = 50;

/**
 * Calls `page` with every same-site page the site's sitemaps list: those `robots.txt` names, else
 * `/sitemap.xml`; indexes are followed at most `maxHops` deep, 50 sitemaps at most. Sitemaps that
 * do not read are skipped (they are hints).
 */
export async function sitemapPages(
  start: URL,
  source: SitemapSource,
  maxHops: number,
  page: (url: URL) => void,
): Promise<void> {
  const robots = await source.text(new URL('/robots.txt', start));
  const named = robots === undefined ? [] : sitemapsInRobots(robots);
  const queue = (named.length > 0 ? named : ['/sitemap.xml'])
    .flatMap((u) => resolveLink(u, start) ?? [])
    .map((url) => ({ url, hops: 0 }));
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < MAX_SITEMAPS) {
    const { url, hops } = queue.shift()!;
    const here = onSite(url, start);
    if (here.origin !== start.origin || seen.has(here.href) || hops > maxHops || /\.gz$/i.test(here.pathname)) continue;
    seen.add(here.href);
    const found = await source.sitemap(here);
    for (const loc of found?.locs ?? []) {
      const next = resolveLink(loc, here);
      if (next === undefined) continue;
      if (found?.index === true) queue.push({ url: next, hops: hops + 1 });
      else page(next);
    }
  }
}
