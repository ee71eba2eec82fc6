import type { Runbook } from '../runbook/schema.js';

/**
 * How often a step's wait reads again: once a second. A wait's answer comes at most this late, and
 * with the dashboard's reads shared (`shared-reads.ts`) it is the only poll of that resource:
 * DescribeTargetHealth once a second is a tenth of ELBv2's documented refill rate.
 */
export const DEFAULT_POLL_MS = 1000;

/** The poll interval of a run's waits, in ms: `override` (the sandbox's), else the runbook's, else once a second. */
export function pollIntervalOf(runbook: Runbook, override?: number | undefined): number {
  if (override !== undefined) return override;
  const seconds = runbook.polling?.intervalSeconds;
  return seconds !== undefined ? seconds * 1000 : DEFAULT_POLL_MS;
}
