/**
 * The sandbox's clock settings. Every duration below is the realistic AWS figure in seconds; the
 * sandbox divides it by `speed`. At the default speed (5) a whole emergency-mode drill takes about a
 * minute for a person at the keyboard: boot 5 s, first health check 0.4 s after registration and
 * then every 2 s (a new target is healthy after its first pass, an unhealthy one after 3), draining
 * 60 s, DNS INSYNC after 2 s, engine polling every 200 ms. Tests pass a higher speed (50 or more) to finish in seconds.
 */
export const DEFAULT_SPEED = 5;

/** Realistic durations in seconds, before dividing by the speed. */
export const REALISTIC = {
  /** RunInstances -> running (and a redirect server that installs nothing answering). */
  bootSeconds: 25,
  /** Installing nginx or Apache at boot (package metadata and the package), on top of the boot. */
  installSeconds: 15,
  /** StartInstances of a stopped spare -> running with its server answering (no first-boot work, no install). */
  startSeconds: 20,
  /** StopInstances (or a spare powering itself off) -> stopped. */
  stopSeconds: 10,
  /** shutting-down -> terminated. */
  shutdownSeconds: 5,
  /** Registration -> first health check. */
  firstCheckSeconds: 2,
  healthCheckIntervalSeconds: 10,
  healthCheckTimeoutSeconds: 5,
  healthyThreshold: 3,
  unhealthyThreshold: 2,
  deregistrationDelaySeconds: 300,
  /** Route 53 change PENDING -> INSYNC. */
  dnsPropagationSeconds: 10,
  /** The engine's poll interval while a step waits (the dashboard's too, in the sandbox). */
  pollSeconds: 1,
  /** The engine's default wait for health. */
  healthyTimeoutSeconds: 300,
  /** ACM RequestCertificate -> its DNS validation records named. */
  validationRecordsSeconds: 5,
  /** ACM: validation records resolving -> ISSUED. */
  certificateIssueSeconds: 60,
  /** CloudFront CreateDistribution/UpdateDistribution -> Deployed. */
  distributionDeploySeconds: 300,
  /** CloudFront CreateInvalidation -> Completed. */
  invalidationSeconds: 60,
} as const;

/** Durations in wall-clock ms for one sandbox, already divided by the speed. */
export interface Timing {
  readonly speed: number;
  /** Converts realistic seconds to wall-clock ms at this speed. */
  ms(realisticSeconds: number): number;
}

export function timingFor(speed: number): Timing {
  if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`speed must be a positive number, got ${speed}`);
  return { speed, ms: (seconds) => (seconds * 1000) / speed };
}

/**
 * Every timer the sandbox starts, so `stop()` can clear them all. They are not unref'd: a running
 * sandbox keeps the process alive (as its servers do), and after `stop()` nothing of it is left.
 */
export class TimerSet {
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  /** Runs `fn` once after `ms`; does nothing once the set is cleared. */
  after(ms: number, fn: () => void): NodeJS.Timeout | undefined {
    if (this.#stopped) return undefined;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }

  /** Runs `fn` every `ms` until cancelled or the set is cleared. */
  every(ms: number, fn: () => void): NodeJS.Timeout | undefined {
    if (this.#stopped) return undefined;
    const timer = setInterval(fn, ms);
    this.#timers.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout | undefined): void {
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#timers.delete(timer);
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  clearAll(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
