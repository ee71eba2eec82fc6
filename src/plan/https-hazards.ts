import type { RunEnvironment } from '../domain/types.js';
import { httpMaintenanceWarning } from '../runbook/maintenance-https.js';
import type { Runbook } from '../runbook/schema.js';
import type { Hazard } from './types.js';

/**
 * What the maintenance URL's scheme means for visitors: an http:// URL gets Chrome's full-page
 * warning; an https:// one needs its certificate and distribution ready (what the readiness read
 * found, when it read them). Pure.
 */
export function httpsHazards(runbook: Runbook, env: RunEnvironment): Hazard[] {
  const http = httpMaintenanceWarning(runbook.maintenance.url);
  const out: Hazard[] = http === undefined ? [] : [{ code: 'maintenance-http', severity: 'warning', message: http }];
  for (const finding of env.maintenanceSite?.https?.findings ?? [])
    out.push({ code: finding.code, severity: finding.severity, message: finding.message });
  return out;
}
