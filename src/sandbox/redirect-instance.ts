import type { RedirectConfig } from '../ports/index.js';
import type { ImageOs } from '../redirect/image.js';
import { installsAtBoot } from '../redirect/way-out.js';
import { listenLocal, redirectHandler, type LocalServer } from './servers.js';
import { REALISTIC } from './timing.js';

/**
 * What a simulated redirect instance does at boot, as its user data would on AWS: nothing runs on
 * Windows; nginx and Apache are installed first (which needs a way out of the subnet, unless the
 * image has them or the spare installed them when it was prepared); the builtin server needs only
 * the image's python3, which every simulated Linux image has.
 */
export function serverComesUp(
  os: ImageOs,
  config: RedirectConfig,
  routeOut: boolean,
  installedBefore: boolean,
): boolean {
  if (os === 'windows' || os === 'unknown') return false;
  return installedBefore || !installsAtBoot(config) || routeOut;
}

/** Realistic seconds from RunInstances to the server answering: the boot, plus the install when there is one. */
export function firstBootSeconds(config: RedirectConfig, bootSeconds: number | undefined): number {
  return bootSeconds ?? REALISTIC.bootSeconds + (installsAtBoot(config) ? REALISTIC.installSeconds : 0);
}

/** The local servers of one redirect instance: the target group's port, and the health-check port when it is another. */
export interface RedirectServers {
  readonly server: LocalServer;
  readonly healthServer?: LocalServer | undefined;
}

/** Starts what the user data starts: a server per port, HTTPS where the target group speaks it, every answer from `redirect/decision.ts`. */
export async function startRedirectServers(config: RedirectConfig, healthy: () => boolean): Promise<RedirectServers> {
  const { traffic, healthCheck } = config;
  const server = await listenLocal(redirectHandler(config, traffic.port, healthy), traffic.protocol === 'HTTPS');
  if (healthCheck.port === traffic.port) return { server };
  try {
    const healthServer = await listenLocal(
      redirectHandler(config, healthCheck.port, healthy),
      healthCheck.protocol === 'HTTPS',
    );
    return { server, healthServer };
  } catch (error) {
    await server.close();
    throw error;
  }
}
