import type { StepSpecOf } from '../runbook/schema.js';
import { deregisterCall, redirectTarget, registerCall, targetJson, targetsOf } from './targets.js';
import type { StepDefinition } from './types.js';

type Spec = StepSpecOf<'register-redirect'>;

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
