/**
 * How long an armed site takes to fail over by itself, from the health check's settings and the
 * TTL resolvers keep the primary's answer. Pure; seconds throughout.
 *
 * How Route 53 counts (AWS, "How Amazon Route 53 determines whether a health check is healthy"):
 * health checkers in several locations each probe the endpoint every `RequestInterval` (10 or 30 s),
 * uncoordinated; a checker calls the endpoint unhealthy after `FailureThreshold` consecutive failed
 * probes; Route 53 considers the health check healthy while more than 18% of the checkers report
 * it healthy. A checker's first probe after the outage starts comes anywhere within one interval,
 * so it turns unhealthy between (threshold − 1) and threshold intervals after the start, and the
 * check turns unhealthy once more than 82% of the checkers have: about (threshold − 0.18) intervals
 * on average, threshold intervals at most. Route 53 then answers with the SECONDARY record; a
 * resolver that cached the PRIMARY answer keeps it until its TTL runs out (half the TTL on average,
 * the whole TTL at worst). An alias to a load balancer is answered with a 60 s TTL.
 */

/** The TTL Route 53 gives an alias answer for an Elastic Load Balancing target. */
export const ALIAS_TO_LOAD_BALANCER_TTL_SECONDS = 60;

/** Share of checkers that must still report healthy for Route 53 to call the check healthy (more than this). */
export const HEALTHY_CHECKER_SHARE = 0.18;

export interface HealthCheckTiming {
  /** RequestInterval: 10 (fast) or 30 (standard). */
  readonly intervalSeconds: 10 | 30;
  /** FailureThreshold: 1 to 10 consecutive failures. */
  readonly failureThreshold: number;
  /** The TTL of the PRIMARY record's answer (default: an alias to a load balancer, 60 s). */
  readonly primaryTtlSeconds?: number | undefined;
}

export interface FailoverEstimate {
  /** From the outage's start to Route 53 calling the check unhealthy: typical and at most. */
  readonly detectTypicalSeconds: number;
  readonly detectWorstSeconds: number;
  /** Resolvers still answering with the primary afterwards: typical (half the TTL) and at most (the TTL). */
  readonly dnsTypicalSeconds: number;
  readonly dnsWorstSeconds: number;
  /** Outage start to visitors reaching the secondary: typical, and at most. */
  readonly typicalSeconds: number;
  readonly worstSeconds: number;
}

/** The expected time to fail over with these settings. */
export function failoverEstimate(timing: HealthCheckTiming): FailoverEstimate {
  const { intervalSeconds: interval, failureThreshold: threshold } = timing;
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > 10)
    throw new RangeError(`failureThreshold must be an integer from 1 to 10, got ${threshold}`);
  const ttl = timing.primaryTtlSeconds ?? ALIAS_TO_LOAD_BALANCER_TTL_SECONDS;
  const detectTypicalSeconds = round((threshold - HEALTHY_CHECKER_SHARE) * interval);
  const detectWorstSeconds = threshold * interval;
  const dnsTypicalSeconds = ttl / 2;
  return {
    detectTypicalSeconds,
    detectWorstSeconds,
    dnsTypicalSeconds,
    dnsWorstSeconds: ttl,
    typicalSeconds: round(detectTypicalSeconds + dnsTypicalSeconds),
    worstSeconds: detectWorstSeconds + ttl,
  };
}

/**
 * "Would fail over in ~N s" while the primary has been failing for `failingForSeconds`: what is left
 * of the typical time (never negative: once past it, 0 means "any moment now").
 */
export function remainingSeconds(estimate: FailoverEstimate, failingForSeconds: number): number {
  return Math.max(0, Math.ceil(estimate.typicalSeconds - Math.max(0, failingForSeconds)));
}

/** One line for plan, arm and the dashboard: `~61 s (at most 150 s: 3 × 30 s checks + 60 s TTL)`. */
export function estimateText(timing: HealthCheckTiming): string {
  const e = failoverEstimate(timing);
  return `~${Math.ceil(e.typicalSeconds)} s (at most ${e.worstSeconds} s: ${timing.failureThreshold} × ${timing.intervalSeconds} s checks + ${e.dnsWorstSeconds} s TTL)`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
