import { EventEmitter } from 'node:events';
import { render as inkRender } from 'ink';
import type { ReactNode } from 'react';
import { waitUntil } from './wait.js';

// The ESC (\u001B) that starts every ANSI sequence, and OSC sequences ended by BEL.
const ANSI = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007]*\u0007|\u001B[@-Z\\-_]/g;

/** Removes ANSI escape sequences (colours, cursor moves). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Key sequences as a terminal sends them. */
export const KEYS = {
  enter: '\r',
  escape: '\u001B',
  up: '\u001B[A',
  down: '\u001B[B',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  backspace: '\u007F',
  tab: '\t',
  ctrlC: '\u0003',
} as const;

/** A stdout of a given size that records what is written. */
export class FakeStdout extends EventEmitter {
  readonly frames: string[] = [];
  readonly isTTY = true;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
}

/** A stdin the test writes keys into. */
export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  write = (data: string): void => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = (): string | null => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export interface Rendered {
  /** The latest frame, ANSI stripped ('' before the first). */
  lastFrame(): string;
  /** Every frame written so far, raw. */
  readonly frames: readonly string[];
  /** Sends raw input (see KEYS). */
  write(data: string): void;
  unmount(): void;
}

/**
 * Renders into fake streams of a given size (ink-testing-library's are fixed at 100 columns).
 * Debug mode: each render writes the whole frame, so the last write is the screen.
 */
export function renderInk(tree: ReactNode, size: { readonly columns?: number; readonly rows?: number } = {}): Rendered {
  const stdout = new FakeStdout(size.columns ?? 100, size.rows ?? 24);
  const stdin = new FakeStdin();
  const instance = inkRender(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStdout(100, 24) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    lastFrame: () => stripAnsi(stdout.frames[stdout.frames.length - 1] ?? ''),
    frames: stdout.frames,
    write: (data) => stdin.write(data),
    unmount: () => {
      instance.unmount();
      instance.cleanup();
    },
  };
}

/**
 * Waits until the (ANSI-stripped) frame satisfies `predicate`; rejects with the last frame after
 * `timeoutMs`. React 19 renders asynchronously, so read frames only through this.
 */
export async function waitForFrame(
  lastFrame: () => string | undefined,
  predicate: (frame: string) => boolean,
  timeoutMs = 3000,
): Promise<string> {
  return waitUntil(() => stripAnsi(lastFrame() ?? ''), predicate, { what: 'the frame', timeoutMs, intervalMs: 10 });
}

/** Waits until the frame contains `text`. */
export function waitForText(lastFrame: () => string | undefined, text: string, timeoutMs?: number): Promise<string> {
  return waitForFrame(lastFrame, (f) => f.includes(text), timeoutMs);
}

/**
 * Writes a key and waits for the frame to change, like Shopify's `sendInputAndWaitForChange`; with
 * `until`, waits for that text instead.
 */
export async function press(
  r: { write(data: string): void; lastFrame(): string | undefined },
  data: string,
  until?: string,
  timeoutMs?: number,
): Promise<string> {
  const before = stripAnsi(r.lastFrame() ?? '');
  r.write(data);
  return until === undefined
    ? waitForFrame(r.lastFrame, (f) => f !== before, timeoutMs)
    : waitForText(r.lastFrame, until, timeoutMs);
}
