/** One terminal line a panel renders: a component decides the lines, `<Lines>` draws them truncated. */
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
