import type { Write } from './printer.js';

/** The process's streams as the commands use them (arrays in tests). */
export interface Io {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean | undefined };
  readonly out: Write;
  readonly err: Write;
}
