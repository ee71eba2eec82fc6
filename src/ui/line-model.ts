import { textWidth, wrapText } from './text.js';

/** One terminal line a panel renders: a component decides the lines, `<Lines>` draws them. */
export interface Line {
  readonly text: string;
  readonly color?: string | undefined;
  readonly bold?: boolean | undefined;
  readonly dim?: boolean | undefined;
  readonly inverse?: boolean | undefined;
}

export function line(text: string, style: Omit<Line, 'text'> = {}): Line {
  return { text, ...style };
}

/** Leading spaces and a list marker (`· `, `✓ `, `! `…): continuation lines start under the text after them. */
const HANGING = /^\s*(?:[·✓✗…○☐!▸↷↺]+\s+)?/u;

/**
 * Each line wrapped to `width` columns in its own style; continuation lines are indented under the
 * text after the line's marker, so a wrapped API call still reads as one item.
 */
export function wrapLines(lines: readonly Line[], width: number): readonly Line[] {
  return lines.flatMap((l) => {
    const lead = HANGING.exec(l.text)?.[0] ?? '';
    return wrapText(l.text, width, ' '.repeat(textWidth(lead))).map((text) => ({ ...l, text }));
  });
}
