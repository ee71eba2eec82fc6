import type { TargetGroupInfo } from '../ports/index.js';
import { healthStatusFor } from '../redirect/config.js';
import type { Runbook } from '../runbook/schema.js';
import type { SandboxCompute } from './compute.js';
import type { SandboxLoadBalancer } from './load-balancer.js';
import { listenLocal, originHandler, type OriginHealth, type OriginMode } from './servers.js';
import { newInstanceId, webServerSpecs, type World } from './world.js';

/** The web servers' behaviour switch. */
export interface Origins {
  /** Sets one web server's mode, or every web server's with `'all'`. Throws a RangeError for an id that is not a web server. */
  setMode(instanceId: string | 'all', mode: OriginMode): void;
  /** The web servers' instance ids (the Auto Scaling group's instances). */
  readonly ids: readonly string[];
  /** Starts one more web server (a scale-out): running, not registered; resolves with its id. */
  launch(): Promise<string>;
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
  const start = async (spec: { id: string; tags: Record<string, string> }): Promise<void> => {
    // A server started later runs the same code as the others: it shares their mode.
    modes.set(spec.id, [...modes.values()][0] ?? initial);
    const handler = originHandler(spec.tags['Name'] ?? spec.id, () => modes.get(spec.id) ?? 'dead', health);
    const server = await listenLocal(handler, tg.protocol === 'HTTPS');
    const healthServer = separateHealthPort ? await listenLocal(handler, hc.protocol === 'HTTPS') : undefined;
    compute.addRunning(spec.id, spec.tags, WEB_INSTANCE_TYPE, server, healthServer);
  };
  const specs = webServerSpecs(runbook, count);
  for (const spec of specs) {
    await start(spec);
    lb.registry.addHealthy(spec.id);
  }
  return {
    ids: specs.map((s) => s.id),
    async launch() {
      const id = newInstanceId();
      await start({ id, tags: { Name: `web-${modes.size + 1}`, ...(runbook.webServers.tags ?? {}) } });
      return id;
    },
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
