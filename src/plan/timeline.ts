import type { Runbook, StepSpec } from '../runbook/schema.js';
import type { RunEnvironment } from '../domain/types.js';

/** Seconds from RunInstances until a redirect server that installs packages (nginx, Apache) answers. */
export const DEFAULT_BOOT_SECONDS = 40;
/** Seconds from RunInstances until a server that installs nothing (builtin, preinstalled) answers. */
export const NO_INSTALL_BOOT_SECONDS = 25;
/** Seconds a Route 53 change takes to be INSYNC, typically. */
export const DNS_SYNC_SECONDS = 60;
/** The TTL assumed when the runbook does not give the record's. */
const DEFAULT_DNS_TTL_SECONDS = 300;

/**
 * Seconds from the UPSERT until visitors reach the static site: INSYNC, then resolvers' caches
 * expire within the TTL. The one DNS estimate: the plan's timeline and the strategy comparison both use it.
 */
export function dnsFailoverSeconds(runbook: Runbook): number {
  return DNS_SYNC_SECONDS + (runbook.dns?.ttl ?? DEFAULT_DNS_TTL_SECONDS);
}

export interface StepTiming {
  readonly startsAt: number;
  readonly seconds: number;
}

/** When things happen in a simulated run of the plan, in seconds from its start. */
export interface Timeline {
  readonly steps: readonly StepTiming[];
  readonly total: number;
  readonly webOutAt?: number | undefined;
  readonly redirectHealthyAt?: number | undefined;
  readonly listenerAt?: number | undefined;
  readonly dnsAt?: number | undefined;
  readonly launched: boolean;
  readonly registered: boolean;
}

interface SimState {
  t: number;
  launchedAt?: number;
  registeredAt?: number;
  healthyAt?: number;
  webOutAt?: number;
  listenerAt?: number;
  dnsAt?: number;
}

/** The runbook's bootSeconds, else the default for its server (an install at boot takes longer). */
export function bootSeconds(runbook: Runbook): number {
  const rs = runbook.redirectServer;
  if (rs?.bootSeconds !== undefined) return rs.bootSeconds;
  const installs = rs !== undefined && (rs.server ?? 'builtin') !== 'builtin' && rs.preinstalled !== true;
  return installs ? DEFAULT_BOOT_SECONDS : NO_INSTALL_BOOT_SECONDS;
}

/**
 * A newly registered target must pass one health check to be healthy (ALB behaviour), so it is
 * healthy at most one interval after it is both registered and booted.
 */
function healthyAt(s: SimState, boot: number, interval: number): number | undefined {
  if (s.launchedAt === undefined || s.registeredAt === undefined) return undefined;
  return Math.max(s.registeredAt, s.launchedAt + boot) + interval;
}

function advance(s: SimState, step: StepSpec, runbook: Runbook, env: RunEnvironment): number {
  const boot = bootSeconds(runbook);
  const interval = env.targetGroup.healthCheck.intervalSeconds;
  switch (step.type) {
    case 'launch-redirect':
      s.launchedAt = s.t;
      s.healthyAt = healthyAt(s, boot, interval);
      return Math.min(boot, 25);
    case 'register-redirect':
      s.registeredAt = s.t;
      s.healthyAt = healthyAt(s, boot, interval);
      return 1;
    case 'wait-redirect-healthy':
      return s.healthyAt === undefined ? 0 : Math.max(0, s.healthyAt - s.t);
    case 'deregister-web':
      s.webOutAt ??= s.t;
      return step.waitForDrain ? env.targetGroup.deregistrationDelaySeconds : 2;
    case 'set-listener-redirect':
    case 'set-listener-fixed-response':
      s.listenerAt ??= s.t;
      return 1;
    case 'dns-failover':
      s.dnsAt ??= s.t;
      return DNS_SYNC_SECONDS;
    case 'verify-maintenance':
      // After a DNS change the check sees the static site once cached answers expire.
      return Math.max(3, s.dnsAt === undefined ? 0 : s.dnsAt + dnsFailoverSeconds(runbook) - s.t);
    case 'suspend-scaling':
      return 1;
    case 'manual':
      return 0;
  }
}

/** Simulate the plan's order against the environment's health-check settings. Pure. */
export function simulate(runbook: Runbook, env: RunEnvironment): Timeline {
  const s: SimState = { t: 0 };
  const steps = runbook.steps.map((step) => {
    const startsAt = s.t;
    const seconds = advance(s, step, runbook, env);
    s.t += seconds;
    return { startsAt, seconds };
  });
  return {
    steps,
    total: s.t,
    webOutAt: s.webOutAt,
    redirectHealthyAt: s.healthyAt,
    listenerAt: s.listenerAt,
    dnsAt: s.dnsAt,
    launched: s.launchedAt !== undefined,
    registered: s.registeredAt !== undefined,
  };
}
