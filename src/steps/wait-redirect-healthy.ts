import type { StepSpecOf } from '../runbook/schema.js';
import { pollUntil } from './poll.js';
import { redirectTarget } from './targets.js';
import type { StepDefinition } from './types.js';

type Spec = StepSpecOf<'wait-redirect-healthy'>;

export const waitRedirectHealthy: StepDefinition<Spec> = {
  type: 'wait-redirect-healthy',
  mutating: false,
  title: () => 'Wait until the redirect instance is healthy',
  describe: (_s, ctx) => [
    {
      service: 'elbv2',
      operation: 'DescribeTargetHealth',
      params: { TargetGroupArn: ctx.env.targetGroup.arn, Targets: [{ Id: '<redirect instance>' }] },
      note: 'every few seconds until healthy',
    },
  ],
  describeUndo: () => [],
  async run(ctx, spec) {
    const target = redirectTarget(ctx);
    const tg = ctx.env.targetGroup.arn;
    await pollUntil(ctx, {
      what: `${target.id} to be healthy in ${ctx.env.targetGroup.name}`,
      read: () => ctx.ports.lb.describeTargetHealth(tg),
      check: (health) => {
        const h = health.find((t) => t.id === target.id);
        if (h?.state === 'healthy') return true;
        return h === undefined ? `${target.id}: not registered` : `${target.id}: ${h.state}${h.reason ? ` (${h.reason})` : ''}`;
      },
      timeoutMs: spec.timeoutSeconds !== undefined ? spec.timeoutSeconds * 1000 : ctx.healthyTimeoutMs,
    });
    return { instanceId: target.id };
  },
  async verify(ctx) {
    const target = redirectTarget(ctx);
    const health = await ctx.ports.lb.describeTargetHealth(ctx.env.targetGroup.arn);
    const h = health.find((t) => t.id === target.id);
    return { holds: h?.state === 'healthy', detail: `${target.id} is ${h?.state ?? 'not registered'}` };
  },
};
