import type { Target, TargetGroupInfo, TargetHealth } from '../ports/index.js';
import { alreadyHealthy, applyCheck, checkTarget, DRAINING, REGISTERING, type HealthState } from './health-checker.js';
import { REALISTIC } from './timing.js';
import type { World } from './world.js';

/** Floor for a health check's timeout in wall-clock ms, so high speeds do not fail checks on a busy machine. */
export const MIN_CHECK_TIMEOUT_MS = 250;

interface Registration {
  readonly id: string;
  readonly port: number;
  health: HealthState;
  timer: NodeJS.Timeout | undefined;
}

/** A target the front may send a request to. */
export interface RoutableTarget {
  readonly id: string;
  /** The instance's local server, `http://127.0.0.1:PORT`, or undefined when it has none (connection refused). */
  readonly origin: string | undefined;
}

/**
 * The target group's registrations, keyed by instance id and port as in ELBv2. Each registered
 * target is health-checked over real HTTP: first `firstCheckSeconds` after registration, then every
 * `intervalSeconds` (÷ speed). A deregistered target drains for the deregistration delay, then is gone.
 */
export class TargetRegistry {
  readonly #world: World;
  readonly #group: TargetGroupInfo;
  readonly #targets = new Map<string, Registration>();
  #cursor = 0;

  constructor(world: World, group: TargetGroupInfo) {
    this.#world = world;
    this.#group = group;
  }

  /** Registers a target that was healthy before the simulation began (the web servers). */
  addHealthy(id: string): void {
    const registration = this.#put(id, this.#group.port, alreadyHealthy(this.#group.healthCheck));
    this.#schedule(registration, this.#world.timing.ms(this.#group.healthCheck.intervalSeconds));
  }

  register(target: Target): void {
    const port = target.port ?? this.#group.port;
    const existing = this.#targets.get(keyOf(target.id, port));
    if (existing !== undefined && existing.health.state !== 'draining') return;
    if (existing !== undefined) this.#world.timers.cancel(existing.timer);
    const registration = this.#put(target.id, port, REGISTERING);
    this.#schedule(registration, this.#world.timing.ms(REALISTIC.firstCheckSeconds));
  }

  deregister(target: Target): void {
    const registration = this.#targets.get(keyOf(target.id, target.port ?? this.#group.port));
    if (registration === undefined || registration.health.state === 'draining') return;
    this.#world.timers.cancel(registration.timer);
    registration.health = DRAINING;
    registration.timer = this.#world.timers.after(this.#world.timing.ms(this.#group.deregistrationDelaySeconds), () => {
      if (this.#targets.get(keyOf(registration.id, registration.port)) === registration) {
        this.#targets.delete(keyOf(registration.id, registration.port));
      }
    });
  }

  /** Deregisters every registration of an instance (it is shutting down). */
  deregisterInstance(instanceId: string): void {
    for (const r of [...this.#targets.values()]) if (r.id === instanceId) this.deregister({ id: r.id, port: r.port });
  }

  health(): TargetHealth[] {
    const zoneOf = (id: string): string | undefined => this.#world.instances.get(id)?.availabilityZone;
    return [...this.#targets.values()].map((r) => ({
      id: r.id,
      port: r.port,
      availabilityZone: zoneOf(r.id),
      state: r.health.state,
      reason: r.health.reason,
      description: r.health.description,
    }));
  }

  /**
   * Round robin over healthy targets. With none healthy, an ALB fails open to every registered
   * target only when all of them are unhealthy; targets still `initial` or `draining` get no new
   * requests, so with only those (or nothing) registered the answer is undefined (a 503).
   */
  next(): RoutableTarget | undefined {
    const live = [...this.#targets.values()].filter((r) => r.health.state !== 'draining');
    const healthy = live.filter((r) => r.health.state === 'healthy');
    const allUnhealthy = live.length > 0 && live.every((r) => r.health.state === 'unhealthy');
    const pool = healthy.length > 0 ? healthy : allUnhealthy ? live : [];
    if (pool.length === 0) return undefined;
    this.#cursor = (this.#cursor + 1) % pool.length;
    const chosen = pool[this.#cursor]!;
    return { id: chosen.id, origin: this.#originOf(chosen.id) };
  }

  #put(id: string, port: number, health: HealthState): Registration {
    const registration: Registration = { id, port, health, timer: undefined };
    this.#targets.set(keyOf(id, port), registration);
    return registration;
  }

  #originOf(id: string): string | undefined {
    const instance = this.#world.instances.get(id);
    return instance?.state === 'running' ? instance.server?.origin : undefined;
  }

  /** The local port of the server a running instance has for the checked port (its own one when the check has a port of its own). */
  #healthPortOf(id: string): number | undefined {
    const instance = this.#world.instances.get(id);
    if (instance?.state !== 'running') return undefined;
    return (this.#group.healthCheck.port === 'traffic-port' ? instance.server : instance.healthServer)?.port;
  }

  #schedule(registration: Registration, delayMs: number): void {
    registration.timer = this.#world.timers.after(delayMs, () => {
      this.#schedule(registration, this.#world.timing.ms(this.#group.healthCheck.intervalSeconds));
      void this.#check(registration);
    });
  }

  async #check(registration: Registration): Promise<void> {
    const settings = this.#group.healthCheck;
    const timeoutMs = Math.max(this.#world.timing.ms(settings.timeoutSeconds), MIN_CHECK_TIMEOUT_MS);
    const outcome = await checkTarget(this.#healthPortOf(registration.id), settings, timeoutMs);
    const current = this.#targets.get(keyOf(registration.id, registration.port)) === registration;
    if (current && registration.health.state !== 'draining')
      registration.health = applyCheck(registration.health, outcome, settings);
  }
}

function keyOf(id: string, port: number): string {
  return `${id}:${port}`;
}
