import { randomUUID } from 'node:crypto';
import type { CallReceipt, ListenerAction, ListenerInfo, LoadBalancer, Target, TargetGroupInfo, TargetHealth } from '../ports/index.js';
import { accessDenied, invalidTarget, notFound } from '../ports/failures.js';
import { TargetRegistry, type RoutableTarget } from './target-registry.js';
import type { World } from './world.js';

/** A listener as the sandbox keeps it: actions stored exactly as written. */
export interface SimListener {
  readonly arn: string;
  readonly port: number;
  readonly protocol: string;
  defaultActions: readonly ListenerAction[];
}

/**
 * ELBv2 in memory: one target group (the runbook's) behind one listener. Targets go through
 * `initial` -> `healthy`/`unhealthy` by real HTTP health checks and `draining` for the
 * deregistration delay (see TargetRegistry). Writes are idempotent, as in ELBv2: registering a
 * registered target or deregistering one that is not registered changes nothing.
 */
export class SandboxLoadBalancer implements LoadBalancer {
  readonly #world: World;
  readonly #targetGroup: TargetGroupInfo;
  readonly #listener: SimListener;
  readonly registry: TargetRegistry;

  constructor(world: World, targetGroup: TargetGroupInfo, listener: SimListener) {
    this.#world = world;
    this.#targetGroup = targetGroup;
    this.#listener = listener;
    this.registry = new TargetRegistry(world, targetGroup);
  }

  async describeTargetGroup(nameOrArn: string): Promise<TargetGroupInfo> {
    this.#world.faults.describeCall('DescribeTargetGroups');
    if (nameOrArn !== this.#targetGroup.arn && nameOrArn !== this.#targetGroup.name) throw notFound('Target Group', nameOrArn);
    return structuredClone(this.#targetGroup);
  }

  async describeTargetHealth(targetGroupArn: string): Promise<readonly TargetHealth[]> {
    this.#world.faults.describeCall('DescribeTargetHealth');
    this.#requireTargetGroup(targetGroupArn);
    return this.registry.health();
  }

  async registerTargets(targetGroupArn: string, targets: readonly Target[]): Promise<CallReceipt> {
    if (this.#world.faults.has('access-denied')) throw accessDenied('elasticloadbalancing:RegisterTargets', targetGroupArn);
    this.#requireTargetGroup(targetGroupArn);
    for (const target of targets) this.#requireRunning(target.id);
    for (const target of targets) this.registry.register(target);
    return { requestId: randomUUID() };
  }

  async deregisterTargets(targetGroupArn: string, targets: readonly Target[]): Promise<CallReceipt> {
    this.#requireTargetGroup(targetGroupArn);
    for (const target of targets) this.registry.deregister(target);
    return { requestId: randomUUID() };
  }

  async describeListener(listenerArn: string): Promise<ListenerInfo> {
    this.#world.faults.describeCall('DescribeListeners');
    this.#requireListener(listenerArn);
    return {
      arn: this.#listener.arn,
      loadBalancerArn: this.#world.ids.loadBalancerArn,
      port: this.#listener.port,
      protocol: this.#listener.protocol,
      defaultActions: structuredClone(this.#listener.defaultActions),
    };
  }

  async setListenerDefaultActions(listenerArn: string, actions: readonly ListenerAction[]): Promise<CallReceipt> {
    this.#requireListener(listenerArn);
    for (const arn of actions.flatMap(forwardedGroups)) this.#requireTargetGroup(arn);
    this.#listener.defaultActions = structuredClone(actions);
    return { requestId: randomUUID() };
  }

  /** The listener's default actions now (a copy), for the front. */
  currentActions(): readonly ListenerAction[] {
    return structuredClone(this.#listener.defaultActions);
  }

  /** The next target a request to `targetGroupArn` goes to, or undefined (503). */
  route(targetGroupArn: string): RoutableTarget | undefined {
    return targetGroupArn === this.#targetGroup.arn ? this.registry.next() : undefined;
  }

  /** What an ALB does when an instance shuts down: deregisters it (it starts draining). */
  instanceShutDown(instanceId: string): void {
    this.registry.deregisterInstance(instanceId);
  }

  #requireTargetGroup(arn: string): void {
    if (arn !== this.#targetGroup.arn) throw notFound('Target Group', arn);
  }

  #requireListener(arn: string): void {
    if (arn !== this.#listener.arn) throw notFound('Listener', arn);
  }

  #requireRunning(instanceId: string): void {
    const instance = this.#world.instances.get(instanceId);
    if (instance === undefined) throw invalidTarget(`the following targets are not valid: '${instanceId}'`);
    if (instance.state !== 'running') {
      throw invalidTarget(`the following targets are not in a running state and cannot be registered: '${instanceId}' (${instance.state})`);
    }
  }
}

/** Target group ARNs a forward action names (TargetGroupArn or ForwardConfig.TargetGroups). */
export function forwardedGroups(action: ListenerAction): string[] {
  if (action['Type'] !== 'forward') return [];
  const direct = typeof action['TargetGroupArn'] === 'string' ? [action['TargetGroupArn']] : [];
  const config = action['ForwardConfig'] as { TargetGroups?: { TargetGroupArn?: unknown }[] } | undefined;
  const weighted = (config?.TargetGroups ?? []).map((g) => g.TargetGroupArn).filter((a): a is string => typeof a === 'string');
  return [...new Set([...direct, ...weighted])];
}
