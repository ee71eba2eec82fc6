import { HotspareError } from './errors.js';
import type { Clock } from './index.js';

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
}

/** The policy every engine read follows: 3 attempts, 0.5 s then 1 s apart (the SDK has already retried each). */
export const READ_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 4000 };

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
 * Run a read again when it fails with a retryable HotspareError (throttling, network, a 5xx), up to
 * the policy's attempts, waiting on the clock between them. Anything else is thrown at once.
 */
export async function retryRead<T>(read: () => Promise<T>, options: RetryOptions): Promise<T> {
  const policy = options.policy ?? READ_POLICY;
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= policy.attempts || !(error instanceof HotspareError) || !error.retryable) throw error;
      const wait = retryDelay(policy, attempt);
      options.onRetry?.(`${error.message} Retrying in ${wait / 1000} s.`);
      await options.clock.sleep(wait, options.signal);
    }
  }
}
