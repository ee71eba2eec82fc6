import type { ApiCall, Json } from '../domain/types.js';
import type { StepView } from './state.js';

/** What the plan shows for the redirect instance before the run has launched (or started) it. */
export const REDIRECT_PLACEHOLDER = '<redirect instance>';

/** The redirect instance the run launched or started, once a launch-redirect step recorded it. */
export function launchedRedirectId(steps: readonly Pick<StepView, 'type' | 'outputs'>[]): string | undefined {
  for (const s of steps) {
    const id = s.type === 'launch-redirect' ? s.outputs?.['instanceId'] : undefined;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

function replaced(value: Json | undefined, id: string): Json | undefined {
  if (value === REDIRECT_PLACEHOLDER) return id;
  if (Array.isArray(value)) return value.map((v) => replaced(v, id) ?? null);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaced(v, id)]));
  return value;
}

/**
 * The call with the redirect instance's placeholder made its real id: every call shown before a
 * confirmation is the call that will be sent. Unchanged (the same object) when there is nothing to replace.
 */
export function withRedirectId(call: ApiCall, id: string | undefined): ApiCall {
  if (id === undefined || !JSON.stringify(call.params).includes(REDIRECT_PLACEHOLDER)) return call;
  return { ...call, params: replaced(call.params, id) as ApiCall['params'] };
}
