import type { Runbook } from '../runbook/schema.js';
import type { SandboxCompute } from './compute.js';
import type { SandboxLoadBalancer } from './load-balancer.js';
import { listenLocal, originHandler, type OriginMode } from './servers.js';
import { webServerSpecs, type World } from './world.js';

/** The web servers' behaviour switch. */
export interface Origins {
  /** Sets one web server's mode, or every web server's with `'all'`. Throws a RangeError for an id that is not a web server. */
  setMode(instanceId: string | 'all', mode: OriginMode): void;
}

/** The instance type the simulated web servers report. */
export const WEB_INSTANCE_TYPE = 'm5.large';

/**
 * Starts the runbook's web servers: each a running instance with a real local server, registered
 * in the target group and already healthy. With the `origin-500` fault they start in `error` mode.
 */
export async function startOrigins(
  runbook: Runbook,
  count: number,
  world: World,
  compute: SandboxCompute,
  lb: SandboxLoadBalancer,
): Promise<Origins> {
  const initial: OriginMode = world.faults.has('origin-500') ? 'error' : 'ok';
  const modes = new Map<string, OriginMode>();
  for (const spec of webServerSpecs(runbook, count)) {
    modes.set(spec.id, initial);
    const server = await listenLocal(originHandler(spec.tags['Name'] ?? spec.id, () => modes.get(spec.id) ?? 'dead'));
    compute.addRunning(spec.id, spec.tags, WEB_INSTANCE_TYPE, server);
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
