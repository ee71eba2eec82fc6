import { UsageError } from '../ports/errors.js';
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

async function apply(ctx: StepContext, action: ListenerAction): Promise<StepOutputs> {
  const arn = listenerArn(ctx.runbook);
  const before = await ctx.ports.lb.describeListener(arn);
  const previousActions = before.defaultActions as unknown as Json;
  await ctx.mutate(modifyCall(arn, [action]), () => ctx.ports.lb.setListenerDefaultActions(arn, [action]), {
    before: { listenerArn: arn, previousActions },
  });
  return { listenerArn: arn, previousActions, action: action as Json };
}

async function holds(ctx: StepContext, action: ListenerAction) {
  const current = await ctx.ports.lb.describeListener(listenerArn(ctx.runbook));
  const first = current.defaultActions[0];
  const ok = current.defaultActions.length === 1 && first !== undefined && first['Type'] === action['Type'] && same(first, action);
  return { holds: ok, detail: `listener default action: ${JSON.stringify(current.defaultActions)}` };
}

/** Compare the fields we set (the API may add Order or defaults). */
function same(actual: ListenerAction, wanted: ListenerAction): boolean {
  const key = wanted['Type'] === 'redirect' ? 'RedirectConfig' : 'FixedResponseConfig';
  const a = (actual[key] ?? {}) as Record<string, unknown>;
  return Object.entries(wanted[key] as Record<string, unknown>).every(([k, v]) => a[k] === v);
}

async function restore(ctx: StepContext, outputs: StepOutputs): Promise<void> {
  const arn = typeof outputs['listenerArn'] === 'string' ? outputs['listenerArn'] : listenerArn(ctx.runbook);
  const previous = outputs['previousActions'];
  if (!Array.isArray(previous)) return;
  const actions = previous as unknown as ListenerAction[];
  await ctx.mutate(modifyCall(arn, actions), () => ctx.ports.lb.setListenerDefaultActions(arn, actions));
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
