import { toErrorRecord } from '../domain/errors.js';
import type { Clock } from '../ports/index.js';
import type { EventSink } from './events.js';

/** One of the monitor's polls, repeated: never two at once, the next `intervalMs` after one ends. */
export interface PollLoop<A> {
  start(): void;
  stop(): void;
  /** Run a poll now, or join the one in flight. */
  now(): Promise<void>;
  /**
   * Someone else just read what this loop polls: poll now with `given` (instead of reading it
   * again) and count the interval from here. Ignored while a poll is in flight (it emits anyway).
   */
  deliver(given: A): void;
}

export function pollLoop<A>(
  intervalMs: number,
  poll: (given?: A) => Promise<void>,
  isStopped: () => boolean,
): PollLoop<A> {
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  const schedule = (): void => {
    if (isStopped()) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run(), intervalMs);
    timer.unref();
  };
  const run = (given?: A): Promise<void> => {
    if (inFlight !== undefined) return inFlight;
    if (isStopped()) return Promise.resolve();
    clearTimeout(timer);
    inFlight = poll(given)
      .catch(() => undefined)
      .finally(() => {
        inFlight = undefined;
        schedule();
      });
    return inFlight;
  };
  return {
    start: () => void run(),
    stop: () => clearTimeout(timer),
    now: () => run(),
    deliver: (given) => void run(given),
  };
}

export type Warn = ((source: string, error: unknown) => void) & { ok(source: string): void };

/** `warn` log events for failed reads, each message once until the source works again (then an `info`). */
export function dedupedWarner(emit: EventSink, clock: Pick<Clock, 'now'>, isStopped: () => boolean): Warn {
  const last = new Map<string, string>();
  const warn = (source: string, error: unknown): void => {
    const message = `Dashboard: ${source} failed: ${toErrorRecord(error).message}`;
    if (isStopped() || last.get(source) === message) return;
    last.set(source, message);
    emit({ type: 'log', level: 'warn', message, at: clock.now() });
  };
  const ok = (source: string): void => {
    if (!last.has(source) || isStopped()) return;
    last.delete(source);
    emit({ type: 'log', level: 'info', message: `Dashboard: ${source} works again`, at: clock.now() });
  };
  return Object.assign(warn, { ok });
}
