import { HotspareError } from '../domain/errors.js';
import type { Clock } from '../ports/index.js';

/** The services whose reads hotspare polls. */
export type ReadService = 'elbv2' | 'ec2' | 'route53' | 'autoscaling';

export interface Rate {
  /** Requests per second, sustained. */
  readonly perSecond: number;
  /** Requests that may go at once after a quiet spell. */
  readonly burst: number;
}

/**
 * hotspare's share of each service's documented request rate (per account and Region, shared with
 * every other tool and person using the account):
 * - ELBv2 Describe*: a bucket of 40 that refills at 10 per second: hotspare polls at most 3 per second;
 * - EC2 non-mutating actions (DescribeInstances): a bucket of 100, refilled at 20 per second: at most 5;
 * - Route 53: 5 requests per second per account, all actions together: GetChange at most 1 per second;
 * - Auto Scaling: its Describe rate is not published; hotspare reads groups a few times a run: 1 per second.
 */
export const READ_RATES: Readonly<Record<ReadService, Rate>> = {
  elbv2: { perSecond: 3, burst: 10 },
  ec2: { perSecond: 5, burst: 20 },
  route53: { perSecond: 1, burst: 3 },
  autoscaling: { perSecond: 1, burst: 5 },
};

/** First pause after a throttled read, in ms; doubled for each throttled read after it, up to the maximum. */
const FIRST_PAUSE_MS = 1000;
const MAX_PAUSE_MS = 32_000;

export function isThrottling(error: unknown): boolean {
  return error instanceof HotspareError && error.code === 'Throttling';
}

export type Sleep = (ms: number) => Promise<void>;

/**
 * A pause is a wait like any other: it holds the process, because a command waiting for its turn
 * has not finished (a pause on a timer that did not hold it let Node end the process, exit 0, in
 * the middle of a run). A quit ends a pause through the session's abort signal (see `SharedReads`).
 */
const heldSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

interface Bucket {
  tokens: number;
  refilledAt: number;
  pausedUntil: number;
  pauseMs: number;
}

/**
 * A token bucket per service for the reads that poll, and a pause after throttling: when AWS says
 * "rate exceeded" (after the SDK's own retries), every poll of that service waits 1 s, then 2, 4 …
 * up to 32 s, until a read succeeds again. Readers wait for their turn; nothing is dropped, and
 * the dashboard stays responsive because nothing in it waits on a read.
 */
export class ReadBudget {
  readonly #buckets = new Map<ReadService, Bucket>();

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    private readonly rates: Readonly<Record<ReadService, Rate>> = READ_RATES,
    private readonly sleep: Sleep = heldSleep,
  ) {}

  /** Resolves when a request to `service` may be sent, and counts it. */
  async take(service: ReadService): Promise<void> {
    const bucket = this.#bucket(service);
    for (;;) {
      const now = this.clock.now();
      this.#refill(service, bucket, now);
      const wait = Math.max(
        bucket.pausedUntil - now,
        bucket.tokens >= 1 ? 0 : ((1 - bucket.tokens) * 1000) / this.rates[service].perSecond,
      );
      if (wait <= 0) {
        bucket.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(wait));
    }
  }

  throttled(service: ReadService): void {
    const bucket = this.#bucket(service);
    bucket.pausedUntil = this.clock.now() + bucket.pauseMs;
    bucket.pauseMs = Math.min(bucket.pauseMs * 2, MAX_PAUSE_MS);
  }

  succeeded(service: ReadService): void {
    this.#bucket(service).pauseMs = FIRST_PAUSE_MS;
  }

  /** How long reads of `service` are paused for from now, in ms (0 when not paused). */
  pausedFor(service: ReadService): number {
    return Math.max(0, this.#bucket(service).pausedUntil - this.clock.now());
  }

  #bucket(service: ReadService): Bucket {
    let bucket = this.#buckets.get(service);
    if (bucket === undefined) {
      bucket = {
        tokens: this.rates[service].burst,
        refilledAt: this.clock.now(),
        pausedUntil: 0,
        pauseMs: FIRST_PAUSE_MS,
      };
      this.#buckets.set(service, bucket);
    }
    return bucket;
  }

  #refill(service: ReadService, bucket: Bucket, now: number): void {
    const rate = this.rates[service];
    bucket.tokens = Math.min(rate.burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * rate.perSecond);
    bucket.refilledAt = now;
  }
}
