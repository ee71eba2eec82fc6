import type { Interruption } from '../../engine/in-flight.js';
import { exitCodeForInterruption, processGuard, type ReportShape } from '../process-guard.js';

/** The signals that end a session command: Ctrl-C, `kill`, and the terminal closing. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** How long the dashboard gets to give the terminal back before the report is printed anyway. */
const SCREEN_CLOSE_MS = 1000;

/** What a session command's front end tells the interruption handling. */
export interface InterruptionWatch {
  /** The dashboard is on screen: a signal takes it down (terminal restored) before the report. */
  setScreen(close: (() => Promise<void>) | undefined): void;
  /** The operator quit while a command ran (q, then y): journaled now, reported by `reportQuit`. */
  operatorQuit(how: string): void;
  /** Print the report of `operatorQuit` (once the terminal is given back); nothing when there was none. */
  reportQuit(): void;
  /** The command ended: stop listening. */
  dispose(): void;
}

function closeWithin(close: (() => Promise<void>) | undefined, ms: number): Promise<void> {
  if (close === undefined) return Promise.resolve();
  return Promise.race([
    close().catch(() => undefined),
    new Promise<void>((resolve) => setTimeout(resolve, ms).unref()),
  ]);
}

/**
 * Every way out of a running session command ends the same way: the interruption is journaled in
 * the open journal (the timeline shows it), the lock is released, and the commands that go on or
 * undo are printed in full; then the process exits with 128 + the signal's number. A second signal
 * while that happens exits at once. Without a process guard (in-process tests) nothing is watched.
 */
export function watchInterruptions(shape: ReportShape, proc: NodeJS.Process = process): InterruptionWatch {
  const guard = processGuard();
  guard?.describe(shape);
  let screen: (() => Promise<void>) | undefined;
  let stopping = false;
  let quitReport: (() => void) | undefined;
  const stop = (how: Interruption & { by: 'signal' }): void => {
    const code = exitCodeForInterruption(how);
    if (stopping) return void proc.exit(code);
    stopping = true;
    void closeWithin(screen, SCREEN_CLOSE_MS).then(() => {
      guard?.interrupt(how);
      proc.exit(code);
    });
  };
  const handlers = SIGNALS.map((signal) => [signal, () => stop({ by: 'signal', signal })] as const);
  // A write to a terminal that is gone fails with EIO (often before its SIGHUP arrives), to a pipe
  // whose reader left with EPIPE: the command is interrupted as by those signals, never crashed.
  const lostOutput = (error: NodeJS.ErrnoException): void => {
    // Every later write fails the same way: only the first one interrupts.
    if (!stopping) stop({ by: 'signal', signal: error.code === 'EPIPE' ? 'SIGPIPE' : 'SIGHUP' });
  };
  if (guard !== undefined) {
    for (const [signal, handler] of handlers) proc.on(signal, handler);
    for (const stream of [proc.stdout, proc.stderr]) stream.on('error', lostOutput);
  }
  return {
    setScreen: (close) => void (screen = close),
    operatorQuit: (how) => void (quitReport ??= guard?.journalInterruption({ by: 'operator', how })),
    reportQuit: () => quitReport?.(),
    dispose: () => {
      for (const [signal, handler] of handlers) proc.off(signal, handler);
      // Output may still fail while the process ends: quietly, from here on.
      for (const stream of [proc.stdout, proc.stderr]) {
        stream.off('error', lostOutput);
        stream.on('error', () => undefined);
      }
    },
  };
}
