import type { ApiCall } from '../domain/types.js';
import type { InstanceInfo } from '../ports/index.js';
import { pollUntil } from './poll.js';
import { redirectConfigOf } from './redirect-server.js';
import { findSpares, matchingSpare } from './spare.js';
import type { StepContext } from './types.js';

/** The spare for this config when it is already started (by an earlier attempt of this step). */
export async function startedSpare(ctx: StepContext, read = true): Promise<InstanceInfo | undefined> {
  const spares = read
    ? await ctx.read(() => findSpares(ctx.ports.compute, ctx.runbook.name))
    : await findSpares(ctx.ports.compute, ctx.runbook.name);
  const spare = matchingSpare(spares, redirectConfigOf(ctx));
  return spare?.state === 'running' || spare?.state === 'pending' ? spare : undefined;
}

/**
 * Start the prepared spare (after a stop still in progress): no install, no way out needed.
 * StartInstances of a started instance changes nothing, so a retry is safe.
 */
export async function startSpare(ctx: StepContext, spare: InstanceInfo): Promise<InstanceInfo> {
  ctx.progress(`starting the prepared spare ${spare.id} instead of launching`);
  if (spare.state === 'stopping') {
    await pollUntil(ctx, {
      what: `${spare.id} to finish stopping`,
      read: () => ctx.ports.compute.describeInstances({ ids: [spare.id], liveOnly: false }),
      check: (found) => (found[0]?.state === 'stopped' ? true : `${spare.id}: ${found[0]?.state ?? 'not visible'}`),
      timeoutMs: ctx.healthyTimeoutMs,
    });
  }
  if (spare.state === 'stopped' || spare.state === 'stopping') {
    const call: ApiCall = {
      service: 'ec2',
      operation: 'StartInstances',
      params: { InstanceIds: [spare.id] },
      note: 'the prepared spare',
    };
    await ctx.mutate(call, () => ctx.ports.compute.startInstances([spare.id]), {
      outputs: () => ({ instanceId: spare.id, spare: true }),
    });
  }
  return spare;
}

/** Undo of a started spare: stop it (it is ready for next time). Already stopped is done. */
export async function stopSpare(ctx: StepContext, id: string): Promise<string | undefined> {
  const [found] = await ctx.read(() => ctx.ports.compute.describeInstances({ ids: [id], liveOnly: true }));
  if (found === undefined) return `the spare ${id} is gone`;
  if (found.state === 'stopped' || found.state === 'stopping') return `the spare ${id} is already ${found.state}`;
  const call: ApiCall = {
    service: 'ec2',
    operation: 'StopInstances',
    params: { InstanceIds: [id] },
    note: 'the spare, ready for next time',
  };
  await ctx.mutate(call, () => ctx.ports.compute.stopInstances([id]));
}
