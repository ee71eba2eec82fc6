/** A one-line progress display rewritten in place (`\r`), for a terminal. */
export interface ProgressLine {
  /** Shows `text` (at most every `intervalMs`; the last one is always kept for `done`). */
  update(text: string): void;
  /** Clears the line. */
  done(): void;
}

const NOOP: ProgressLine = { update: () => undefined, done: () => undefined };
const BAR_WIDTH = 20;

/** `[########------------]` for `done` of `total`. */
export function bar(done: number, total: number): string {
  const filled = total <= 0 ? 0 : Math.min(BAR_WIDTH, Math.round((done / total) * BAR_WIDTH));
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}

/** `12.3 kB`, `4.5 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/**
 * A progress line on `write` (stderr of a terminal); a no-op when `enabled` is false (not a TTY,
 * or --json), so pipes and logs get only the final report.
 */
export function createProgressLine(write: (chunk: string) => void, enabled: boolean, intervalMs = 100): ProgressLine {
  if (!enabled) return NOOP;
  let last = 0;
  let width = 0;
  return {
    update(text) {
      const now = Date.now();
      if (now - last < intervalMs) return;
      last = now;
      write(`\r${text.padEnd(width)}`);
      width = text.length;
    },
    done() {
      if (width > 0) write(`\r${' '.repeat(width)}\r`);
      width = 0;
    },
  };
}

/**
 * Progress for a log (stderr that is not a terminal, as under cron): the first text at once, then the
 * latest as a whole line at most every `intervalMs`, so a long crawl shows it is alive without
 * flooding the log.
 */
export function createProgressLog(
  writeLine: (line: string) => void,
  intervalMs = 5000,
  now: () => number = Date.now,
): ProgressLine {
  let last: number | undefined;
  return {
    update(text) {
      if (last !== undefined && now() - last < intervalMs) return;
      last = now();
      writeLine(text);
    },
    done: () => undefined,
  };
}
