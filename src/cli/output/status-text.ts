import type { RunEnvironment } from '../../domain/types.js';
import type { InstanceInfo, TargetHealth } from '../../ports/index.js';
import type { CliContext } from '../session/context.js';
import { scalingLines } from './plan-text.js';

/** Each target with its instance (Name tag, AZ), as the dashboard's table has them. */
async function targetsWithInstances(ctx: CliContext, env: RunEnvironment): Promise<{ health: readonly TargetHealth[]; instances: ReadonlyMap<string, InstanceInfo> }> {
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

/** Origin health as text: each target with instance, Name, AZ, port, state and reason; the listener. */
export async function statusText(ctx: CliContext, env: RunEnvironment): Promise<string> {
  const { health, instances } = await targetsWithInstances(ctx, env);
  const healthy = health.filter((h) => h.state === 'healthy').length;
  const lines = [`Target group ${env.targetGroup.name} (${ctx.regionLabel}${env.account ? `, account ${env.account}` : ''}): ${healthy}/${health.length} healthy`];
  lines.push(`  ${'TARGET'.padEnd(22)}${'NAME'.padEnd(24)}${'AZ'.padEnd(14)}${'PORT'.padEnd(6)}${'STATE'.padEnd(11)}REASON`);
  for (const h of health) {
    const instance = instances.get(h.id);
    lines.push(`  ${h.id.padEnd(22)}${(instance?.tags['Name'] ?? '').slice(0, 23).padEnd(24)}${azOf(h, instance).padEnd(14)}${String(h.port ?? '').padEnd(6)}${h.state.padEnd(11)}${h.reason ?? ''}`);
  }
  if (ctx.runbook.loadBalancer.listener !== undefined) {
    const listener = await ctx.ports.lb.describeListener(ctx.runbook.loadBalancer.listener);
    lines.push(`Listener ${listener.protocol}:${listener.port} default action: ${listener.defaultActions.map((a) => String(a['Type'])).join(', ')}`);
    lines.push(`  ${JSON.stringify(listener.defaultActions)}`);
  }
  lines.push(...scalingLines(env));
  return lines.join('\n');
}

/** Origin health for `--json`: the target group, each target with its Name tag and AZ, the listener. */
export async function statusJson(ctx: CliContext, env: RunEnvironment) {
  const { health, instances } = await targetsWithInstances(ctx, env);
  const targets = health.map((h) => ({ ...h, name: instances.get(h.id)?.tags['Name'], availabilityZone: azOf(h, instances.get(h.id)) || undefined }));
  return { region: ctx.region, targetGroup: env.targetGroup, targets, listener: env.listener };
}
