import { execFileSync, spawnSync } from 'node:child_process';
import { waitUntil } from './wait.js';

/**
 * A tmux server of one test file's own (its own socket, so sessions of other files never touch it)
 * and one session in it: send keys, read the screen, wait for what an operator would wait for.
 */
export interface Terminal {
  /** Runs `command` in a new session of this size. */
  start(command: string, columns: number, rows: number): void;
  /** `tmux send-keys`: key names (`Enter`, `Tab`) or, after `-l`, literal text. */
  send(...keys: string[]): void;
  /** The visible screen, as text. */
  screen(): string;
  /** Polls the screen until `predicate` holds; `onTick` sees each screen that does not (to answer prompts). */
  waitFor(
    predicate: (s: string) => boolean,
    what: string,
    timeoutMs?: number,
    onTick?: (s: string) => void,
  ): Promise<string>;
  /** Ends the session (the server stays up for the next one). */
  endSession(): void;
  /** Ends the server and everything in it. */
  close(): void;
}

export function terminal(name: string): Terminal {
  const socket = `hotspare-test-${name}-${process.pid}`;
  const session = `${name}-${process.pid}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  // Killing a server's last session stops it, and a session started while it stops fails: one stays.
  let kept = false;
  const screen = (): string => tmux('capture-pane', '-p', '-t', session);
  return {
    start: (command, columns, rows) => {
      if (!kept) tmux('new-session', '-d', '-s', `${session}-keep`, 'sleep 3600');
      kept = true;
      tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), command);
    },
    send: (...keys) => void tmux('send-keys', '-t', session, ...keys),
    screen,
    waitFor: (predicate, what, timeoutMs = 30_000, onTick) =>
      waitUntil(screen, predicate, { what, timeoutMs, intervalMs: 200, onTick }),
    endSession: () => void spawnSync('tmux', ['-L', socket, 'kill-session', '-t', session]),
    close: () => void spawnSync('tmux', ['-L', socket, 'kill-server']),
  };
}

/** The screen's text with every space and line break removed: wrapped lines join up again. */
export const flat = (s: string): string => s.replace(/\s+/g, '');
