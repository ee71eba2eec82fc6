import type { TargetGroupInfo } from '../ports/index.js';
import { healthStatusFor } from '../redirect/config.js';
import type { Runbook } from '../runbook/schema.js';
import type { SandboxCompute } from './compute.js';
import type { SandboxLoadBalancer } from './load-balancer.js';
import { listenLocal, originHandler, type OriginHealth, type OriginMode } from './servers.js';
import { webServerSpecs, type World } from './world.js';

/** The web servers' behaviour switch. */
export interface Origins {
  /** Sets one web server's mode, or every web server's with `'all'`. Throws a RangeError for an id that is not a web server. */
  setMode(instanceId: string | 'all', mode: OriginMode): void;
}

/** The instance type the simulated web servers report. */
export const WEB_INSTANCE_TYPE = 'm5.large';

/**
 * Starts the runbook's web servers: each a running instance with a real local server (HTTPS for an
 * HTTPS target group; a second one on a separate health-check port), registered in the target
 * group and already healthy: they answer its health check as its matcher wants. With the
 * `origin-500` fault they start in `error` mode.
 */
export async function startOrigins(
  runbook: Runbook,
  count: number,
  world: World,
  compute: SandboxCompute,
  lb: SandboxLoadBalancer,
  tg: TargetGroupInfo,
): Promise<Origins> {
  const hc = tg.healthCheck;
  const health: OriginHealth = { path: hc.path ?? '/', status: healthStatusFor(hc.matcher, 302) };
  const separateHealthPort = hc.port !== 'traffic-port' && Number(hc.port) !== tg.port;
  const initial: OriginMode = world.faults.has('origin-500') ? 'error' : 'ok';
  const modes = new Map<string, OriginMode>();
  for (const spec of webServerSpecs(runbook, count)) {
    modes.set(spec.id, initial);
    const handler = originHandler(spec.tags['Name'] ?? spec.id, () => modes.get(spec.id) ?? 'dead', health);
    const server = await listenLocal(handler, tg.protocol === 'HTTPS');
    const healthServer = separateHealthPort ? await listenLocal(handler, hc.protocol === 'HTTPS') : undefined;
    compute.addRunning(spec.id, spec.tags, WEB_INSTANCE_TYPE, server, healthServer);
    lb.registry.addHealthy(spec.id);
  }
  return {
    setMode(instanceId, mode) {
      if (instanceId === 'all') {
        for (const id of modes.keys()) modes.set(id, mode);
        return;
      }
      if (!modes.has(instanceId)) throw new RangeError(`${instanceId} is not one of the sandbox's web servers`);
      modes.set(instanceId, mode);
    },
  };
}
