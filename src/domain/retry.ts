import { HotspareError } from './errors.js';
import type { Clock } from '../ports/index.js';

/**
 * hotspare's one retry policy for reads, above the SDK's own retry (which the AWS adapters keep for
 * reads and turn off for mutating calls). Mutations are never retried here: a step that failed is
 * retried by the operator, and every step reads before it acts.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Wait before the second attempt, in ms; doubled for each further one. */
  readonly baseDelayMs: number;
  /** No wait is longer than this, in ms. */
  readonly maxDelayMs: number;
  /**
   * Throttling is not a failure but a request to slow down: a throttled read is tried again, each
   * wait twice the one before up to `throttleMaxDelayMs`, until it has been throttled this long
   * (ms, from its first throttled answer); only then is the throttling error thrown. Throttled
   * tries do not count against `attempts`.
   */
  readonly throttlePatienceMs?: number | undefined;
  readonly throttleMaxDelayMs?: number | undefined;
}

/**
 * The policy every engine read follows: 3 attempts, 0.5 s then 1 s apart (the SDK has already
 * retried each); a throttled read is tried again for 5 minutes, waits growing to 32 s.
 */
export const READ_POLICY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 4000,
  throttlePatienceMs: 300_000,
  throttleMaxDelayMs: 32_000,
};

/** Told about each retry, so throttling shows as progress rather than silence. */
export type OnRetry = (message: string) => void;

export interface RetryOptions {
  readonly clock: Clock;
  /** Aborts the wait between attempts (quit, Ctrl-C): the abort reason is thrown. */
  readonly signal?: AbortSignal | undefined;
  readonly policy?: RetryPolicy | undefined;
  readonly onRetry?: OnRetry | undefined;
}

/** The wait before attempt `attempt + 1`, in ms. */
export function retryDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

/**
 * Run a read again when it fails with a retryable HotspareError (network, a 5xx) up to the policy's
 * attempts, and when AWS throttles it for as long as the policy's patience (see `RetryPolicy`),
 * waiting on the clock between tries and saying so each time. Anything else is thrown at once.
 */
export async function retryRead<T>(read: () => Promise<T>, options: RetryOptions): Promise<T> {
  const policy = options.policy ?? READ_POLICY;
  const { clock } = options;
  let failures = 0;
  let throttles = 0;
  let throttledSince: number | undefined;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof HotspareError) || !error.retryable) throw error;
      let wait: number;
      if (error.code === 'Throttling' && policy.throttlePatienceMs !== undefined) {
        throttledSince ??= clock.now();
        const throttledFor = clock.now() - throttledSince;
        if (throttledFor >= policy.throttlePatienceMs) throw error;
        wait = Math.min(policy.throttleMaxDelayMs ?? policy.maxDelayMs, policy.baseDelayMs * 2 ** throttles++);
        options.onRetry?.(
          `${error.message} Slowing down: next try in ${wait / 1000} s (throttled for ${Math.round(throttledFor / 1000)} s so far).`,
        );
      } else {
        if (++failures >= policy.attempts) throw error;
        wait = retryDelay(policy, failures);
        options.onRetry?.(`${error.message} Retrying in ${wait / 1000} s.`);
      }
      await clock.sleep(wait, options.signal);
    }
  }
}
