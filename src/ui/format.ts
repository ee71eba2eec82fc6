/** Formatting shared by the components. Pure. */

/** `hh:mm:ss` for an incident clock. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
}

/** A short duration: `850 ms`, `12 s`, `3m 05s`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** `hh:mm:ss` wall-clock time of an epoch-ms instant, in local time. */
export function timeOfDay(at: number): string {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Compact JSON of call parameters for one line. */
export function params(value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined || json === '{}' ? '' : json;
}
