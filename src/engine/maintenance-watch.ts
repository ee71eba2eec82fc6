import type { Ports } from '../ports/index.js';
import type { SiteReadiness } from '../ports/site.js';
import type { Runbook } from '../runbook/schema.js';
import { readMaintenanceSite } from '../site/readiness.js';
import type { EventSink } from './events.js';

/** How often the dashboard re-reads the maintenance site's manifest: its age changes by the hour. */
export const READINESS_INTERVAL_MS = 60_000;

export interface MaintenanceWatchOptions {
  readonly ports: Ports;
  readonly runbook: Runbook;
  readonly emit: EventSink;
  readonly intervalMs?: number | undefined;
}

/**
 * For the dashboard: returns a function the probe loop calls on every poll. It reads the published
 * manifest (no pages: cheap) at most every `intervalMs`, returns the latest readiness, and emits a
 * `warn` log line whenever the state turns stale, missing or broken (once per change). Undefined
 * without a site inspector. Never throws; nothing is journaled.
 */
export function maintenanceWatcher(options: MaintenanceWatchOptions): () => Promise<SiteReadiness | undefined> {
  const interval = options.intervalMs ?? READINESS_INTERVAL_MS;
  let last: SiteReadiness | undefined;
  let readAt: number | undefined;
  return async () => {
    const now = options.ports.clock.now();
    if (options.ports.site === undefined || (readAt !== undefined && now - readAt < interval)) return last;
    readAt = now;
    const next = await readMaintenanceSite(options.runbook, options.ports.site, 0);
    if (next !== undefined && next.state !== 'fresh' && next.state !== last?.state) {
      options.emit({
        type: 'log',
        level: 'warn',
        message: `Maintenance site: ${next.summary}`,
        at: options.ports.clock.now(),
      });
    }
    last = next;
    return last;
  };
}
