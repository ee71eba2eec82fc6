import type { ApiCall, Json } from '../domain/types.js';
import { ExternalError } from '../domain/errors.js';
import type { ListenerAction } from '../ports/index.js';
import type { Runbook, StepSpecOf } from '../runbook/schema.js';

/** The maintenance actions a listener strategy sets, and how hotspare compares actions. */

type RedirectSpec = StepSpecOf<'set-listener-redirect'>;
type FixedSpec = StepSpecOf<'set-listener-fixed-response'>;

/** The ALB redirect action that sends every request to the maintenance site. */
export function redirectAction(runbook: Runbook, spec: RedirectSpec): ListenerAction {
  const u = new URL(runbook.maintenance.url);
  const https = u.protocol === 'https:';
  const config: Record<string, string> = {
    Protocol: https ? 'HTTPS' : 'HTTP',
    Host: u.hostname,
    Port: u.port === '' ? (https ? '443' : '80') : u.port,
    Path: spec.keepPath ? '/#{path}' : u.pathname,
    StatusCode: spec.statusCode ?? 'HTTP_302',
  };
  if (spec.keepPath) config['Query'] = '#{query}';
  else if (u.search !== '') config['Query'] = u.search.slice(1);
  return { Type: 'redirect', RedirectConfig: config };
}

/** A short maintenance page served by the load balancer itself; it carries the marker text. */
export function fixedResponseAction(runbook: Runbook, spec: FixedSpec): ListenerAction {
  const text = runbook.maintenance.expectText;
  const contentType = spec.contentType ?? 'text/html';
  const body =
    spec.body ??
    (contentType === 'text/html' ? `<!doctype html><title>Maintenance</title><h1>${escapeHtml(text)}</h1>` : text);
  return {
    Type: 'fixed-response',
    FixedResponseConfig: { StatusCode: String(spec.statusCode ?? 503), ContentType: contentType, MessageBody: body },
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function modifyCall(arn: string, actions: readonly ListenerAction[] | string): ApiCall {
  return {
    service: 'elbv2',
    operation: 'ModifyListener',
    params: { ListenerArn: arn, DefaultActions: actions as Json },
  };
}

/** Compare the fields we set (the API may add Order or defaults). */
export function same(actual: ListenerAction, wanted: ListenerAction): boolean {
  const key = wanted['Type'] === 'redirect' ? 'RedirectConfig' : 'FixedResponseConfig';
  const a = (actual[key] ?? {}) as Record<string, unknown>;
  return Object.entries(wanted[key] as Record<string, unknown>).every(([k, v]) => a[k] === v);
}

/** Whether the listener's actions are exactly `action` (the fields we set; the API may add Order). */
export function isOnly(current: readonly ListenerAction[], action: ListenerAction): boolean {
  const first = current[0];
  return current.length === 1 && first !== undefined && first['Type'] === action['Type'] && same(first, action);
}

/** Actions compared as the API returns them, without `undefined` members and key order. */
export function sameActions(a: readonly ListenerAction[], b: readonly ListenerAction[]): boolean {
  const norm = (list: readonly ListenerAction[]): string => JSON.stringify(list.map((x) => sortKeys(x)));
  return norm(a) === norm(b);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([k, v]) => [k, sortKeys(v)]),
  );
}

export function changedSince(what: string, current: readonly ListenerAction[]): ExternalError {
  return new ExternalError(
    `${what} changed since the failover (now ${JSON.stringify(current)}): rollback leaves it alone.`,
    {
      code: 'ChangedSinceFailover',
      nextSteps: `Someone else changed it. Decide what it should be, set it by hand, then run the rollback again (or \`hotspare abandon RUNBOOK\`).`,
    },
  );
}
