import { HotspareError } from '../domain/errors.js';
import { timedOut } from '../domain/failures.js';
import type { StepContext } from './types.js';

export interface PollSpec<T> {
  /** What is being waited for, for messages ("the redirect target to be healthy"). */
  readonly what: string;
  readonly read: () => Promise<T>;
  /** `true` when done; a string describes the current state for progress. */
  readonly check: (value: T) => true | string;
  readonly timeoutMs: number;
}

/**
 * Poll `read` every `ctx.pollIntervalMs` until `check` says done, reporting progress with the
 * elapsed time. Retryable errors (throttling, network) are shown as progress and polled through;
 * others are thrown. Times out with a retryable ExternalError.
 */
export async function pollUntil<T>(ctx: StepContext, spec: PollSpec<T>): Promise<T> {
  const { clock } = ctx.ports;
  const started = clock.now();
  let said = '';
  let saidAt = -Infinity;
  const say = (message: string): void => {
    // Repeat a state only every 10 s, so a long wait is not a wall of identical lines.
    if (message === said && clock.now() - saidAt < 10_000) return;
    said = message;
    saidAt = clock.now();
    ctx.progress(`${message}, ${Math.round((clock.now() - started) / 1000)} s`);
  };
  for (;;) {
    try {
      const value = await spec.read();
      const verdict = spec.check(value);
      if (verdict === true) return value;
      say(verdict);
    } catch (error) {
      if (!(error instanceof HotspareError) || !error.retryable) throw error;
      say(`${error.message} — still waiting`);
    }
    if (clock.now() - started >= spec.timeoutMs) throw timedOut(spec.what, Math.round(spec.timeoutMs / 1000));
    await clock.sleep(ctx.pollIntervalMs, ctx.signal);
  }
}
