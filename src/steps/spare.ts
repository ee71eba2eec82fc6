import type { InstanceInfo, Ports, RedirectConfig } from '../ports/index.js';
import { configDigest } from '../redirect/config.js';

/**
 * A spare is a redirect instance prepared before the incident (`hotspare prepare`): launched with
 * the redirect server installed and configured, then stopped. At incident time `launch-redirect`
 * starts it (StartInstances: no install, no way out needed) instead of launching a new instance,
 * and rollback stops it again, ready for the next time.
 */

/** The runbook a spare was prepared for. */
export const SPARE_TAG = 'hotspare:spare';
/** The digest of the redirect config the spare serves (see `configDigest`). */
export const CONFIG_TAG = 'hotspare:config';

/**
 * When the spare was seen stopped after passing its own self-check (ISO 8601): it powers itself
 * off only once its server answers its health check, and `prepare` tags it so when it sees that.
 * A spare without it (its preparation interrupted, or still under way) is never used.
 */
export const CHECKED_TAG = 'hotspare:spare-checked';

/** States in which a spare with the right config can serve: it is started (or already starting). */
const USABLE: ReadonlySet<InstanceInfo['state']> = new Set(['stopped', 'stopping', 'pending', 'running']);

/** Tags for a spare of `runbook` serving `config`; `hotspare:run` lets the IAM policy's terminate condition cover it. */
export function spareTags(runbook: string, config: RedirectConfig): Record<string, string> {
  const digest = configDigest(config);
  return {
    Name: `hotspare-spare-${runbook}`.slice(0, 255),
    [SPARE_TAG]: runbook,
    [CONFIG_TAG]: digest,
    'hotspare:run': `spare-${digest}`,
  };
}

/** Every live (not terminated) spare of the runbook. */
export function findSpares(compute: Ports['compute'], runbook: string): Promise<readonly InstanceInfo[]> {
  return compute.describeInstances({ tags: { [SPARE_TAG]: runbook }, liveOnly: true });
}

/**
 * The checked spare that serves exactly `config`, if any: a running one first (already in use by
 * this run), then a stopped one. A spare that never passed its self-check is not one.
 */
export function matchingSpare(spares: readonly InstanceInfo[], config: RedirectConfig): InstanceInfo | undefined {
  const digest = configDigest(config);
  const usable = spares.filter(
    (s) => s.tags[CONFIG_TAG] === digest && s.tags[CHECKED_TAG] !== undefined && USABLE.has(s.state),
  );
  return usable.find((s) => s.state === 'running' || s.state === 'pending') ?? usable[0];
}

/** Spares for `config` that never passed their self-check (a preparation interrupted or under way): not used. */
export function uncheckedSpares(spares: readonly InstanceInfo[], config: RedirectConfig): InstanceInfo[] {
  const digest = configDigest(config);
  return spares.filter((s) => s.tags[CONFIG_TAG] === digest && s.tags[CHECKED_TAG] === undefined);
}

/** Spares made for another config (another target group, URL or server): never used, replaced by `prepare`. */
export function staleSpares(spares: readonly InstanceInfo[], config: RedirectConfig): InstanceInfo[] {
  const digest = configDigest(config);
  return spares.filter((s) => s.tags[CONFIG_TAG] !== digest);
}
