import type { RunEnvironment } from '../../domain/types.js';
import type { InstanceInfo, TargetHealth } from '../../ports/index.js';
import type { CliContext } from '../session/context.js';
import { scalingLines } from './plan-text.js';
import {
  hotspareTargetsOf,
  roleCounts,
  roleCountsText,
  roleOf,
  runInEffectText,
  runsInEffect,
  strayDanger,
  unaccounted,
  type OwnRun,
} from '../../plan/hotspare-targets.js';

/** Each target with its instance (Name tag, AZ), as the dashboard's table has them. */
async function targetsWithInstances(
  ctx: CliContext,
  env: RunEnvironment,
): Promise<{ health: readonly TargetHealth[]; instances: ReadonlyMap<string, InstanceInfo> }> {
  const { lb, compute } = ctx.ports;
  const health = await lb.describeTargetHealth(env.targetGroup.arn);
  const ids = health.map((h) => h.id).filter((id) => id.startsWith('i-'));
  const instances = ids.length === 0 ? [] : await compute.describeInstances({ ids, liveOnly: false });
  return { health, instances: new Map(instances.map((i) => [i.id, i])) };
}

/** The target's AZ: ELBv2 names it for IP targets, the instance's placement otherwise (as the dashboard shows it). */
function azOf(h: TargetHealth, instance: InstanceInfo | undefined): string {
  return h.availabilityZone ?? instance?.availabilityZone ?? '';
}

/** What the targets are (web servers, hotspare instances) and what AWS's tags say is in effect. */
function rolesOf(
  env: RunEnvironment,
  health: readonly TargetHealth[],
  instances: ReadonlyMap<string, InstanceInfo>,
  own: OwnRun,
) {
  const webIds = new Set(env.webInstances.map((i) => i.id));
  const all = [...instances.values()];
  const tagged = hotspareTargetsOf(health, all);
  const ownRuns = new Set(own.runId === undefined ? [] : [own.runId]);
  const mine = new Set(own.instanceIds ?? []);
  const runs = runsInEffect(tagged).map((run) => ({
    ...run,
    ours: ownRuns.has(run.runId) || run.instances.every((i) => mine.has(i.id)),
  }));
  const stray = unaccounted(tagged, own);
  const registered = health.filter((h) => h.state !== 'draining').length;
  return {
    role: (id: string) => roleOf(instances.get(id), webIds.has(id)),
    counts: roleCounts(health, all, (id) => webIds.has(id)),
    runs,
    danger: strayDanger(stray, registered, env.targetGroup.arn),
  };
}

/**
 * Origin health as text: the counts by role, each target with instance, role, Name, AZ, port, state
 * and reason; hotspare runs in effect as AWS's tags show them (a danger when no run in progress here
 * accounts for them); the listener.
 */
export async function statusText(ctx: CliContext, env: RunEnvironment, own: OwnRun = {}): Promise<string> {
  const { health, instances } = await targetsWithInstances(ctx, env);
  const roles = rolesOf(env, health, instances, own);
  const lines = [
    `Target group ${env.targetGroup.name} (${ctx.regionLabel}${env.account ? `, account ${env.account}` : ''}): ${roleCountsText(roles.counts)}`,
  ];
  lines.push(
    `  ${'TARGET'.padEnd(22)}${'ROLE'.padEnd(10)}${'NAME'.padEnd(24)}${'AZ'.padEnd(14)}${'PORT'.padEnd(6)}${'STATE'.padEnd(11)}REASON`,
  );
  for (const h of health) {
    const instance = instances.get(h.id);
    lines.push(
      `  ${h.id.padEnd(22)}${roles.role(h.id).padEnd(10)}${(instance?.tags['Name'] ?? '').slice(0, 23).padEnd(24)}${azOf(h, instance).padEnd(14)}${String(h.port ?? '').padEnd(6)}${h.state.padEnd(11)}${h.reason ?? ''}`,
    );
  }
  if (roles.danger !== undefined) lines.push(`DANGER: ${roles.danger}`);
  for (const run of roles.runs.filter((r) => r.ours))
    lines.push(`In effect (AWS tags): ${runInEffectText(run)} — the run in this journal directory`);
  if (ctx.runbook.loadBalancer.listener !== undefined) {
    const listener = await ctx.ports.lb.describeListener(ctx.runbook.loadBalancer.listener);
    lines.push(
      `Listener ${listener.protocol}:${listener.port} default action: ${listener.defaultActions.map((a) => String(a['Type'])).join(', ')}`,
    );
    lines.push(`  ${JSON.stringify(listener.defaultActions)}`);
  }
  lines.push(...scalingLines(env));
  return lines.join('\n');
}

/**
 * Origin health for `--json`: the target group, each target with its role, Name tag and AZ, the
 * counts by role, the runs AWS's tags show in effect (`ours`: the run in this journal directory),
 * the danger (or null), the listener.
 */
export async function statusJson(ctx: CliContext, env: RunEnvironment, own: OwnRun = {}) {
  const { health, instances } = await targetsWithInstances(ctx, env);
  const roles = rolesOf(env, health, instances, own);
  const targets = health.map((h) => ({
    ...h,
    role: roles.role(h.id),
    name: instances.get(h.id)?.tags['Name'],
    availabilityZone: azOf(h, instances.get(h.id)) || undefined,
  }));
  return {
    region: ctx.region,
    targetGroup: env.targetGroup,
    targets,
    counts: roles.counts,
    runsInEffect: roles.runs,
    danger: roles.danger ?? null,
    listener: env.listener,
  };
}
