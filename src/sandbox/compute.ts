import { randomUUID } from 'node:crypto';
import type { CallReceipt, Compute, InstanceInfo, InstanceQuery, LaunchResult, LaunchSpec } from '../ports/index.js';
import { insufficientCapacity, notFound } from '../ports/failures.js';
import { listenLocal, redirectHandler } from './servers.js';
import { REALISTIC } from './timing.js';
import { newInstanceId, newPrivateIp, type SimInstance, type World } from './world.js';

export interface ComputeOptions {
  /** The runbook's primary redirect instance type: the one the `capacity` fault refuses. */
  readonly primaryInstanceType?: string | undefined;
  /** Realistic seconds from RunInstances to running (default 25). */
  readonly bootSeconds?: number | undefined;
  /** Told when an instance starts shutting down, so the load balancer deregisters it like AWS does. */
  readonly onShutdown: (instanceId: string) => void;
}

/**
 * EC2 in memory. Launched instances are `pending` for the boot time (25 s ÷ speed), then `running`
 * with a real redirect server on 127.0.0.1; terminated ones are `shutting-down` for 5 s ÷ speed,
 * then `terminated` (and stay visible, as in EC2). RunInstances is idempotent per ClientToken.
 */
export class SandboxCompute implements Compute {
  readonly #world: World;
  readonly #options: ComputeOptions;
  readonly #byToken = new Map<string, string>();
  readonly #bootTimers = new Map<string, NodeJS.Timeout | undefined>();

  constructor(world: World, options: ComputeOptions) {
    this.#world = world;
    this.#options = options;
  }

  async describeInstances(query: InstanceQuery): Promise<readonly InstanceInfo[]> {
    this.#world.faults.describeCall('DescribeInstances');
    const all = [...this.#world.instances.values()];
    for (const id of query.ids ?? []) if (!this.#world.instances.has(id)) throw notFound('Instance', id);
    const liveOnly = query.liveOnly ?? true;
    return all
      .filter((i) => query.ids === undefined || query.ids.includes(i.id))
      .filter((i) => Object.entries(query.tags ?? {}).every(([k, v]) => i.tags[k] === v))
      .filter((i) => !liveOnly || (i.state !== 'terminated' && i.state !== 'shutting-down'))
      .map(infoOf);
  }

  async runInstance(spec: LaunchSpec): Promise<LaunchResult> {
    const previous = this.#byToken.get(spec.clientToken);
    const known = previous === undefined ? undefined : this.#world.instances.get(previous);
    if (known !== undefined) return { requestId: randomUUID(), instance: infoOf(known) };
    this.#checkResources(spec);
    if (this.#world.faults.has('capacity') && spec.instanceType === this.#options.primaryInstanceType) {
      throw insufficientCapacity(spec.instanceType, this.#world.ids.availabilityZone);
    }
    const instance = this.#create(spec);
    this.#byToken.set(spec.clientToken, instance.id);
    this.#boot(instance, spec);
    return { requestId: randomUUID(), instance: infoOf(instance) };
  }

  async checkLaunch(spec: LaunchSpec): Promise<void> {
    this.#checkResources(spec);
  }

  async terminateInstances(ids: readonly string[]): Promise<CallReceipt> {
    for (const id of ids) if (!this.#world.instances.has(id)) throw notFound('Instance', id);
    for (const id of ids) this.#terminate(this.#world.instances.get(id)!);
    return { requestId: randomUUID() };
  }

  /** Adds a running instance (a web server) whose server is already listening. */
  addRunning(id: string, tags: Record<string, string>, instanceType: string, server: SimInstance['server']): SimInstance {
    const instance = this.#newInstance(id, instanceType, tags);
    instance.state = 'running';
    instance.server = server;
    this.#world.instances.set(id, instance);
    return instance;
  }

  #checkResources(spec: LaunchSpec): void {
    const ids = this.#world.ids;
    if (!ids.imageIds.has(spec.imageId)) throw notFound('AMI', spec.imageId);
    if (!ids.subnetIds.has(spec.subnetId)) throw notFound('Subnet', spec.subnetId);
    const badGroup = spec.securityGroupIds.find((sg) => !ids.securityGroupIds.has(sg));
    if (badGroup !== undefined) throw notFound('Security Group', badGroup);
    if (spec.keyName !== undefined && !ids.keyNames.has(spec.keyName)) throw notFound('Key Pair', spec.keyName);
  }

  #newInstance(id: string, instanceType: string, tags: Record<string, string>): SimInstance {
    return {
      id,
      state: 'pending',
      instanceType,
      availabilityZone: this.#world.ids.availabilityZone,
      privateIpAddress: newPrivateIp(),
      launchTime: new Date().toISOString(),
      tags: { ...tags },
      server: undefined,
    };
  }

  #create(spec: LaunchSpec): SimInstance {
    const instance = this.#newInstance(newInstanceId(), spec.instanceType, { ...spec.tags });
    this.#world.instances.set(instance.id, instance);
    return instance;
  }

  /** pending -> running once the redirect server listens. */
  #boot(instance: SimInstance, spec: LaunchSpec): void {
    const { timing, timers, faults } = this.#world;
    const bootMs = timing.ms(this.#options.bootSeconds ?? REALISTIC.bootSeconds);
    const timer = timers.after(bootMs, () => {
      this.#bootTimers.delete(instance.id);
      const starting = listenLocal(redirectHandler(spec.redirect, () => !faults.has('redirect-unhealthy'))).then(async (server) => {
        if (instance.state !== 'pending' || timers.stopped) return server.close();
        instance.server = server;
        instance.state = 'running';
      });
      this.#world.pending.add(starting);
      void starting.finally(() => this.#world.pending.delete(starting));
    });
    this.#bootTimers.set(instance.id, timer);
  }

  #terminate(instance: SimInstance): void {
    if (instance.state === 'terminated' || instance.state === 'shutting-down') return;
    this.#world.timers.cancel(this.#bootTimers.get(instance.id));
    this.#bootTimers.delete(instance.id);
    instance.state = 'shutting-down';
    void instance.server?.close();
    instance.server = undefined;
    this.#options.onShutdown(instance.id);
    this.#world.timers.after(this.#world.timing.ms(REALISTIC.shutdownSeconds), () => {
      instance.state = 'terminated';
    });
  }
}

function infoOf(instance: SimInstance): InstanceInfo {
  return {
    id: instance.id,
    state: instance.state,
    instanceType: instance.instanceType,
    availabilityZone: instance.availabilityZone,
    privateIpAddress: instance.privateIpAddress,
    launchTime: instance.launchTime,
    tags: { ...instance.tags },
  };
}
