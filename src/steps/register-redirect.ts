import type { StepSpecOf } from '../runbook/schema.js';
import {
  deregisterCall,
  forApi,
  knownRedirectId,
  redirectTarget,
  registerCall,
  targetJson,
  targetsOf,
} from './targets.js';
import type { StepDefinition } from './types.js';
import { registerRedirectJournal } from './targets.journal.js';
import { stateOf } from './journal-contract.js';

type Spec = StepSpecOf<'register-redirect'>;

export const registerRedirect: StepDefinition<Spec> = {
  type: 'register-redirect',
  journal: registerRedirectJournal,
  mutating: true,
  title: (_s, ctx) => `Register the redirect instance in ${ctx.env.targetGroup.name}`,
  describe: (_s, ctx) => [
    registerCall(ctx.env.targetGroup.arn, [{ id: knownRedirectId(ctx), port: ctx.env.targetGroup.port }]),
  ],
  describeUndo: (_s, ctx) => [deregisterCall(ctx.env.targetGroup.arn, knownRedirectId(ctx))],
  async run(ctx) {
    const target = redirectTarget(ctx);
    const tg = ctx.env.targetGroup.arn;
    // The target goes with the intent: an undo after a crash in flight knows what to deregister.
    await ctx.mutate(registerCall(tg, [target]), () => ctx.ports.lb.registerTargets(tg, [target]), {
      before: { targets: targetJson([target]) },
    });
    return { targets: targetJson([target]) };
  },
  async verify(ctx) {
    const target = redirectTarget(ctx);
    const health = await ctx.ports.lb.describeTargetHealth(ctx.env.targetGroup.arn);
    const found = health.find((h) => h.id === target.id && h.state !== 'draining');
    return {
      holds: found !== undefined,
      // Registered is what this step did; its health is wait-redirect-healthy's (a state here would be stale in the summary).
      detail:
        found === undefined
          ? `${target.id} is not registered`
          : `${target.id} is registered in ${ctx.env.targetGroup.name}`,
      outputs: { targets: targetJson([target]) },
    };
  },
  undoNeeds: ['launch-redirect'],
  async undo(ctx, outputs) {
    const tg = ctx.env.targetGroup.arn;
    const journaled = targetsOf(stateOf(registerRedirectJournal, outputs).targets);
    const health = await ctx.read(() => ctx.ports.lb.describeTargetHealth(tg));
    const ids = new Set(health.filter((h) => h.state !== 'draining').map((h) => h.id));
    const targets = forApi(
      ctx.env.targetGroup.targetType,
      journaled.filter((t) => ids.has(t.id)),
    );
    if (targets.length === 0) return journaled.length === 0 ? 'nothing was registered' : 'already deregistered';
    try {
      await ctx.mutate(deregisterCall(tg, targets), () => ctx.ports.lb.deregisterTargets(tg, targets));
    } catch (error) {
      // Gone in between (its instance terminated, another operator): what the undo wanted holds.
      const after = await ctx.read(() => ctx.ports.lb.describeTargetHealth(tg));
      if (after.some((h) => targets.some((t) => t.id === h.id) && h.state !== 'draining')) throw error;
      return 'already deregistered';
    }
    return undefined;
  },
};
