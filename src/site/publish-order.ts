import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeText, sniffCharset } from './charset.js';
import { documentBase, references, scanHtml } from './html.js';
import { assetKey, resolveLink } from './urls.js';

/**
 * The order pages go up so that a publish stopped at any point never shows a visitor a link to a
 * page that is not there yet: a page waits for the new pages it links to (changed pages are already
 * there, in their old version). Pages are read one at a time for their links. A cycle among new
 * pages cannot be ordered; it is broken at the page fewest others wait on. Returns each page's
 * round (0 first); pages of one round go up together.
 */

const FILE_BASE = 'http://copy.invalid/';

/** The key a link in the copy points at: a folder link at its index. */
function keyOfLink(url: URL): string {
  return assetKey(new URL(url.pathname, url));
}

async function linksOf(dir: string, key: string, pageKeys: ReadonlySet<string>): Promise<string[]> {
  const bytes = await readFile(join(dir, key));
  const scan = scanHtml(decodeText(bytes, sniffCharset(bytes, 'html')).text);
  const page = new URL(key.split('/').map(encodeURIComponent).join('/'), FILE_BASE);
  const base = documentBase(scan, page);
  const out = new Set<string>();
  for (const ref of references(scan)) {
    if (ref.role !== 'page') continue;
    const url = resolveLink(ref.raw, base);
    if (url === undefined || url.origin !== page.origin) continue;
    const target = keyOfLink(url);
    if (target !== key && pageKeys.has(target)) out.add(target);
  }
  return [...out];
}

export async function pageOrder(
  dir: string,
  uploads: readonly { key: string; phase: string; reason: string }[],
): Promise<Map<string, number>> {
  const pages = uploads.filter((u) => u.phase === 'page');
  const fresh = new Set(pages.filter((p) => p.reason === 'new').map((p) => p.key));
  const waitsOn = new Map<string, Set<string>>();
  for (const p of pages) waitsOn.set(p.key, new Set(await linksOf(dir, p.key, fresh)));
  const rounds = new Map<string, number>();
  let round = 0;
  while (rounds.size < pages.length) {
    let ready = pages.filter(
      (p) =>
        !rounds.has(p.key) &&
        [...(waitsOn.get(p.key) ?? [])].every((k) => rounds.has(k) && (rounds.get(k) ?? 0) < round),
    );
    if (ready.length === 0) {
      // A cycle: release the waiting page with the fewest unmet links.
      const left = pages.filter((p) => !rounds.has(p.key));
      const unmet = (key: string): number => [...(waitsOn.get(key) ?? [])].filter((k) => !rounds.has(k)).length;
      ready = [left.reduce((a, b) => (unmet(b.key) < unmet(a.key) ? b : a))];
    }
    for (const p of ready) rounds.set(p.key, round);
    round++;
  }
  return rounds;
}
