import { decodeText, sniffCharset, spliceBytes, type Edit } from './charset.js';
import type { CrawlResult } from './crawl.js';
import { cssEdits } from './css.js';
import { decideForm, formEdits, methodOf, type FormDecision, type FormPolicy } from './forms.js';
import {
  attr,
  bannerEdit,
  baseRemoval,
  documentBase,
  formLabel,
  referenceEdits,
  rels,
  scanHtml,
  type HtmlScan,
  type RefRole,
  type Tag,
} from './html.js';
import { onSite } from './same-site.js';
import { assetKey, fragmentOf, pageKey, relativeLink, resolveLink } from './urls.js';

/**
 * Turns crawled files into a static copy: same-site links become relative links between the stored
 * files; links to pages that were not copied (dynamic prefixes, limits) stay absolute links to the
 * live origin; links to what failed to download stay relative to where the file would be, so
 * `site check` reports them. Forms follow the runbook's form policy. `<link>`s to the origin's APIs
 * (oEmbed, wp-json, EditURI, pingback, …) are removed: they fail while the origin is down. Other
 * origins are left alone. Only what changes is rewritten; every other byte stays as fetched.
 */

export interface RewriteContext {
  readonly crawl: CrawlResult;
  /** The final key of every fetched URL. */
  readonly keys: ReadonlyMap<string, string>;
  readonly banner?: string | undefined;
  readonly forms?: FormPolicy | undefined;
}

const MAX_ALIAS_HOPS = 10;

/** Where a URL ends up after aliases (redirects): fetched, failed, or neither. */
function follow(ctx: RewriteContext, href: string): { key?: string; failedHref?: string } {
  let at = href;
  for (let i = 0; i < MAX_ALIAS_HOPS; i++) {
    const key = ctx.keys.get(at);
    if (key !== undefined) return { key };
    if (ctx.crawl.failed.has(at)) return { failedHref: at };
    const next = ctx.crawl.aliases.get(at);
    if (next === undefined) return {};
    at = next;
  }
  return {};
}

/** The new value of one reference from the file `fromKey`, or undefined to leave it. */
export function linkFor(
  ctx: RewriteContext,
  raw: string,
  role: RefRole,
  base: URL,
  fromKey: string,
): string | undefined {
  const resolved = resolveLink(raw, base);
  if (resolved === undefined) return undefined;
  const url = onSite(resolved, new URL(ctx.crawl.origin));
  if (url.origin !== ctx.crawl.origin) return undefined;
  const fragment = fragmentOf(raw);
  if (role === 'form') return url.href;
  const { key, failedHref } = follow(ctx, url.href);
  if (key !== undefined) return relativeLink(fromKey, key, fragment);
  if (failedHref !== undefined) {
    const failed = new URL(failedHref);
    return relativeLink(fromKey, role === 'page' ? pageKey(failed) : assetKey(failed), fragment);
  }
  return `${url.href}${fragment}`;
}

/** `<link rel>`s that call the origin's APIs: removed from the copy when they point at the origin. */
const API_RELS = new Set(['edituri', 'pingback', 'wlwmanifest', 'https://api.w.org/', 'preconnect', 'dns-prefetch']);
const API_TYPES = /oembed|^application\/json$/i;

function isOriginApiLink(tag: Tag, base: URL, origin: URL): boolean {
  if (tag.name !== 'link') return false;
  const r = rels(tag);
  const api = r.some((x) => API_RELS.has(x)) || (r.includes('alternate') && API_TYPES.test(attr(tag, 'type') ?? ''));
  const href = attr(tag, 'href');
  const url = href === undefined ? undefined : resolveLink(href, base);
  return api && url !== undefined && onSite(url, origin).origin === origin.origin;
}

/** One form as the snapshot left it. */
export interface FormApplied {
  readonly page: string;
  readonly form: string;
  readonly method: string;
  readonly action: string;
  readonly decision: FormDecision;
}

export interface RewrittenPage {
  readonly body: Buffer;
  readonly charset: string;
  readonly forms: readonly FormApplied[];
  /** `<link>`s to the origin's APIs that were removed. */
  readonly removedLinks: number;
}

/** A page rewritten to be stored at `key` (see the module comment). */
export function rewritePage(
  ctx: RewriteContext,
  url: URL,
  bytes: Buffer,
  charset: string | undefined,
  key: string,
): RewrittenPage {
  const decoded = decodeText(bytes, sniffCharset(bytes, 'html', charset));
  const html = decoded.text;
  const scan = scanHtml(html);
  const base = documentBase(scan, url);
  const origin = new URL(ctx.crawl.origin);
  const edits: Edit[] = [
    ...referenceEdits(scan, (raw, role) => (role === 'form' ? undefined : linkFor(ctx, raw, role, base, key))),
    ...baseRemoval(scan),
  ];
  const removed = scan.tags.filter((t) => isOriginApiLink(t, base, origin));
  for (const t of removed) edits.push({ start: t.start, end: t.end, insert: '' });
  const forms = formDecisions(ctx, scan, base, url);
  for (const f of forms)
    edits.push(
      ...formEdits(html, f.span, f.applied.decision, {
        page: url.pathname,
        action: f.action,
        label: f.applied.form,
        method: f.applied.method,
      }),
    );
  if (ctx.banner !== undefined && ctx.banner !== '') edits.push(bannerEdit(html, scan, ctx.banner));
  return {
    body: spliceBytes(bytes, decoded, edits),
    charset: decoded.charset,
    forms: forms.map((f) => f.applied),
    removedLinks: removed.length,
  };
}

function formDecisions(ctx: RewriteContext, scan: HtmlScan, base: URL, url: URL) {
  return scan.forms.map((span) => {
    const raw = attr(span.tag, 'action') ?? '';
    const resolved = raw.trim() === '' ? url : (resolveLink(raw, base) ?? url);
    const action = onSite(resolved, new URL(ctx.crawl.origin));
    const facts = { page: url.pathname, action, label: formLabel(span), method: methodOf(span) };
    // A form to another site (a hosted service already) stays as it is.
    const elsewhere = action.origin !== ctx.crawl.origin;
    const decision: FormDecision = elsewhere
      ? { policy: 'service', notice: '', serviceUrl: action.href, source: 'another site' }
      : decideForm(ctx.forms, facts);
    return {
      span,
      action,
      applied: { page: url.pathname, form: facts.label, method: facts.method, action: action.href, decision },
    };
  });
}

/** A stylesheet with its references rewritten (`keyOf` gives the final key of a stylesheet it imports). */
export function rewriteStylesheet(
  ctx: RewriteContext,
  url: URL,
  bytes: Buffer,
  charset: string | undefined,
  key: string,
  referrerCharset?: string,
): Buffer {
  const decoded = decodeText(bytes, sniffCharset(bytes, 'css', charset, referrerCharset));
  return spliceBytes(
    bytes,
    decoded,
    cssEdits(decoded.text, (raw) => linkFor(ctx, raw, 'asset', url, key)),
  );
}
