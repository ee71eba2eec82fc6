import type { RunEnvironment } from '../../domain/types.js';
import type { CliContext } from '../context.js';
import { scalingLines } from '../plan-text.js';

/** Origin health as text: each target with instance, Name, AZ, port, state and reason; the listener. */
export async function statusText(ctx: CliContext, env: RunEnvironment): Promise<string> {
  const { lb, compute } = ctx.ports;
  const health = await lb.describeTargetHealth(env.targetGroup.arn);
  const ids = health.map((h) => h.id).filter((id) => id.startsWith('i-'));
  const instances = ids.length === 0 ? [] : await compute.describeInstances({ ids, liveOnly: false });
  const names = new Map(instances.map((i) => [i.id, i.tags['Name'] ?? '']));
  const healthy = health.filter((h) => h.state === 'healthy').length;
  const lines = [`Target group ${env.targetGroup.name} (${ctx.region}${env.account ? `, account ${env.account}` : ''}): ${healthy}/${health.length} healthy`];
  lines.push(`  ${'TARGET'.padEnd(22)}${'NAME'.padEnd(24)}${'AZ'.padEnd(14)}${'PORT'.padEnd(6)}${'STATE'.padEnd(11)}REASON`);
  for (const h of health) {
    lines.push(`  ${h.id.padEnd(22)}${(names.get(h.id) ?? '').slice(0, 23).padEnd(24)}${(h.availabilityZone ?? '').padEnd(14)}${String(h.port ?? '').padEnd(6)}${h.state.padEnd(11)}${h.reason ?? ''}`);
  }
  if (ctx.runbook.loadBalancer.listener !== undefined) {
    const listener = await lb.describeListener(ctx.runbook.loadBalancer.listener);
    lines.push(`Listener ${listener.protocol}:${listener.port} default action: ${listener.defaultActions.map((a) => String(a['Type'])).join(', ')}`);
    lines.push(`  ${JSON.stringify(listener.defaultActions)}`);
  }
  lines.push(...scalingLines(env));
  return lines.join('\n');
}
