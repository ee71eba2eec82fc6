import type { Target } from '../ports/index.js';
import type { StepSpecOf } from '../runbook/schema.js';
import { pollUntil } from './poll.js';
import { deregisterCall, forApi, registerCall, targetJson, targetsOf } from './targets.js';
import type { ApiCall } from '../domain/types.js';
import type { StepContext, StepDefinition } from './types.js';

type Spec = StepSpecOf<'deregister-web'>;

const GONE = new Set(['draining', 'unused']);

/** The web targets still in the group (not draining), with the port and AZ they are registered with. */
async function registeredWebTargets(ctx: StepContext): Promise<Target[]> {
  const web = new Set(ctx.env.webTargets.map((t) => t.id));
  const health = await ctx.ports.lb.describeTargetHealth(ctx.env.targetGroup.arn);
  return health.filter((h) => web.has(h.id) && !GONE.has(h.state)).map((h) => ({ id: h.id, port: h.port, availabilityZone: h.availabilityZone }));
}

function waitHealthyCall(tgArn: string): ApiCall {
  return { service: 'elbv2', operation: 'DescribeTargetHealth', params: { TargetGroupArn: tgArn }, note: 'every few seconds until the web servers are healthy' };
}

/** Targets removed by earlier attempts stay in the outputs, so rollback puts every one of them back. */
function mergeTargets(prior: readonly Target[], now: readonly Target[]): Target[] {
  const seen = new Set(now.map((t) => t.id));
  return [...now, ...prior.filter((t) => !seen.has(t.id))];
}

export const deregisterWeb: StepDefinition<Spec> = {
  type: 'deregister-web',
  mutating: true,
  title: (_s, ctx) =>
    ctx.env.discovered
      ? `Deregister ${ctx.env.webTargets.length} web server(s) from ${ctx.env.targetGroup.name}`
      : `Deregister the web servers from ${ctx.env.targetGroup.name}`,
  describe: (spec, ctx) => {
    const tg = ctx.env.targetGroup.arn;
    const calls: ApiCall[] = [deregisterCall(tg, ctx.env.webTargets)];
    const note = spec.waitForDrain ? 'until the targets are gone (deregistration delay)' : 'until every web target is draining (no new requests)';
    calls.push({ service: 'elbv2', operation: 'DescribeTargetHealth', params: { TargetGroupArn: tg }, note });
    return calls;
  },
  describeUndo: (_s, ctx) => [registerCall(ctx.env.targetGroup.arn, ctx.env.webTargets), waitHealthyCall(ctx.env.targetGroup.arn)],
  async run(ctx, spec) {
    const tg = ctx.env.targetGroup.arn;
    const targets = await registeredWebTargets(ctx);
    const sent = forApi(ctx.env.targetGroup.targetType, targets);
    if (targets.length > 0) {
      await ctx.mutate(deregisterCall(tg, sent), () => ctx.ports.lb.deregisterTargets(tg, sent), {
        before: { targets: targetJson(targets) },
        outputs: () => ({ targets: targetJson(targets) }),
      });
    }
    const ids = new Set(targets.map((t) => t.id));
    await pollUntil(ctx, {
      what: spec.waitForDrain ? 'the web targets to finish draining' : 'the web targets to be draining',
      read: () => ctx.ports.lb.describeTargetHealth(tg),
      check: (health) => {
        const left = health.filter((h) => ids.has(h.id) && (spec.waitForDrain || !GONE.has(h.state)));
        return left.length === 0 ? true : `${left.length} web target(s) still ${spec.waitForDrain ? 'draining' : 'in service'}`;
      },
      timeoutMs: spec.waitForDrain ? (ctx.env.targetGroup.deregistrationDelaySeconds + 120) * 1000 : ctx.healthyTimeoutMs,
    });
    return { targets: targetJson(mergeTargets(targetsOf(ctx.priorOutputs), targets)) };
  },
  async verify(ctx) {
    const still = await registeredWebTargets(ctx);
    return {
      holds: still.length === 0,
      detail: still.length === 0 ? 'no web target is in service' : `${still.map((t) => t.id).join(', ')} still in service`,
    };
  },
  async undo(ctx, outputs) {
    const targets = forApi(ctx.env.targetGroup.targetType, targetsOf(outputs));
    if (targets.length === 0) return;
    const tg = ctx.env.targetGroup.arn;
    await ctx.mutate(registerCall(tg, targets), () => ctx.ports.lb.registerTargets(tg, targets));
    const ids = new Set(targets.map((t) => t.id));
    await pollUntil(ctx, {
      what: 'the web servers to be healthy again',
      read: () => ctx.ports.lb.describeTargetHealth(tg),
      check: (health) => {
        const healthy = health.filter((h) => ids.has(h.id) && h.state === 'healthy').length;
        return healthy === ids.size ? true : `${healthy}/${ids.size} web targets healthy`;
      },
      timeoutMs: ctx.healthyTimeoutMs,
    });
  },
};
