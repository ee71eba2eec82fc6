/** How deep a runbook may nest. A runbook needs about five levels; 64 leaves room for any real one. */
export const MAX_NESTING = 64;

/** Characters a line's block structure opens with: indentation and the `-`, `?`, `:` indicators. */
const BLOCK_PREFIX = /^(?:[ \t]|[-?:](?=[ \t]|$))*/;

/**
 * The offset in `text` where it nests deeper than `max` levels, or undefined. A cheap upper bound
 * run before the YAML parser, which recurses once per level: thousands of levels exhaust its stack,
 * and V8 may then abort the whole process (`RegExpCompiler Allocation failed`) instead of throwing.
 * Flow collections (`[`, `{`) are counted outside quotes and comments; a block level needs at
 * least one column of its own, so a line whose indentation and indicators take more than `2 * max`
 * columns nests too deep.
 */
export function tooDeepAt(text: string, max = MAX_NESTING): number | undefined {
  let depth = 0;
  let quote: '"' | "'" | undefined;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (lineStart) {
      lineStart = false;
      const prefix = quote === undefined ? (BLOCK_PREFIX.exec(text.slice(i, i + 2 * max + 2))?.[0].length ?? 0) : 0;
      // Only structure counts: a line of nothing but blanks (or a comment after them) opens no level.
      if (prefix > 2 * max && !/^[ \t]*(#|\r?\n|$)/.test(text.slice(i, i + prefix + 2))) return i;
    }
    if (c === '\n') lineStart = true;
    if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = undefined;
    } else if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end - 1;
    } else if (c === '[' || c === '{') {
      if (++depth > max) return i;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return undefined;
}
