import parse from 'css-tree/parser';
import walk from 'css-tree/walker';

/**
 * References in CSS, found with css-tree (a real CSS parser), rewritten in place: only the
 * `url(...)` and `@import "..."` tokens change, so comments, formatting and anything css-tree could
 * not parse stay as they were.
 */

/** Called for each reference; returns the new link, or undefined to leave it. */
export type CssVisit = (raw: string) => string | undefined;

/** Where the CSS text comes from: a stylesheet or `<style>`, or a `style="..."` attribute. */
export type CssContext = 'stylesheet' | 'declarationList';

interface Span {
  readonly start: number;
  readonly end: number;
  readonly raw: string;
  readonly kind: 'url' | 'string';
}

/**
 * The spans of recent large stylesheets: a CMS repeats the same inline `<style>` (its global styles,
 * tens of kB) on every page, and each page is read twice (for its links, then to rewrite them).
 */
const recent = new Map<string, readonly Span[]>();
const CACHED_FROM = 2048;
const CACHE_SIZE = 16;

function spansOf(css: string, context: CssContext): readonly Span[] {
  if (css.length < CACHED_FROM) return parseSpans(css, context);
  const key = `${context}\n${css}`;
  const known = recent.get(key);
  if (known !== undefined) {
    recent.delete(key);
    recent.set(key, known);
    return known;
  }
  const spans = parseSpans(css, context);
  recent.set(key, spans);
  if (recent.size > CACHE_SIZE) recent.delete(recent.keys().next().value ?? '');
  return spans;
}

function parseSpans(css: string, context: CssContext): Span[] {
  const spans: Span[] = [];
  // Broken CSS is common on real sites: keep what parses and leave the rest untouched.
  const ast = parse(css, { context, positions: true, parseValue: true, onParseError: () => undefined });
  walk(ast, (node) => {
    if (node.type === 'Url' && node.loc !== undefined && node.loc !== null) {
      spans.push({ start: node.loc.start.offset, end: node.loc.end.offset, raw: node.value, kind: 'url' });
    }
    if (node.type === 'Atrule' && node.name.toLowerCase() === 'import' && node.prelude?.type === 'AtrulePrelude') {
      const first = node.prelude.children.first;
      if (first?.type === 'String' && first.loc !== undefined && first.loc !== null) {
        spans.push({ start: first.loc.start.offset, end: first.loc.end.offset, raw: first.value, kind: 'string' });
      }
    }
  });
  return spans.sort((a, b) => a.start - b.start);
}

/** A `url()` or string token for a link, quoted so any character is safe. */
function token(link: string, kind: Span['kind']): string {
  const quoted = JSON.stringify(link);
  return kind === 'url' ? `url(${quoted})` : quoted;
}

/** Every `url()` and `@import` reference in `css`, in order. */
export function cssReferences(css: string, context: CssContext = 'stylesheet'): string[] {
  return spansOf(css, context).map((s) => s.raw);
}

/** One edit per reference `visit` changes, as offsets into `css` plus `offset`. */
export function cssEdits(
  css: string,
  visit: CssVisit,
  context: CssContext = 'stylesheet',
  offset = 0,
): { start: number; end: number; insert: string }[] {
  const out: { start: number; end: number; insert: string }[] = [];
  for (const span of spansOf(css, context)) {
    const next = visit(span.raw);
    if (next === undefined || next === span.raw) continue;
    out.push({ start: offset + span.start, end: offset + span.end, insert: token(next, span.kind) });
  }
  return out;
}

/** `css` with each reference replaced by what `visit` returns for it (unchanged where it returns undefined). */
export function rewriteCss(css: string, visit: CssVisit, context: CssContext = 'stylesheet'): string {
  let out = '';
  let at = 0;
  for (const span of spansOf(css, context)) {
    const next = visit(span.raw);
    if (next === undefined || next === span.raw) continue;
    out += css.slice(at, span.start) + token(next, span.kind);
    at = span.end;
  }
  return out + css.slice(at);
}
