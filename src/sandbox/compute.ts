import { randomUUID } from 'node:crypto';
import type {
  CallReceipt,
  Compute,
  ImageInfo,
  InstanceInfo,
  InstanceQuery,
  InstanceTypeInfo,
  LaunchResult,
  LaunchSpec,
  SubnetNetwork,
} from '../ports/index.js';
import { incorrectInstanceState, insufficientCapacity, notFound } from '../domain/failures.js';
import { simInstanceType, simSubnetNetwork } from './account-shape.js';
import { firstBootSeconds, serverComesUp, startRedirectServers } from './redirect-instance.js';
import { REALISTIC } from './timing.js';
import { newInstanceId, newPrivateIp, type SimInstance, type World } from './world.js';
import { parseImageRef } from '../runbook/formats.js';

export interface ComputeOptions {
  /** The runbook's primary redirect instance type: the one the `capacity` fault refuses. */
  readonly primaryInstanceType?: string | undefined;
  /** Realistic seconds from RunInstances to the server answering (default: 25, plus 15 to install nginx or Apache). */
  readonly bootSeconds?: number | undefined;
  /** Told when an instance starts shutting down, so the load balancer deregisters it like AWS does. */
  readonly onShutdown: (instanceId: string) => void;
}

/**
 * EC2 in memory. A launched instance is `pending` until its server would answer (see
 * `redirect-instance.ts`), then `running`, with a real redirect server on 127.0.0.1 when its user
 * data would have brought one up; a spare then powers itself off (`stopping`, `stopped`).
 * StartInstances brings a stopped instance back in `startSeconds`, StopInstances stops one in
 * `stopSeconds`; terminated ones are `shutting-down` for 5 s, then `terminated` (and stay visible,
 * as in EC2). Every duration is ÷ speed. RunInstances is idempotent per ClientToken.
 */
export class SandboxCompute implements Compute {
  readonly #world: World;
  readonly #options: ComputeOptions;
  readonly #byToken = new Map<string, string>();
  readonly #timers = new Map<string, NodeJS.Timeout | undefined>();
  /** Instances whose server was installed once (a prepared spare): a restart needs no way out. */
  readonly #installed = new Set<string>();

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

  async describeImage(imageRef: string): Promise<ImageInfo> {
    this.#world.faults.describeCall('DescribeImages');
    const image = this.#world.images.find(imageRef);
    if (image !== undefined) return image;
    const ref = parseImageRef(imageRef);
    throw ref.kind === 'ssm' ? notFound('SSM Parameter', ref.parameter) : notFound('AMI', imageRef);
  }

  async describeInstanceType(instanceType: string): Promise<InstanceTypeInfo> {
    this.#world.faults.describeCall('DescribeInstanceTypes');
    const found = simInstanceType(instanceType);
    if (found === undefined) throw notFound('Instance Type', instanceType);
    return found;
  }

  async describeSubnetNetwork(subnetId: string): Promise<SubnetNetwork> {
    this.#world.faults.describeCall('DescribeSubnets');
    const ids = this.#world.ids;
    if (!ids.subnetIds.has(subnetId)) throw notFound('Subnet', subnetId);
    return simSubnetNetwork(subnetId, ids.vpcId, ids.availabilityZone, this.#world.shape);
  }

  async runInstance(spec: LaunchSpec): Promise<LaunchResult> {
    const previous = this.#byToken.get(spec.clientToken);
    const known = previous === undefined ? undefined : this.#world.instances.get(previous);
    if (known !== undefined) return { requestId: randomUUID(), instance: infoOf(known) };
    this.#checkResources(spec);
    if (this.#world.faults.has('capacity') && spec.instanceType === this.#options.primaryInstanceType) {
      throw insufficientCapacity(spec.instanceType, this.#world.ids.availabilityZone);
    }
    const instance = this.#newInstance(newInstanceId(), spec.instanceType, { ...spec.tags }, spec);
    this.#world.instances.set(instance.id, instance);
    this.#byToken.set(spec.clientToken, instance.id);
    this.#bootAfter(instance, firstBootSeconds(spec.redirect, this.#options.bootSeconds));
    return { requestId: randomUUID(), instance: infoOf(instance) };
  }

  async checkLaunch(spec: LaunchSpec): Promise<void> {
    this.#checkResources(spec);
  }

  async startInstances(ids: readonly string[]): Promise<CallReceipt> {
    const instances = ids.map((id) => this.#require(id));
    for (const i of instances)
      if (i.state !== 'stopped' && i.state !== 'pending' && i.state !== 'running')
        throw incorrectInstanceState(i.id, i.state);
    for (const i of instances.filter((x) => x.state === 'stopped')) {
      i.state = 'pending';
      this.#bootAfter(i, REALISTIC.startSeconds);
    }
    return { requestId: randomUUID() };
  }

  async stopInstances(ids: readonly string[]): Promise<CallReceipt> {
    const instances = ids.map((id) => this.#require(id));
    for (const i of instances)
      if (i.state === 'terminated' || i.state === 'shutting-down') throw incorrectInstanceState(i.id, i.state);
    for (const i of instances.filter((x) => x.state === 'running' || x.state === 'pending')) this.#stop(i);
    return { requestId: randomUUID() };
  }

  async tagInstances(ids: readonly string[], tags: Readonly<Record<string, string>>): Promise<CallReceipt> {
    const instances = ids.map((id) => this.#require(id));
    for (const i of instances) Object.assign(i.tags, tags);
    return { requestId: randomUUID() };
  }

  async terminateInstances(ids: readonly string[]): Promise<CallReceipt> {
    for (const id of ids) this.#require(id);
    for (const id of ids) this.#terminate(this.#world.instances.get(id)!);
    return { requestId: randomUUID() };
  }

  /** Adds a running instance (a web server) whose servers are already listening. */
  addRunning(
    id: string,
    tags: Record<string, string>,
    instanceType: string,
    server: SimInstance['server'],
    healthServer?: SimInstance['server'],
  ): SimInstance {
    const instance = this.#newInstance(id, instanceType, tags);
    instance.state = 'running';
    instance.server = server;
    instance.healthServer = healthServer;
    this.#world.instances.set(id, instance);
    return instance;
  }

  #require(id: string): SimInstance {
    const instance = this.#world.instances.get(id);
    if (instance === undefined) throw notFound('Instance', id);
    return instance;
  }

  #checkResources(spec: LaunchSpec): void {
    const ids = this.#world.ids;
    if (parseImageRef(spec.imageId).kind === 'ssm' || this.#world.images.find(spec.imageId) === undefined)
      throw notFound('AMI', spec.imageId);
    if (!ids.subnetIds.has(spec.subnetId)) throw notFound('Subnet', spec.subnetId);
    const badGroup = spec.securityGroupIds.find((sg) => !ids.securityGroupIds.has(sg));
    if (badGroup !== undefined) throw notFound('Security Group', badGroup);
    if (spec.keyName !== undefined && !ids.keyNames.has(spec.keyName)) throw notFound('Key Pair', spec.keyName);
  }

  #newInstance(id: string, instanceType: string, tags: Record<string, string>, spec?: LaunchSpec): SimInstance {
    return {
      id,
      state: 'pending',
      instanceType,
      availabilityZone: this.#world.ids.availabilityZone,
      privateIpAddress: newPrivateIp(),
      launchTime: new Date().toISOString(),
      tags: { ...tags },
      server: undefined,
      redirect: spec?.redirect,
      spare: spec?.spare,
      imageId: spec?.imageId,
    };
  }

  /** pending -> running after `seconds` (÷ speed), with the redirect servers up when the user data would have brought them up. */
  #bootAfter(instance: SimInstance, seconds: number): void {
    const { timing, timers, faults } = this.#world;
    const timer = timers.after(timing.ms(seconds), () => {
      this.#timers.delete(instance.id);
      const config = instance.redirect;
      const os = this.#world.images.osOf(instance.imageId ?? '');
      const up =
        config !== undefined && serverComesUp(os, config, this.#world.shape.routeOut, this.#installed.has(instance.id));
      if (!up) {
        if (instance.state === 'pending') instance.state = 'running';
        return;
      }
      const starting = startRedirectServers(config, () => !faults.has('redirect-unhealthy')).then(
        async ({ server, healthServer }) => {
          if (instance.state !== 'pending' || timers.stopped)
            return void (await Promise.all([server.close(), healthServer?.close()]));
          Object.assign(instance, { server, healthServer, state: 'running' });
          const firstBoot = !this.#installed.has(instance.id);
          this.#installed.add(instance.id);
          // A spare's user data ends with a poweroff once its server answers; it runs on the first boot only.
          if (instance.spare === true && firstBoot) this.#stop(instance);
        },
      );
      this.#world.pending.add(starting);
      void starting.finally(() => this.#world.pending.delete(starting));
    });
    this.#timers.set(instance.id, timer);
  }

  #closeServers(instance: SimInstance): void {
    void instance.server?.close();
    void instance.healthServer?.close();
    instance.server = undefined;
    instance.healthServer = undefined;
  }

  #stop(instance: SimInstance): void {
    this.#world.timers.cancel(this.#timers.get(instance.id));
    instance.state = 'stopping';
    this.#closeServers(instance);
    const timer = this.#world.timers.after(this.#world.timing.ms(REALISTIC.stopSeconds), () => {
      if (instance.state === 'stopping') instance.state = 'stopped';
    });
    this.#timers.set(instance.id, timer);
  }

  #terminate(instance: SimInstance): void {
    if (instance.state === 'terminated' || instance.state === 'shutting-down') return;
    this.#world.timers.cancel(this.#timers.get(instance.id));
    this.#timers.delete(instance.id);
    instance.state = 'shutting-down';
    this.#closeServers(instance);
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
