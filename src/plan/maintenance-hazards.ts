import type { RunEnvironment } from '../domain/types.js';
import type { Hazard } from './types.js';

/**
 * What the maintenance site's readiness (read with the environment) means for a failover: a broken
 * site is a danger (visitors would be sent to errors), a stale or unmanifested one a warning. Pure.
 */
export function maintenanceHazards(env: RunEnvironment): Hazard[] {
  const site = env.maintenanceSite;
  if (site === undefined) return [];
  switch (site.state) {
    case 'fresh':
      return [];
    case 'stale':
      return [
        { code: 'maintenance-stale', severity: 'warning', message: `The maintenance site is stale: ${site.summary}.` },
      ];
    case 'missing':
      return [
        {
          code: 'maintenance-missing',
          severity: 'warning',
          message: `The maintenance site has no manifest: ${site.summary}.`,
        },
      ];
    case 'broken':
      return [
        {
          code: 'maintenance-broken',
          severity: 'danger',
          message: `Visitors would be sent to a broken site: ${site.summary}. Fix or republish it (\`hotspare site refresh RUNBOOK\`) before failing over.`,
        },
      ];
  }
}
