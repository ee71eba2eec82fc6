import type { ApiCall, Json, StepOutputs } from '../domain/types.js';
import { FREEZE_PROCESSES, groupsTouching } from '../domain/scaling.js';
import type { ScalingGroup } from '../ports/scaling.js';
import type { StepSpecOf } from '../runbook/schema.js';
import type { StepContext, StepDefinition } from './types.js';
import type * as z from 'zod';
import { SCALING_KEY, suspension, suspendScalingJournal } from './suspend-scaling.journal.js';
import { stateOf } from './journal-contract.js';

type Spec = StepSpecOf<'suspend-scaling'>;

/** Compensation key of one group: what hotspare suspended there, and what was suspended already. */
const KEY = SCALING_KEY;

type Suspension = z.output<typeof suspension>;

function suspendCall(group: string, processes: readonly string[]): ApiCall {
  return {
    service: 'autoscaling',
    operation: 'SuspendProcesses',
    params: { AutoScalingGroupName: group, ScalingProcesses: [...processes] },
  };
}

function resumeCall(group: string, processes: readonly string[]): ApiCall {
  return {
    service: 'autoscaling',
    operation: 'ResumeProcesses',
    params: { AutoScalingGroupName: group, ScalingProcesses: [...processes] },
  };
}

/** The groups touching the run's target group or web servers, read now. */
async function touching(ctx: StepContext, read: boolean): Promise<ScalingGroup[]> {
  const all = read
    ? await ctx.read(() => ctx.ports.scaling.describeGroups())
    : await ctx.ports.scaling.describeGroups();
  return groupsTouching(
    all,
    ctx.env.targetGroup.arn,
    ctx.env.webInstances.map((i) => i.id),
  );
}

function missing(group: ScalingGroup): string[] {
  return FREEZE_PROCESSES.filter((p) => !group.suspended.includes(p));
}

function suspensions(outputs: StepOutputs): [string, Suspension][] {
  const state = stateOf(suspendScalingJournal, outputs) as Record<string, unknown>;
  return Object.keys(state)
    .filter((key) => key.startsWith(KEY))
    .map((key) => [key.slice(KEY.length), suspension.parse(state[key])]);
}

/**
 * Freezes the Auto Scaling groups that could undo the failover (launching, replacing or registering
 * instances into the target group) by suspending FREEZE_PROCESSES. Which processes were suspended
 * already is journaled with each call, so rollback resumes only the ones hotspare suspended.
 */
export const suspendScaling: StepDefinition<Spec> = {
  type: 'suspend-scaling',
  journal: suspendScalingJournal,
  mutating: true,
  title: (_s, ctx) => {
    const groups = ctx.env.scalingGroups;
    if (groups === undefined) return 'Suspend the Auto Scaling processes that would undo the failover';
    return groups.length === 0
      ? 'Suspend Auto Scaling (no group touches the target group)'
      : `Suspend Auto Scaling of ${groups.map((g) => g.name).join(', ')}`;
  },
  describe: (_s, ctx) => [
    {
      service: 'autoscaling',
      operation: 'DescribeAutoScalingGroups',
      params: {},
      note: 'the groups attached to the target group or owning a web server; journal what is suspended already',
    },
    ...(
      ctx.env.scalingGroups ?? [
        { name: '<each such group>', suspended: [] as string[] } as Pick<ScalingGroup, 'name' | 'suspended'>,
      ]
    ).map((g) =>
      suspendCall(
        g.name,
        FREEZE_PROCESSES.filter((p) => !g.suspended.includes(p)),
      ),
    ),
  ],
  describeUndo: (_s, ctx) =>
    (ctx.env.scalingGroups ?? [{ name: '<each such group>' }]).map((g) => ({
      ...resumeCall(g.name, ['<only the processes hotspare suspended>']),
    })),
  async run(ctx) {
    const groups = await touching(ctx, true);
    if (groups.length === 0) ctx.progress('no Auto Scaling group touches the target group or the web servers');
    for (const group of groups) {
      const toSuspend = missing(group);
      if (toSuspend.length === 0) continue;
      const suspension: Suspension = {
        suspendedByHotspare: toSuspend,
        alreadySuspended: group.suspended.filter((p) => (FREEZE_PROCESSES as readonly string[]).includes(p)),
      };
      await ctx.mutate(
        suspendCall(group.name, toSuspend),
        () => ctx.ports.scaling.suspendProcesses(group.name, toSuspend),
        {
          before: { [`${KEY}${group.name}`]: suspension as unknown as Json },
        },
      );
    }
    return { groups: groups.map((g) => g.name) };
  },
  async verify(ctx) {
    const groups = await touching(ctx, false);
    const loose = groups.filter((g) => missing(g).length > 0);
    return {
      holds: loose.length === 0,
      detail:
        groups.length === 0
          ? 'no Auto Scaling group touches the target group'
          : loose.length === 0
            ? `${groups.map((g) => g.name).join(', ')}: frozen`
            : loose.map((g) => `${g.name} still runs ${missing(g).join(', ')}`).join('; '),
    };
  },
  /** Resumes, in each group, the processes hotspare suspended that are still suspended; those suspended before the run stay so. */
  async undo(ctx, outputs) {
    const journaled = suspensions(outputs);
    if (journaled.length === 0) return 'nothing was suspended';
    const now = new Map((await ctx.read(() => ctx.ports.scaling.describeGroups())).map((g) => [g.name, g]));
    const notes: string[] = [];
    for (const [name, s] of journaled) {
      const current = now.get(name);
      if (current === undefined) {
        notes.push(`${name} no longer exists`);
        continue;
      }
      const toResume = s.suspendedByHotspare.filter(
        (p) => current.suspended.includes(p) && !s.alreadySuspended.includes(p),
      );
      if (toResume.length === 0) continue;
      await ctx.mutate(resumeCall(name, toResume), () => ctx.ports.scaling.resumeProcesses(name, toResume));
    }
    return notes.length === 0 ? undefined : notes.join('; ');
  },
};
