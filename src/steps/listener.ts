import { ExternalError, UsageError } from '../ports/errors.js';
import type { ListenerAction } from '../ports/index.js';
import type { Runbook, StepSpecOf } from '../runbook/schema.js';
import type { ApiCall, Json, StepOutputs } from '../domain/types.js';
import type { DescribeContext, StepContext, StepDefinition } from './types.js';

type RedirectSpec = StepSpecOf<'set-listener-redirect'>;
type FixedSpec = StepSpecOf<'set-listener-fixed-response'>;

function listenerArn(runbook: Runbook): string {
  const arn = runbook.loadBalancer.listener;
  if (arn === undefined) throw new UsageError('This step needs loadBalancer.listener (a listener ARN) in the runbook.');
  return arn;
}

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
  const body = spec.body ?? (contentType === 'text/html' ? `<!doctype html><title>Maintenance</title><h1>${escapeHtml(text)}</h1>` : text);
  return { Type: 'fixed-response', FixedResponseConfig: { StatusCode: String(spec.statusCode ?? 503), ContentType: contentType, MessageBody: body } };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function modifyCall(arn: string, actions: readonly ListenerAction[] | string): ApiCall {
  return { service: 'elbv2', operation: 'ModifyListener', params: { ListenerArn: arn, DefaultActions: actions as Json } };
}

/**
 * Journals the listener's default actions as they are (the compensation state: the engine keeps
 * the first attempt's, so a retry that reads the redirect already in place never replaces them),
 * then sets the maintenance action.
 */
async function apply(ctx: StepContext, action: ListenerAction): Promise<StepOutputs> {
  const arn = listenerArn(ctx.runbook);
  const before = await ctx.read(() => ctx.ports.lb.describeListener(arn));
  await ctx.mutate(modifyCall(arn, [action]), () => ctx.ports.lb.setListenerDefaultActions(arn, [action]), {
    before: { listenerArn: arn, previousActions: before.defaultActions as unknown as Json },
  });
  return { listenerArn: arn, action: action as Json };
}

async function holds(ctx: StepContext, action: ListenerAction) {
  const current = await ctx.ports.lb.describeListener(listenerArn(ctx.runbook));
  return { holds: isOnly(current.defaultActions, action), detail: `listener default action: ${JSON.stringify(current.defaultActions)}` };
}

/** Compare the fields we set (the API may add Order or defaults). */
function same(actual: ListenerAction, wanted: ListenerAction): boolean {
  const key = wanted['Type'] === 'redirect' ? 'RedirectConfig' : 'FixedResponseConfig';
  const a = (actual[key] ?? {}) as Record<string, unknown>;
  return Object.entries(wanted[key] as Record<string, unknown>).every(([k, v]) => a[k] === v);
}

/**
 * Puts the journaled default actions back, after reading the listener: already restored is done;
 * anything but our maintenance action (someone changed it since) is left alone and reported.
 */
async function restore(ctx: StepContext, outputs: StepOutputs): Promise<string | void> {
  const arn = typeof outputs['listenerArn'] === 'string' ? outputs['listenerArn'] : listenerArn(ctx.runbook);
  const previous = outputs['previousActions'];
  if (!Array.isArray(previous)) return 'the listener was not changed';
  const actions = previous as unknown as ListenerAction[];
  const current = (await ctx.read(() => ctx.ports.lb.describeListener(arn))).defaultActions;
  if (sameActions(current, actions)) return 'the listener already has its original actions';
  const ours = asAction(outputs['action']);
  if (ours !== undefined && !isOnly(current, ours)) throw changedSince(arn, current);
  await ctx.mutate(modifyCall(arn, actions), () => ctx.ports.lb.setListenerDefaultActions(arn, actions));
  return undefined;
}

function asAction(value: unknown): ListenerAction | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as ListenerAction) : undefined;
}

/** Whether the listener's actions are exactly `action` (the fields we set; the API may add Order). */
function isOnly(current: readonly ListenerAction[], action: ListenerAction): boolean {
  const first = current[0];
  return current.length === 1 && first !== undefined && first['Type'] === action['Type'] && same(first, action);
}

/** Actions compared as the API returns them, without `undefined` members and key order. */
function sameActions(a: readonly ListenerAction[], b: readonly ListenerAction[]): boolean {
  const norm = (list: readonly ListenerAction[]): string => JSON.stringify(list.map((x) => sortKeys(x)));
  return norm(a) === norm(b);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, sortKeys(v)]));
}

function changedSince(arn: string, current: readonly ListenerAction[]): ExternalError {
  return new ExternalError(`The listener's default action changed since the failover (now ${JSON.stringify(current)}): rollback leaves it alone.`, {
    code: 'ChangedSinceFailover',
    nextSteps: `Someone else changed ${arn}. Decide what it should be, set it by hand, then run the rollback again (or \`hotspare abandon RUNBOOK\`).`,
  });
}

function describeFor(ctx: DescribeContext, action: ListenerAction): ApiCall[] {
  const arn = listenerArn(ctx.runbook);
  return [
    { service: 'elbv2', operation: 'DescribeListeners', params: { ListenerArns: [arn] }, note: 'journal the current default actions for undo' },
    modifyCall(arn, [action]),
  ];
}

function undoFor(ctx: DescribeContext): ApiCall[] {
  const original = ctx.env.listener?.defaultActions;
  return [modifyCall(listenerArn(ctx.runbook), original ?? '<the journaled original actions>')];
}

export const setListenerRedirect: StepDefinition<RedirectSpec> = {
  type: 'set-listener-redirect',
  mutating: true,
  title: (spec, ctx) => `Point the listener at ${new URL(ctx.runbook.maintenance.url).host} (${spec.statusCode ?? 'HTTP_302'})`,
  describe: (spec, ctx) => describeFor(ctx, redirectAction(ctx.runbook, spec)),
  describeUndo: (_s, ctx) => undoFor(ctx),
  run: (ctx, spec) => apply(ctx, redirectAction(ctx.runbook, spec)),
  verify: (ctx, spec) => holds(ctx, redirectAction(ctx.runbook, spec)),
  undo: restore,
};

export const setListenerFixedResponse: StepDefinition<FixedSpec> = {
  type: 'set-listener-fixed-response',
  mutating: true,
  title: (spec) => `Serve a fixed ${spec.statusCode ?? 503} maintenance page from the listener`,
  describe: (spec, ctx) => describeFor(ctx, fixedResponseAction(ctx.runbook, spec)),
  describeUndo: (_s, ctx) => undoFor(ctx),
  run: (ctx, spec) => apply(ctx, fixedResponseAction(ctx.runbook, spec)),
  verify: (ctx, spec) => holds(ctx, fixedResponseAction(ctx.runbook, spec)),
  undo: restore,
};
