import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

/**
 * Text measured in terminal columns, not UTF-16 units: a wide character (CJK, most emoji) takes two
 * columns and a combining mark none, so `Name` tags like `ウェブ-1` line up with `web-1`. Pure.
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Columns `text` takes on a terminal. */
export function textWidth(text: string): number {
  return stringWidth(text);
}

/** `text` cut to at most `width` columns, ending with `…` when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return textWidth(text) <= width ? text : cliTruncate(text, width);
}

/** `text` padded or cut to exactly `width` columns. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  const cut = truncate(text, width);
  return cut + ' '.repeat(Math.max(0, width - textWidth(cut)));
}

/** Where a line may break: after a space, or after a comma (JSON has no spaces). */
function breaksAfter(segment: string): boolean {
  return segment === ' ' || segment === ',';
}

/** Where a word too long for a line (an ARN, a URL) may break: after a colon or a slash. */
function softBreaksAfter(segment: string): boolean {
  return segment === ':' || segment === '/';
}

/**
 * How many of `segments` fit in `room` columns, preferring to stop after a break character, then
 * after a colon or slash, and only then in the middle of a word.
 */
function cutPoint(segments: readonly string[], room: number): number {
  let used = 0;
  let lastBreak = 0;
  let lastSoft = 0;
  for (let i = 0; i < segments.length; i++) {
    used += textWidth(segments[i] ?? '');
    if (used > room) return lastBreak > 0 ? lastBreak : lastSoft > 0 ? lastSoft : Math.max(1, i);
    if (breaksAfter(segments[i] ?? '')) lastBreak = i + 1;
    if (softBreaksAfter(segments[i] ?? '')) lastSoft = i + 1;
  }
  return segments.length;
}

/**
 * Wraps `text` into lines of at most `width` columns, never dropping a character. Continuation lines
 * start with `indent` (ignored when it would leave less than half the width).
 */
export function wrapText(text: string, width: number, indent = ''): readonly string[] {
  if (width <= 0 || textWidth(text) <= width) return [text];
  const hang = textWidth(indent) * 2 <= width ? indent : '';
  let rest = Array.from(graphemes.segment(text), (s) => s.segment);
  const lines: string[] = [];
  let prefix = '';
  while (rest.length > 0) {
    const cut = cutPoint(rest, width - textWidth(prefix));
    lines.push(prefix + rest.slice(0, cut).join('').trimEnd());
    rest = rest.slice(cut);
    while (rest[0] === ' ') rest = rest.slice(1);
    prefix = hang;
  }
  return lines;
}

/** `text` cut to its last `width` columns, starting with `…` when cut. */
export function truncateStart(text: string, width: number): string {
  if (width <= 0) return '';
  return textWidth(text) <= width ? text : cliTruncate(text, width, { position: 'start' });
}
