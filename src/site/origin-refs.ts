import { cssReferences } from './css.js';
import { ASSET_RELS, rels, type HtmlScan, type Tag } from './html.js';
import { siteOrigins } from './same-site.js';
import { resolveLink } from './urls.js';

/**
 * Every way a page of the copy still depends on the live origin, grouped: links and forms that
 * send visitors there, assets and styles loaded from there (they fail while it is down), `<link>`s
 * (canonical, feeds, APIs), `<meta>` URLs, other attributes, and origin URLs inside inline scripts.
 */

export interface OriginGroup {
  /** `<link rel="canonical">`, `links to pages`, `inline scripts`, ... */
  readonly what: string;
  /** References found. */
  readonly count: number;
  /** Distinct URLs among them. */
  readonly urls: number;
  /** Whether a browser loads it with the page (so the page is broken while the origin is down). */
  readonly loads: boolean;
  readonly example: string;
}

interface Group {
  count: number;
  urls: Set<string>;
  loads: boolean;
  example: string;
}

const ASSET_TAGS = new Set([
  'img',
  'script',
  'source',
  'video',
  'audio',
  'track',
  'embed',
  'object',
  'iframe',
  'input',
]);

/** Collects origin references over many pages. */
export class OriginRefs {
  readonly #groups = new Map<string, Group>();
  readonly #origins: string[];
  readonly #inScript: RegExp;

  constructor(origin: string) {
    this.#origins = siteOrigins(new URL(origin));
    // Also as JSON writes them (`https:\/\/example.com`) and scheme-relative (`//example.com`).
    const hosts = [...new Set(this.#origins.map((o) => new URL(o).host))].map((h) =>
      h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    );
    this.#inScript = new RegExp(`(?:https?:)?(?:\\\\?/){2}(?:${hosts.join('|')})(?![\\w.-])`, 'gi');
  }

  #isOrigin(url: URL | undefined): url is URL {
    return url !== undefined && this.#origins.includes(url.origin);
  }

  #add(what: string, url: string, loads: boolean): void {
    const g = this.#groups.get(what) ?? { count: 0, urls: new Set<string>(), loads, example: url };
    g.count++;
    g.urls.add(url);
    this.#groups.set(what, g);
  }

  /** Notes every origin reference of one scanned page (scanned with `allTags`). */
  addPage(scan: HtmlScan, base: URL): void {
    for (const tag of scan.tags) {
      // The snapshot's own notes (`data-hotspare-action` of a closed form) are not dependencies.
      for (const a of tag.attrs)
        if (!a.name.startsWith('data-hotspare-'))
          for (const raw of valuesOf(a.name, a.value)) this.#attribute(tag, a.name, raw, base);
    }
    for (const style of scan.styles)
      for (const raw of cssReferences(style.text)) this.#attribute(undefined, 'style', raw, base);
    for (const script of scan.scripts) {
      for (const m of script.text.matchAll(this.#inScript)) this.#add('origin URLs in inline scripts', m[0], false);
    }
  }

  #attribute(tag: Tag | undefined, name: string, raw: string, base: URL): void {
    if (!/^\s*(https?:)?\/\//i.test(raw)) return; // a relative link stays on the copy
    const url = resolveLink(raw, base);
    if (!this.#isOrigin(url)) return;
    const [what, loads] = groupOf(tag, name);
    this.#add(what, url.href, loads);
  }

  /** The groups, those a browser loads first, then by count. */
  groups(): OriginGroup[] {
    return [...this.#groups]
      .map(([what, g]) => ({ what, count: g.count, urls: g.urls.size, loads: g.loads, example: g.example }))
      .sort((a, b) => Number(b.loads) - Number(a.loads) || b.count - a.count || a.what.localeCompare(b.what));
  }
}

/** The URLs in one attribute value. */
function valuesOf(name: string, value: string): string[] {
  if (name === 'srcset') return value.split(',').flatMap((c) => c.trim().split(/\s+/)[0] ?? []);
  if (name === 'style') return value.includes('url(') ? cssReferences(value, 'declarationList') : [];
  return [value];
}

function groupOf(tag: Tag | undefined, name: string): [string, boolean] {
  if (tag === undefined || name === 'style') return ['CSS url() to the origin', true];
  if (tag.name === 'link') {
    const r = rels(tag);
    return [`<link rel="${r.join(' ')}">`, r.some((x) => ASSET_RELS.has(x))];
  }
  if ((tag.name === 'a' || tag.name === 'area') && name === 'href') return ['links to pages left on the origin', false];
  if (tag.name === 'form') return ['forms that submit to the origin', false];
  if (ASSET_TAGS.has(tag.name) && (name === 'src' || name === 'srcset' || name === 'data' || name === 'poster'))
    return [`<${tag.name} ${name}> loaded from the origin`, true];
  if (tag.name === 'meta') return ['<meta> URLs (og:url, og:image, …)', false];
  return [`other attributes (${tag.name} ${name})`, false];
}
