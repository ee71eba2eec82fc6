import type { ApiCall, Json, StepOutputs } from '../domain/types.js';
import { ruleText } from '../domain/listener-rules.js';
import { UsageError } from '../domain/errors.js';
import type { ListenerAction } from '../ports/index.js';
import type { Runbook, StepSpecOf } from '../runbook/schema.js';
import {
  changedSince,
  fixedResponseAction,
  isOnly,
  modifyCall,
  redirectAction,
  sameActions,
} from './listener-actions.js';
import { coverCalls, coverRules, uncoverCalls, uncovered, uncoverRules } from './listener-rules.js';
import {
  bypassCalls,
  bypassMissing,
  bypassPredicate,
  closeBypass,
  openBypass,
  unbypassCalls,
} from './listener-bypass.js';
import type { DescribeContext, StepContext, StepDefinition, Verification } from './types.js';
import { listenerJournal } from './listener.journal.js';
import { stateOf, type JournaledState } from './journal-contract.js';

type RedirectSpec = StepSpecOf<'set-listener-redirect'>;
type FixedSpec = StepSpecOf<'set-listener-fixed-response'>;
type ListenerSpec = RedirectSpec | FixedSpec;

export { fixedResponseAction, redirectAction };

function listenerArn(runbook: Runbook): string {
  const arn = runbook.loadBalancer.listener;
  if (arn === undefined)
    throw new UsageError('This step needs loadBalancer.listener (a listener ARN) in the runbook.', {
      code: 'NoListener',
    });
  return arn;
}

/** Whether the step also covers the listener's forwarding rules (the default). */
function covers(spec: ListenerSpec): boolean {
  return (spec.rules ?? 'cover') === 'cover';
}

/**
 * Opens the staff bypass (listener-bypass.ts), covers the forwarding rules (see listener-rules.ts), then journals the listener's default
 * actions as they are (compensation state: the engine keeps the first attempt's, so a retry that
 * reads the redirect already in place never replaces them) and sets the maintenance action.
 */
async function apply(ctx: StepContext, spec: ListenerSpec, action: ListenerAction): Promise<StepOutputs> {
  const arn = listenerArn(ctx.runbook);
  const bypass = await openBypass(ctx, arn);
  const cover = covers(spec) ? await coverRules(ctx, arn, action) : {};
  const before = await ctx.read(() => ctx.ports.lb.describeListener(arn));
  await ctx.mutate(modifyCall(arn, [action]), () => ctx.ports.lb.setListenerDefaultActions(arn, [action]), {
    before: { listenerArn: arn, previousActions: before.defaultActions as unknown as Json },
  });
  return { ...bypass, ...cover, listenerArn: arn, action: action as Json };
}

async function holds(ctx: StepContext, spec: ListenerSpec, action: ListenerAction): Promise<Verification> {
  const arn = listenerArn(ctx.runbook);
  const current = await ctx.ports.lb.describeListener(arn);
  const defaultHolds = isOnly(current.defaultActions, action);
  const rules =
    covers(spec) || ctx.runbook.loadBalancer.staffBypass !== undefined ? await ctx.ports.lb.describeRules(arn) : [];
  const left = covers(spec) ? uncovered(rules, action, bypassPredicate(ctx)) : [];
  const missing = bypassMissing(ctx, rules);
  const detail = `listener default action: ${JSON.stringify(current.defaultActions)}${left.length === 0 ? '' : `; rules still forwarding: ${left.map((r) => ruleText(r)).join('; ')}`}${missing === undefined ? '' : `; ${missing}`}`;
  return { holds: defaultHolds && left.length === 0 && missing === undefined, detail };
}

/**
 * Takes the rule cover away, puts the journaled default actions back, then closes the staff bypass
 * (last: staff keep the origin until everyone has it), reading first: already restored is done;
 * anything but our maintenance action (someone changed it since) is left alone and reported.
 */
async function restore(ctx: StepContext, outputs: StepOutputs): Promise<string | undefined> {
  const state = stateOf(listenerJournal, outputs);
  const arn = state.listenerArn ?? state.bypass?.listenerArn ?? listenerArn(ctx.runbook);
  const notes = [...(await uncoverRules(ctx, arn, state)), ...(await restoreDefault(ctx, arn, state))];
  notes.push(...(await closeBypass(ctx, arn, state)));
  return notes.length === 0 ? undefined : notes.join('; ');
}

async function restoreDefault(
  ctx: StepContext,
  arn: string,
  state: JournaledState<typeof listenerJournal>,
): Promise<string[]> {
  const actions: ListenerAction[] | undefined = state.previousActions;
  if (actions === undefined) return ['the default action was not changed'];
  const current = (await ctx.read(() => ctx.ports.lb.describeListener(arn))).defaultActions;
  if (sameActions(current, actions)) return ['the listener already has its original default action'];
  const ours: ListenerAction | undefined = state.action;
  if (ours !== undefined && !isOnly(current, ours)) throw changedSince(`The listener's default action`, current);
  await ctx.mutate(modifyCall(arn, actions), () => ctx.ports.lb.setListenerDefaultActions(arn, actions));
  return [];
}

function describeFor(ctx: DescribeContext, spec: ListenerSpec, action: ListenerAction): ApiCall[] {
  const arn = listenerArn(ctx.runbook);
  return [
    ...bypassCalls(ctx, arn),
    ...(covers(spec) ? coverCalls(ctx, arn, action) : []),
    {
      service: 'elbv2',
      operation: 'DescribeListeners',
      params: { ListenerArns: [arn] },
      note: 'journal the current default actions for undo',
    },
    modifyCall(arn, [action]),
  ];
}

function undoFor(ctx: DescribeContext, spec: ListenerSpec): ApiCall[] {
  const original = ctx.env.listener?.defaultActions;
  return [
    ...(covers(spec) ? uncoverCalls(ctx) : []),
    modifyCall(listenerArn(ctx.runbook), original ?? '<the journaled original actions>'),
    ...unbypassCalls(ctx),
  ];
}

export const setListenerRedirect: StepDefinition<RedirectSpec> = {
  type: 'set-listener-redirect',
  journal: listenerJournal,
  mutating: true,
  title: (spec, ctx) =>
    `Point the listener at ${new URL(ctx.runbook.maintenance.url).host} (${spec.statusCode ?? 'HTTP_302'})`,
  describe: (spec, ctx) => describeFor(ctx, spec, redirectAction(ctx.runbook, spec)),
  describeUndo: (spec, ctx) => undoFor(ctx, spec),
  run: (ctx, spec) => apply(ctx, spec, redirectAction(ctx.runbook, spec)),
  verify: (ctx, spec) => holds(ctx, spec, redirectAction(ctx.runbook, spec)),
  undo: restore,
};

export const setListenerFixedResponse: StepDefinition<FixedSpec> = {
  type: 'set-listener-fixed-response',
  journal: listenerJournal,
  mutating: true,
  title: (spec) => `Serve a fixed ${spec.statusCode ?? 503} maintenance page from the listener`,
  describe: (spec, ctx) => describeFor(ctx, spec, fixedResponseAction(ctx.runbook, spec)),
  describeUndo: (spec, ctx) => undoFor(ctx, spec),
  run: (ctx, spec) => apply(ctx, spec, fixedResponseAction(ctx.runbook, spec)),
  verify: (ctx, spec) => holds(ctx, spec, fixedResponseAction(ctx.runbook, spec)),
  undo: restore,
};
