import { createReadStream } from 'node:fs';
import { Parser } from 'htmlparser2';

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
