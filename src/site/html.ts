import { Parser } from 'htmlparser2';
import { parseSrcset, stringifySrcset } from 'srcset';
import { asciiHtml, type Edit } from './charset.js';
import { cssEdits, cssReferences, rewriteCss, type CssContext } from './css.js';

/**
 * HTML read with htmlparser2's streaming parser (a real, forgiving parser that builds no tree, so
 * a page nested 5,000 deep costs nothing more), keeping where each tag and attribute is in the
 * text. One scan finds every reference a page makes; rewriting replaces only the attributes that
 * change, so the rest of the page keeps its bytes. The snapshot, the checker and the inspector use
 * the same scan, so they never disagree about what a link is.
 */

/** What a reference is for: a page to visit, an asset the page needs, or where a form submits. */
export type RefRole = 'page' | 'asset' | 'form';

/** One attribute in the text: `start`..`end` spans `name="value"` as written. */
export interface AttrSpan {
  readonly name: string;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** A start tag: `start`..`end` spans `<name ...>`. */
export interface Tag {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly attrs: readonly AttrSpan[];
}

/** A form with where it ends (after `</form>`, or its start tag's end when it is never closed). */
export interface FormSpan {
  readonly tag: Tag;
  readonly end: number;
  /** 1-based, in document order. */
  readonly index: number;
}

/** Text of a `<style>` or an inline `<script>`. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** For scripts: the `type` attribute ('' when absent). */
  readonly type: string;
}

/** What a scan found, positions in UTF-16 units of the scanned text. */
export interface HtmlScan {
  readonly tags: readonly Tag[];
  readonly forms: readonly FormSpan[];
  readonly styles: readonly TextSpan[];
  readonly scripts: readonly TextSpan[];
  /** Where the first `<body ...>` tag ends, if there is one. */
  readonly bodyEnd?: number | undefined;
  /** Where `<html>` or `<head>` ends, for a page without `<body>`. */
  readonly headEnd?: number | undefined;
}

const ASSET_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  img: ['src'],
  script: ['src'],
  source: ['src'],
  video: ['src', 'poster'],
  audio: ['src'],
  track: ['src'],
  embed: ['src'],
  object: ['data'],
};
const PAGE_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = { a: ['href'], area: ['href'], iframe: ['src'] };
/** `<link rel>` values that load something the page needs. Others (canonical, alternate) are left alone. */
export const ASSET_RELS = new Set([
  'stylesheet',
  'icon',
  'shortcut',
  'apple-touch-icon',
  'preload',
  'prefetch',
  'modulepreload',
  'manifest',
  'mask-icon',
]);
/** Feeds a page announces (`<link rel=alternate type=application/rss+xml>`): copied, so feed readers work on the copy. */
const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json']);
/** Tags whose attributes a scan keeps (others only when they carry a `style`). */
const KEPT = new Set([
  ...Object.keys(ASSET_ATTRIBUTES),
  ...Object.keys(PAGE_ATTRIBUTES),
  'input',
  'link',
  'form',
  'base',
  'meta',
  'body',
]);

/** Scans `html` once (see the module comment). `allTags` keeps every tag (the checker reads every attribute). */
export function scanHtml(html: string, options: { readonly allTags?: boolean } = {}): HtmlScan {
  const tags: Tag[] = [];
  const forms: FormSpan[] = [];
  const styles: TextSpan[] = [];
  const scripts: TextSpan[] = [];
  let attrs: AttrSpan[] = [];
  let bodyEnd: number | undefined;
  let headEnd: number | undefined;
  let openForm: { tag: Tag; index: number } | undefined;
  let inText: { name: string; type: string; start: number; end: number; text: string } | undefined;
  const parser: Parser = new Parser(
    {
      onattribute(name, value) {
        // The parser's end index is the character after the value (after its closing quote, if any).
        if (!attrs.some((a) => a.name === name))
          attrs.push({ name, value, start: parser.startIndex, end: parser.endIndex });
      },
      onopentag(name) {
        const tag: Tag = { name, start: parser.startIndex, end: parser.endIndex + 1, attrs };
        attrs = [];
        if (
          options.allTags === true ||
          KEPT.has(name) ||
          tag.attrs.some((a) => a.name === 'style' || (a.name === 'id' && a.value === BANNER_ID))
        )
          tags.push(tag);
        if (name === 'body' && bodyEnd === undefined) bodyEnd = tag.end;
        if ((name === 'head' || name === 'html') && bodyEnd === undefined) headEnd = tag.end;
        if (name === 'form' && openForm === undefined) openForm = { tag, index: forms.length + 1 };
        const type = tag.attrs.find((a) => a.name === 'type')?.value ?? '';
        if (name === 'style' || (name === 'script' && !tag.attrs.some((a) => a.name === 'src')))
          inText = { name, type, start: tag.end, end: tag.end, text: '' };
      },
      ontext(text) {
        if (inText === undefined) return;
        if (inText.text === '') inText.start = parser.startIndex;
        inText.text += text;
        inText.end = parser.endIndex + 1;
      },
      onclosetag(name, implied) {
        if (name === 'form' && openForm !== undefined) {
          forms.push({
            tag: openForm.tag,
            index: openForm.index,
            end: implied ? openForm.tag.end : parser.endIndex + 1,
          });
          openForm = undefined;
        }
        if (inText !== undefined && inText.name === name) {
          if (inText.text !== '')
            (name === 'style' ? styles : scripts).push({
              start: inText.start,
              end: inText.end,
              text: inText.text,
              type: inText.type,
            });
          inText = undefined;
        }
        if (name === 'head' && bodyEnd === undefined && !implied) headEnd = parser.endIndex + 1;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  if (openForm !== undefined) forms.push({ tag: openForm.tag, index: openForm.index, end: openForm.tag.end });
  return { tags, forms, styles, scripts, bodyEnd, headEnd };
}

/** An attribute's value, or undefined. */
export function attr(tag: Tag, name: string): string | undefined {
  return tag.attrs.find((a) => a.name === name)?.value;
}

/** The `rel` tokens of a tag, lower case. */
export function rels(tag: Tag): string[] {
  return (attr(tag, 'rel') ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((r) => r !== '');
}

function linkRole(tag: Tag): RefRole | undefined {
  const r = rels(tag);
  if (r.some((x) => ASSET_RELS.has(x))) return 'asset';
  if (r.includes('alternate') && FEED_TYPES.has((attr(tag, 'type') ?? '').toLowerCase())) return 'asset';
  return undefined;
}

/** One reference: where it is and what it is for. `srcset` candidates and CSS `url()`s come one by one. */
export interface Ref {
  readonly raw: string;
  readonly role: RefRole;
  readonly tag: Tag;
  /** The attribute it is in (`href`, `srcset`, `style`), or `style` / `script` for element text. */
  readonly where: string;
}

/** The (attribute, role) pairs of a tag that hold one URL each. */
function urlAttributes(tag: Tag): [string, RefRole][] {
  const out: [string, RefRole][] = [];
  for (const a of PAGE_ATTRIBUTES[tag.name] ?? []) out.push([a, 'page']);
  for (const a of ASSET_ATTRIBUTES[tag.name] ?? []) out.push([a, 'asset']);
  if (tag.name === 'input' && (attr(tag, 'type') ?? '').toLowerCase() === 'image') out.push(['src', 'asset']);
  if (tag.name === 'link') {
    const role = linkRole(tag);
    if (role !== undefined) out.push(['href', role]);
  }
  if (tag.name === 'form') out.push(['action', 'form']);
  return out;
}

/** Every reference of a scanned page with its role, in document order. */
export function references(scan: HtmlScan): Ref[] {
  const out: Ref[] = [];
  for (const tag of scan.tags) {
    for (const [name, role] of urlAttributes(tag)) {
      const raw = attr(tag, name);
      if (raw !== undefined) out.push({ raw, role, tag, where: name });
    }
    if ((tag.name === 'img' || tag.name === 'source') && attr(tag, 'srcset') !== undefined) {
      for (const c of safeSrcset(attr(tag, 'srcset') ?? ''))
        out.push({ raw: c.url, role: 'asset', tag, where: 'srcset' });
    }
    const style = attr(tag, 'style');
    if (style?.includes('url('))
      for (const raw of cssReferences(style, 'declarationList')) out.push({ raw, role: 'asset', tag, where: 'style' });
  }
  for (const style of scan.styles) {
    const tag: Tag = { name: 'style', start: style.start, end: style.start, attrs: [] };
    for (const raw of cssReferences(style.text, 'stylesheet')) out.push({ raw, role: 'asset', tag, where: 'style' });
  }
  // Array.prototype.sort is stable: references within one tag keep their order.
  return out.sort((a, b) => a.tag.start - b.tag.start);
}

function safeSrcset(value: string): { url: string; width?: number; height?: number; density?: number }[] {
  try {
    return parseSrcset(value);
  } catch {
    // A malformed srcset: every comma-separated first word is still a URL a browser may load.
    return value
      .split(',')
      .flatMap((c) => c.trim().split(/\s+/)[0] ?? [])
      .filter((u) => u !== '')
      .map((url) => ({ url }));
  }
}

/** The URL relative links resolve against: `<base href>` if there is one, else the page's URL. */
export function documentBase(scan: HtmlScan, pageUrl: URL): URL {
  const base = scan.tags.find((t) => t.name === 'base' && attr(t, 'href') !== undefined);
  const href = base === undefined ? undefined : attr(base, 'href');
  return href !== undefined && URL.canParse(href, pageUrl) ? new URL(href, pageUrl) : pageUrl;
}

/** Called for each reference; returns the new value, or undefined to leave it as it is. */
export type RefVisit = (raw: string, role: RefRole, tag: Tag) => string | undefined;

/** `name="value"` with the value escaped for a double-quoted attribute (ASCII only). */
export function attributeText(name: string, value: string): string {
  return `${name}="${asciiHtml(value.replace(/&/g, '&amp;').replace(/"/g, '&quot;'))}"`;
}

/** Edits that rewrite every reference `visit` changes (attributes, srcset, inline and element CSS). */
export function referenceEdits(scan: HtmlScan, visit: RefVisit): Edit[] {
  const edits: Edit[] = [];
  const setAttr = (tag: Tag, name: string, value: string): void => {
    const span = tag.attrs.find((a) => a.name === name);
    if (span !== undefined && span.value !== value)
      edits.push({ start: span.start, end: span.end, insert: attributeText(name, value) });
  };
  for (const tag of scan.tags) {
    for (const [name, role] of urlAttributes(tag)) {
      const raw = attr(tag, name);
      const next = raw === undefined ? undefined : visit(raw, role, tag);
      if (next !== undefined) setAttr(tag, name, next);
    }
    const srcset = attr(tag, 'srcset');
    if ((tag.name === 'img' || tag.name === 'source') && srcset !== undefined) {
      const candidates = safeSrcset(srcset);
      const next = candidates.map((c) => ({ ...c, url: visit(c.url, 'asset', tag) ?? c.url }));
      if (next.some((c, i) => c.url !== candidates[i]?.url)) setAttr(tag, 'srcset', stringifySrcset(next));
    }
    const style = attr(tag, 'style');
    if (style?.includes('url('))
      setAttr(
        tag,
        'style',
        visitStyle(style, 'declarationList', (raw) => visit(raw, 'asset', tag)),
      );
  }
  for (const style of scan.styles) {
    const tag: Tag = { name: 'style', start: style.start, end: style.start, attrs: [] };
    edits.push(...cssEdits(style.text, (raw) => visit(raw, 'asset', tag), 'stylesheet', style.start));
  }
  return edits;
}

function visitStyle(css: string, context: CssContext, visit: (raw: string) => string | undefined): string {
  return rewriteCss(css, visit, context);
}

/** Edits that remove `<base>`: a snapshot's links are relative to where each file is stored. */
export function baseRemoval(scan: HtmlScan): Edit[] {
  return scan.tags.filter((t) => t.name === 'base').map((t) => ({ start: t.start, end: t.end, insert: '' }));
}

/** A form as the checker reports it. */
export interface FormInfo {
  /** `#id`, `[name=...]` or `form N` (1-based, in document order). */
  readonly label: string;
  readonly method: string;
  /** The action as written ('' when absent: the form submits to its own page). */
  readonly action: string;
  /** What the snapshot made of it (`data-hotspare-form`), when it did. */
  readonly policy?: string | undefined;
}

/** The label of a form: `#id`, `[name=...]` or `form N`. */
export function formLabel(form: FormSpan): string {
  const id = attr(form.tag, 'id');
  const name = attr(form.tag, 'name');
  return id ? `#${id}` : name ? `[name=${name}]` : `form ${form.index}`;
}

/** Marks what the snapshot did with a form or put in its place. */
export const FORM_POLICY_ATTR = 'data-hotspare-form';

/** Every form of a scanned page, and the notices the snapshot put in place of forms. */
export function forms(scan: HtmlScan): FormInfo[] {
  const out: FormInfo[] = scan.forms.map((f) => ({
    label: formLabel(f),
    method: (attr(f.tag, 'method') ?? 'get').toLowerCase(),
    action: attr(f.tag, 'action') ?? '',
    policy: attr(f.tag, FORM_POLICY_ATTR),
  }));
  for (const tag of scan.tags) {
    if (tag.name === 'form' || attr(tag, FORM_POLICY_ATTR) !== 'notice') continue;
    out.push({
      label: attr(tag, 'data-hotspare-label') ?? 'form',
      method: attr(tag, 'data-hotspare-method') ?? 'post',
      action: attr(tag, 'data-hotspare-action') ?? '',
      policy: 'notice',
    });
  }
  return out;
}

/** The id of the notice the snapshot puts at the top of every page. */
export const BANNER_ID = 'hotspare-banner';

const BANNER_STYLE =
  'position:relative;z-index:2147483647;margin:0;padding:.75em 1em;background:#fff3cd;color:#664d03;border-bottom:1px solid #ffe69c;font:600 1rem/1.4 system-ui,sans-serif;text-align:center';

/** `text` as HTML text: `&`, `<` and `>` escaped, non-ASCII as character references. */
export function htmlText(text: string): string {
  return asciiHtml(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/**
 * The edit that puts a notice first in `<body>` (after `<head>` when there is no body tag), replacing
 * one already there, so that injecting is idempotent. Probes look for the text verbatim.
 */
export function bannerEdit(html: string, scan: HtmlScan, text: string): Edit {
  const banner = `<div id="${BANNER_ID}" role="status" style="${BANNER_STYLE}">${htmlText(text)}</div>`;
  const old = scan.tags.find((t) => t.name === 'div' && attr(t, 'id') === BANNER_ID);
  const close = old === undefined ? -1 : html.indexOf('</div>', old.end);
  if (old !== undefined && close !== -1) return { start: old.start, end: close + '</div>'.length, insert: banner };
  const at = scan.bodyEnd ?? scan.headEnd ?? 0;
  return { start: at, end: at, insert: banner };
}

/** Whether a page is a hotspare copy (it carries the banner). */
export function isHotspareCopy(scan: HtmlScan): boolean {
  return scan.tags.some((t) => t.name === 'div' && attr(t, 'id') === BANNER_ID);
}
