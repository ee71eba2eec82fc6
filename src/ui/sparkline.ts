import type { ProbeResult } from '../ports/index.js';

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** Bars scaled to the largest value (or `max`); an empty list gives an empty string. */
export function sparkline(values: readonly number[], max?: number): string {
  const top = max ?? Math.max(0, ...values);
  return values
    .map((v) => {
      if (top <= 0 || v <= 0) return BARS[0];
      const i = Math.min(BARS.length - 1, Math.round((v / top) * (BARS.length - 1)));
      return BARS[i];
    })
    .join('');
}

/** Whether a probe result counts as the site answering (any HTTP status below 500). */
export function probeOk(result: ProbeResult): boolean {
  return (
    result.error === undefined && result.status !== undefined && result.status < 500 && result.markerFound !== false
  );
}

/** Latency bars for recent probes; a failed probe is drawn as `×`. */
export function probeSparkline(results: readonly ProbeResult[], width: number): string {
  const recent = results.slice(-width);
  const max = Math.max(1, ...recent.map((r) => r.latencyMs));
  return recent.map((r) => (probeOk(r) ? sparkline([r.latencyMs], max) : '×')).join('');
}
