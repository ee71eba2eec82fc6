import type { Target, TargetHealth } from '../ports/index.js';
import type { StepSpecOf } from '../runbook/schema.js';
import { pollUntil } from './poll.js';
import { deregisterCall, forApi, registerCall, targetJson, targetsOf } from './targets.js';
import type { ApiCall } from '../domain/types.js';
import type { StepContext, StepDefinition } from './types.js';
import { deregisterWebJournal } from './targets.journal.js';
import { stateOf } from './journal-contract.js';

type Spec = StepSpecOf<'deregister-web'>;

const GONE = new Set(['draining', 'unused']);

/** The web targets still in service in a health listing (not draining), as registered (port, AZ). */
function inService(ctx: StepContext, health: readonly TargetHealth[]): Target[] {
  const web = new Set(ctx.env.webTargets.map((t) => t.id));
  return health
    .filter((h) => web.has(h.id) && !GONE.has(h.state))
    .map((h) => ({ id: h.id, port: h.port, availabilityZone: h.availabilityZone }));
}

function waitHealthyCall(tgArn: string): ApiCall {
  return {
    service: 'elbv2',
    operation: 'DescribeTargetHealth',
    params: { TargetGroupArn: tgArn },
    note: 'every few seconds until the web servers are healthy',
  };
}

/** Wait until every target in `ids` is healthy again. */
function waitHealthy(ctx: StepContext, tg: string, ids: ReadonlySet<string>): Promise<unknown> {
  return pollUntil(ctx, {
    what: 'the web servers to be healthy again',
    read: () => ctx.ports.lb.describeTargetHealth(tg),
    check: (health) => {
      const healthy = health.filter((h) => ids.has(h.id) && h.state === 'healthy').length;
      return healthy === ids.size ? true : `${healthy}/${ids.size} web targets healthy`;
    },
    timeoutMs: ctx.healthyTimeoutMs,
  });
}

/**
 * The journaled targets whose instance can still serve: one terminated or stopped since (replaced
 * by Auto Scaling, say) cannot be registered and is left out, with a note. IP targets are kept.
 */
async function stillRunning(ctx: StepContext, targets: readonly Target[]): Promise<Target[]> {
  const ids = targets.map((t) => t.id).filter((id) => id.startsWith('i-'));
  if (ids.length === 0) return [...targets];
  const instances = await ctx.read(() => ctx.ports.compute.describeInstances({ ids, liveOnly: false }));
  const gone = new Set(instances.filter((i) => i.state !== 'running' && i.state !== 'pending').map((i) => `${i.id}`));
  for (const id of gone) ctx.progress(`${id} is no longer running: not registered again`);
  return targets.filter((t) => !gone.has(t.id));
}

export const deregisterWeb: StepDefinition<Spec> = {
  type: 'deregister-web',
  journal: deregisterWebJournal,
  mutating: true,
  title: (_s, ctx) =>
    ctx.env.discovered
      ? `Deregister ${ctx.env.webTargets.length} web server(s) from ${ctx.env.targetGroup.name}`
      : `Deregister the web servers from ${ctx.env.targetGroup.name}`,
  describe: (spec, ctx) => {
    const tg = ctx.env.targetGroup.arn;
    const calls: ApiCall[] = [deregisterCall(tg, forApi(ctx.env.targetGroup.targetType, ctx.env.webTargets))];
    const note = spec.waitForDrain
      ? 'until the targets are gone (deregistration delay)'
      : 'until every web target is draining (no new requests)';
    calls.push({ service: 'elbv2', operation: 'DescribeTargetHealth', params: { TargetGroupArn: tg }, note });
    return calls;
  },
  describeUndo: (_s, ctx) => [
    registerCall(ctx.env.targetGroup.arn, forApi(ctx.env.targetGroup.targetType, ctx.env.webTargets)),
    waitHealthyCall(ctx.env.targetGroup.arn),
  ],
  async run(ctx, spec) {
    const tg = ctx.env.targetGroup.arn;
    const targets = inService(ctx, await ctx.read(() => ctx.ports.lb.describeTargetHealth(tg)));
    const sent = forApi(ctx.env.targetGroup.targetType, targets);
    if (targets.length > 0) {
      // What rollback registers again. Recorded once: a retry after this call went through finds
      // nothing left in service, and the engine keeps this first list (see engine/compensation.ts).
      await ctx.mutate(deregisterCall(tg, sent), () => ctx.ports.lb.deregisterTargets(tg, sent), {
        before: { targets: targetJson(targets) },
      });
    }
    const ids = new Set(targets.map((t) => t.id));
    await pollUntil(ctx, {
      what: spec.waitForDrain ? 'the web targets to finish draining' : 'the web targets to be draining',
      read: () => ctx.ports.lb.describeTargetHealth(tg),
      check: (health) => {
        const left = health.filter((h) => ids.has(h.id) && (spec.waitForDrain || !GONE.has(h.state)));
        return left.length === 0
          ? true
          : `${left.length} web target(s) still ${spec.waitForDrain ? 'draining' : 'in service'}`;
      },
      timeoutMs: spec.waitForDrain
        ? (ctx.env.targetGroup.deregistrationDelaySeconds + 120) * 1000
        : ctx.healthyTimeoutMs,
    });
    return {};
  },
  async verify(ctx) {
    const still = inService(ctx, await ctx.ports.lb.describeTargetHealth(ctx.env.targetGroup.arn));
    return {
      holds: still.length === 0,
      detail:
        still.length === 0 ? 'no web target is in service' : `${still.map((t) => t.id).join(', ')} still in service`,
    };
  },
  /**
   * Registers again every journaled web target that is not in service now (a draining one included:
   * registering it cancels the drain), then waits until all of them are healthy. Running it again
   * registers nothing twice.
   */
  async undo(ctx, outputs) {
    const tg = ctx.env.targetGroup.arn;
    // Independent reads, sent together: the rollback's first change waits for one round trip, not two.
    const [journaled, health] = await Promise.all([
      stillRunning(ctx, targetsOf(stateOf(deregisterWebJournal, outputs).targets)),
      ctx.read(() => ctx.ports.lb.describeTargetHealth(tg)),
    ]);
    if (journaled.length === 0) return 'no web server to register again';
    const serving = new Set(health.filter((h) => !GONE.has(h.state)).map((h) => h.id));
    const missing = forApi(
      ctx.env.targetGroup.targetType,
      journaled.filter((t) => !serving.has(t.id)),
    );
    if (missing.length > 0)
      await ctx.mutate(registerCall(tg, missing), () => ctx.ports.lb.registerTargets(tg, missing));
    await waitHealthy(ctx, tg, new Set(journaled.map((t) => t.id)));
    return missing.length === 0 ? 'the web servers were already registered' : undefined;
  },
};
