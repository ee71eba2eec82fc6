import { UsageError } from '../ports/errors.js';
import type { Target } from '../ports/index.js';
import type { StepSpecOf } from '../runbook/schema.js';
import type { ApiCall, StepContext, StepDefinition, StepOutputs } from './types.js';

type Spec = StepSpecOf<'register-redirect'>;

/** The redirect instance launched earlier in this run, as a target on the target group's port. */
export function redirectTarget(ctx: StepContext): Target {
  const id = ctx.outputsOf('launch-redirect')?.['instanceId'];
  if (typeof id !== 'string') {
    throw new UsageError('No redirect instance in this run: a launch-redirect step must run first.', {
      code: 'MissingRedirectInstance',
      nextSteps: 'Put launch-redirect before this step in the runbook.',
    });
  }
  return { id, port: ctx.env.targetGroup.port };
}

export function targetsOf(outputs: StepOutputs): Target[] {
  const raw = outputs['targets'];
  if (!Array.isArray(raw)) return [];
  return raw.map((t) => {
    const o = t as { id: string; port?: number | null; availabilityZone?: string | null };
    return { id: o.id, port: o.port ?? undefined, availabilityZone: o.availabilityZone ?? undefined };
  });
}

function targetJson(targets: readonly Target[]): { id: string; port: number | null; availabilityZone: string | null }[] {
  return targets.map((t) => ({ id: t.id, port: t.port ?? null, availabilityZone: t.availabilityZone ?? null }));
}

/** Targets as the API takes them: an Availability Zone is only accepted for `ip` target groups. */
export function forApi(targetType: string, targets: readonly Target[]): Target[] {
  return targets.map((t) => (targetType === 'ip' ? t : { id: t.id, port: t.port }));
}

export function registerCall(tgArn: string, targets: readonly Target[] | string): ApiCall {
  const list = typeof targets === 'string' ? [{ Id: targets }] : targets.map((t) => ({ Id: t.id, Port: t.port, AvailabilityZone: t.availabilityZone }));
  return { service: 'elbv2', operation: 'RegisterTargets', params: { TargetGroupArn: tgArn, Targets: list } };
}

export function deregisterCall(tgArn: string, targets: readonly Target[] | string): ApiCall {
  return { ...registerCall(tgArn, targets), operation: 'DeregisterTargets' };
}

export const registerRedirect: StepDefinition<Spec> = {
  type: 'register-redirect',
  mutating: true,
  title: (_s, ctx) => `Register the redirect instance in ${ctx.env.targetGroup.name}`,
  describe: (_s, ctx) => [registerCall(ctx.env.targetGroup.arn, [{ id: '<redirect instance>', port: ctx.env.targetGroup.port }])],
  describeUndo: (_s, ctx) => [deregisterCall(ctx.env.targetGroup.arn, '<redirect instance>')],
  async run(ctx) {
    const target = redirectTarget(ctx);
    const tg = ctx.env.targetGroup.arn;
    await ctx.mutate(registerCall(tg, [target]), () => ctx.ports.lb.registerTargets(tg, [target]), {
      outputs: () => ({ targets: targetJson([target]) }),
    });
    return { targets: targetJson([target]) };
  },
  async verify(ctx) {
    const target = redirectTarget(ctx);
    const health = await ctx.ports.lb.describeTargetHealth(ctx.env.targetGroup.arn);
    const found = health.find((h) => h.id === target.id && h.state !== 'draining');
    return {
      holds: found !== undefined,
      detail: found === undefined ? `${target.id} is not registered` : `${target.id} is ${found.state}`,
      outputs: { targets: targetJson([target]) },
    };
  },
  async undo(ctx, outputs) {
    const targets = targetsOf(outputs);
    if (targets.length === 0) return;
    const tg = ctx.env.targetGroup.arn;
    await ctx.mutate(deregisterCall(tg, targets), () => ctx.ports.lb.deregisterTargets(tg, targets));
  },
};

export { targetJson };
