/**
 * The one poll-until of the test suite: reads `read` until `accept` holds, then returns the value read;
 * after `timeoutMs` it fails with what it waited for and the last value it saw. Tests wait on a
 * condition through this, never on a bare sleep (a sleep stays only where a test checks that nothing
 * happens during a while).
 */
export interface WaitOptions<T> {
  /** What is awaited, for the timeout message. */
  readonly what?: string;
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** How the last value is shown in the timeout message (JSON by default). */
  readonly show?: (value: T) => string;
  /** Called with each value that was not yet accepted. */
  readonly onTick?: (value: T) => void;
}

export async function waitUntil<T>(
  read: () => T | Promise<T>,
  accept: (value: T) => boolean,
  options: WaitOptions<T> = {},
): Promise<T> {
  const { what = 'the condition', timeoutMs = 10_000, intervalMs = 20, show = showValue, onTick } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${show(value)}`);
    onTick?.(value);
    await pause(intervalMs);
  }
}

/** Waits until `predicate()` is true. */
export async function waitUntilTrue(
  predicate: () => boolean | Promise<boolean>,
  what?: string,
  timeoutMs?: number,
): Promise<void> {
  await waitUntil(predicate, (ok) => ok, { what, timeoutMs, intervalMs: 5 });
}

/** A bare pause: only for checking that nothing happens during a while. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function showValue(value: unknown): string {
  if (typeof value === 'string') return `\n${value}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
