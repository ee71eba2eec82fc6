import type { StepSpecOf } from '../runbook/schema.js';
import { pollUntil } from './poll.js';
import { knownRedirectId, redirectTarget } from './targets.js';
import type { StepContext, StepDefinition } from './types.js';
import type { TargetHealth } from '../ports/index.js';
import { redirectBootFailed } from '../domain/failures.js';
import { BOOT_FAILED } from './launch-redirect.js';
import { waitRedirectHealthyJournal } from './checks.journal.js';

type Spec = StepSpecOf<'wait-redirect-healthy'>;

/**
 * A target the load balancer cannot use because its instance is not running (`unused`,
 * `Target.InvalidState`): when the instance stopped (its boot failed and powered it off, see
 * `redirect/boot-script.ts`), the wait ends now with that error instead of at its timeout.
 */
async function failFastIfStopped(ctx: StepContext, id: string, health: TargetHealth | undefined): Promise<void> {
  if (health === undefined || (health.state !== 'unused' && health.reason !== 'Target.InvalidState')) return;
  const [instance] = await ctx.ports.compute.describeInstances({ ids: [id], liveOnly: false });
  if (instance !== undefined && BOOT_FAILED.has(instance.state)) throw redirectBootFailed(id, instance.state);
}

export const waitRedirectHealthy: StepDefinition<Spec> = {
  type: 'wait-redirect-healthy',
  journal: waitRedirectHealthyJournal,
  mutating: false,
  title: () => 'Wait until the redirect instance is healthy',
  describe: (_s, ctx) => [
    {
      service: 'elbv2',
      operation: 'DescribeTargetHealth',
      params: { TargetGroupArn: ctx.env.targetGroup.arn, Targets: [{ Id: knownRedirectId(ctx) }] },
      note: 'every few seconds until healthy',
    },
  ],
  describeUndo: () => [],
  async run(ctx, spec) {
    const target = redirectTarget(ctx);
    const tg = ctx.env.targetGroup.arn;
    await pollUntil(ctx, {
      what: `${target.id} to be healthy in ${ctx.env.targetGroup.name}`,
      read: async () => {
        const health = await ctx.ports.lb.describeTargetHealth(tg);
        await failFastIfStopped(
          ctx,
          target.id,
          health.find((t) => t.id === target.id),
        );
        return health;
      },
      check: (health) => {
        const h = health.find((t) => t.id === target.id);
        if (h?.state === 'healthy') return true;
        return h === undefined
          ? `${target.id}: not registered`
          : `${target.id}: ${h.state}${h.reason ? ` (${h.reason})` : ''}`;
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
