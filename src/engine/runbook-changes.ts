import type { Json } from '../domain/types.js';

/**
 * The fields that differ between two versions of a runbook, as dotted paths
 * (`redirectServer.subnetId`, `steps.2.type`), for the operator to see what changed.
 */
export function changedFields(before: Json | undefined, after: Json | undefined, path = ''): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObject = (v: Json | undefined): v is { readonly [k: string]: Json | undefined } =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) =>
      changedFields(before[i] as Json | undefined, after[i] as Json | undefined, join(path, String(i))),
    ).flat();
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedFields(before[k], after[k], join(path, k)));
  }
  return [path === '' ? '(the whole runbook)' : path];
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
