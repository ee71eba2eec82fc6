/**
 * A deep copy without `undefined` members (the SDK's output objects may carry them), leaving every
 * other value as it is, so a listener action read back can be written again unchanged.
 */
export function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripUndefined);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v !== undefined) out[key] = stripUndefined(v);
  }
  return out;
}
