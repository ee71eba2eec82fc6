import render from 'dom-serializer';
import { Element, Text, type Document } from 'domhandler';
import { findAll, findOne, getText, prependChild, removeElement } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { parseSrcset, stringifySrcset } from 'srcset';
import { rewriteCss, type CssContext } from './css.js';

/**
 * HTML parsed with htmlparser2 (a real, forgiving parser) and serialized with dom-serializer.
 * One traversal finds every reference a page makes; the same traversal rewrites them, so the
 * snapshot and the checker can never disagree about what a link is.
 */

/** What a reference is for: a page to visit, an asset the page needs, or where a form submits. */
export type RefRole = 'page' | 'asset' | 'form';

/** Called for each reference; returns the new value, or undefined to leave it as it is. */
export type RefVisit = (raw: string, role: RefRole) => string | undefined;

export function parseHtml(html: string): Document {
  return parseDocument(html, { decodeEntities: true });
}

/** Entities are decoded on parse; only what must be escaped is escaped again, so text stays as written. */
export function serializeHtml(doc: Document): string {
  return render(doc, { encodeEntities: 'utf8' });
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
const ASSET_RELS = new Set(['stylesheet', 'icon', 'shortcut', 'apple-touch-icon', 'preload', 'prefetch', 'modulepreload', 'manifest', 'mask-icon']);

function linkRole(el: Element): RefRole | undefined {
  const rels = (el.attribs['rel'] ?? '').toLowerCase().split(/\s+/);
  return rels.some((r) => ASSET_RELS.has(r)) ? 'asset' : undefined;
}

function visitAttribute(el: Element, name: string, role: RefRole, visit: RefVisit): void {
  const raw = el.attribs[name];
  if (raw === undefined) return;
  const next = visit(raw, role);
  if (next !== undefined) el.attribs[name] = next;
}

function visitSrcset(el: Element, visit: RefVisit): void {
  const raw = el.attribs['srcset'];
  if (raw === undefined) return;
  const candidates = parseSrcset(raw);
  let changed = false;
  const next = candidates.map((c) => {
    const url = visit(c.url, 'asset');
    if (url === undefined || url === c.url) return c;
    changed = true;
    return { ...c, url };
  });
  if (changed) el.attribs['srcset'] = stringifySrcset(next);
}

function visitStyle(css: string, context: CssContext, visit: RefVisit): string {
  return rewriteCss(css, (raw) => visit(raw, 'asset'), context);
}

function visitElement(el: Element, visit: RefVisit): void {
  const name = el.name.toLowerCase();
  for (const attr of PAGE_ATTRIBUTES[name] ?? []) visitAttribute(el, attr, 'page', visit);
  for (const attr of ASSET_ATTRIBUTES[name] ?? []) visitAttribute(el, attr, 'asset', visit);
  if ((name === 'img' || name === 'source') && el.attribs['srcset'] !== undefined) visitSrcset(el, visit);
  if (name === 'input' && (el.attribs['type'] ?? '').toLowerCase() === 'image') visitAttribute(el, 'src', 'asset', visit);
  if (name === 'link') {
    const role = linkRole(el);
    if (role !== undefined) visitAttribute(el, 'href', role, visit);
  }
  if (name === 'form') visitAttribute(el, 'action', 'form', visit);
  const style = el.attribs['style'];
  if (style !== undefined && style.includes('url(')) el.attribs['style'] = visitStyle(style, 'declarationList', visit);
  if (name === 'style') {
    for (const child of el.children) {
      if (child instanceof Text) child.data = visitStyle(child.data, 'stylesheet', visit);
    }
  }
}

/** Visit (and where `visit` says so, rewrite) every reference in the document, in document order. */
export function visitReferences(doc: Document, visit: RefVisit): void {
  for (const el of findAll(() => true, doc.children)) visitElement(el, visit);
}

/** Every reference in the document with its role, in document order. */
export function references(doc: Document): { raw: string; role: RefRole }[] {
  const out: { raw: string; role: RefRole }[] = [];
  visitReferences(doc, (raw, role) => (out.push({ raw, role }), undefined));
  return out;
}

/** The URL relative links resolve against: `<base href>` if there is one, else the page's URL. */
export function documentBase(doc: Document, pageUrl: URL): URL {
  const base = findOne((el) => el.name.toLowerCase() === 'base' && el.attribs['href'] !== undefined, doc.children);
  const href = base?.attribs['href'];
  return href !== undefined && URL.canParse(href, pageUrl) ? new URL(href, pageUrl) : pageUrl;
}

/** Removes `<base>`: a snapshot's links are rewritten relative to where each file is stored. */
export function removeBase(doc: Document): void {
  for (const el of findAll((e) => e.name.toLowerCase() === 'base', doc.children)) removeElement(el);
}

/** A form as the checker reports it. */
export interface FormInfo {
  /** `#id`, `[name=...]` or `form N` (1-based, in document order). */
  readonly label: string;
  readonly method: string;
  /** The action as written ('' when absent: the form submits to its own page). */
  readonly action: string;
}

/** Every form in the document. */
export function forms(doc: Document): FormInfo[] {
  return findAll((el) => el.name.toLowerCase() === 'form', doc.children).map((el, i) => ({
    label: el.attribs['id'] ? `#${el.attribs['id']}` : el.attribs['name'] ? `[name=${el.attribs['name']}]` : `form ${i + 1}`,
    method: (el.attribs['method'] ?? 'get').toLowerCase(),
    action: el.attribs['action'] ?? '',
  }));
}

/** The page's `<title>` text, trimmed ('' when there is none). */
export function titleOf(doc: Document): string {
  const title = findOne((el) => el.name.toLowerCase() === 'title', doc.children);
  return title === null ? '' : getText(title).trim();
}

/** The id of the notice `injectBanner` adds. */
export const BANNER_ID = 'hotspare-banner';

const BANNER_STYLE =
  'position:relative;z-index:2147483647;margin:0;padding:.75em 1em;background:#fff3cd;color:#664d03;border-bottom:1px solid #ffe69c;font:600 1rem/1.4 system-ui,sans-serif;text-align:center';

/**
 * Adds a notice as the first thing in `<body>` (or the document when there is no body). The text is
 * a text node, so it is escaped where HTML needs it (`&`, `<`, `>`) and otherwise kept byte for
 * byte: probes look for it verbatim. A banner already there is replaced, so injecting is idempotent.
 */
export function injectBanner(doc: Document, text: string): void {
  const old = findOne((el) => el.attribs['id'] === BANNER_ID, doc.children);
  if (old !== null) removeElement(old);
  const banner = new Element('div', { id: BANNER_ID, role: 'status', style: BANNER_STYLE }, [new Text(text)]);
  const body = findOne((el) => el.name.toLowerCase() === 'body', doc.children);
  prependChild(body ?? doc, banner);
}
