import type { TrafficPoint } from '../engine/events.js';
import type { ProbeResult } from '../ports/index.js';
import { fit, textWidth } from './text.js';
import { probeOk, sparkline } from './sparkline.js';

/** Colour of a probe result: green when answering as expected, yellow for a redirect, red when down. */
export function colorForProbe(result: ProbeResult | undefined): string {
  if (result === undefined) return 'gray';
  if (!probeOk(result)) return 'red';
  return result.status !== undefined && result.status >= 300 && result.status < 400 ? 'yellow' : 'green';
}

/** `200  12 ms` / `ERR  timeout` for the latest result. */
export function probeStatus(result: ProbeResult | undefined): string {
  if (result === undefined) return fit('…', 13);
  if (result.error !== undefined || result.status === undefined)
    return `${fit('ERR', 4)} ${fit(result.error ?? 'no answer', 8)}`;
  return `${fit(String(result.status), 4)} ${fit(`${Math.round(result.latencyMs)} ms`, 8)}`;
}

/** Location of a redirect and whether the marker text was found. */
export function probeDetail(result: ProbeResult | undefined): string {
  if (result === undefined) return '';
  const parts: string[] = [];
  if (result.location !== undefined) parts.push(`→ ${result.location}`);
  if (result.markerFound !== undefined) parts.push(result.markerFound ? 'marker ✓' : 'marker ✗');
  return parts.join('  ');
}

/** Per-second traffic as two sparklines with the latest rate. */
export function trafficLine(
  samples: readonly TrafficPoint[],
  width: number,
): { readonly ok: string; readonly failed: string; readonly okRate: number; readonly failedRate: number } {
  const recent = width <= 0 ? [] : samples.slice(-width);
  const max = Math.max(1, ...recent.map((s) => s.ok + s.failed));
  const last = recent[recent.length - 1];
  return {
    ok: sparkline(
      recent.map((s) => s.ok),
      max,
    ),
    failed: sparkline(
      recent.map((s) => s.failed),
      max,
    ),
    okRate: last?.ok ?? 0,
    failedRate: last?.failed ?? 0,
  };
}

/**
 * Sparkline width for the probe rows at `width` columns: what is left after the name, status and the
 * widest detail (so a redirect's Location is not cut), between 8 and 30.
 */
export function sparkWidth(width: number, details: readonly string[]): number {
  const detail = Math.max(0, ...details.map(textWidth));
  return Math.max(8, Math.min(30, width - 12 - 13 - 2 - detail));
}

/** `  total 1234, failed 5`: the sandbox's request counts since the drill started. */
export function trafficTotals(totals: { readonly total: number; readonly failed: number } | undefined): string {
  return totals === undefined ? '' : `  total ${totals.total}, failed ${totals.failed}`;
}

/**
 * Width of each traffic sparkline so that the whole row, counts included, fits in `width` columns:
 * half the probes' sparkline, less when the counts need the room (none at all, rather than a cut count).
 */
export function trafficSparkWidth(
  width: number,
  spark: number,
  samples: readonly TrafficPoint[],
  totals: { readonly total: number; readonly failed: number } | undefined,
): number {
  const last = samples[samples.length - 1];
  // name, `served ` + ` N/s `, `failed ` + ` N/s`, the totals
  const fixed =
    12 +
    `served  ${last?.ok ?? 0}/s `.length +
    `failed  ${last?.failed ?? 0}/s`.length +
    textWidth(trafficTotals(totals));
  return Math.max(0, Math.min(Math.max(6, Math.floor(spark / 2)), Math.floor((width - fixed) / 2)));
}
