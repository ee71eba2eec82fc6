import { randomUUID } from 'node:crypto';
import type { CallReceipt } from '../ports/index.js';
import { notFound } from '../domain/failures.js';
import type { AutoScaling, ScalingGroup } from '../ports/scaling.js';
import type { World } from './world.js';

/** Realistic seconds between the `scale-out` fault's launches (a load alarm firing again and again). */
export const SCALE_OUT_SECONDS = 30;

interface SimGroup {
  readonly name: string;
  desired: number;
  readonly min: number;
  readonly max: number;
  readonly instanceIds: string[];
  readonly targetGroupArns: readonly string[];
  readonly suspended: Set<string>;
}

/** What the group does when it scales out: start a web server, and register one into the target group. */
export interface ScaleOutActions {
  launch(): Promise<string>;
  register(instanceId: string): void;
}

/**
 * Auto Scaling in memory: the web servers belong to one group attached to the target group, as on
 * most real accounts. With the `scale-out` fault the group adds a web server every 30 s (÷ speed)
 * while its Launch process runs, and registers it into the target group while AddToLoadBalancer
 * runs: what undoes a failover on a real account unless hotspare suspends those processes.
 */
export class SandboxAutoScaling implements AutoScaling {
  readonly #world: World;
  readonly #group: SimGroup;

  constructor(world: World, name: string, instanceIds: readonly string[], targetGroupArn: string) {
    this.#world = world;
    const size = instanceIds.length;
    this.#group = {
      name,
      desired: size,
      min: size,
      max: size + 3,
      instanceIds: [...instanceIds],
      targetGroupArns: [targetGroupArn],
      suspended: new Set(),
    };
  }

  async describeGroups(): Promise<readonly ScalingGroup[]> {
    this.#world.faults.describeCall('DescribeAutoScalingGroups');
    const g = this.#group;
    return [
      {
        name: g.name,
        desired: g.desired,
        min: g.min,
        max: g.max,
        instanceIds: [...g.instanceIds],
        targetGroupArns: [...g.targetGroupArns],
        suspended: [...g.suspended],
      },
    ];
  }

  async suspendProcesses(group: string, processes: readonly string[]): Promise<CallReceipt> {
    for (const p of processes) this.#require(group).suspended.add(p);
    return { requestId: randomUUID() };
  }

  async resumeProcesses(group: string, processes: readonly string[]): Promise<CallReceipt> {
    for (const p of processes) this.#require(group).suspended.delete(p);
    return { requestId: randomUUID() };
  }

  /** Starts the `scale-out` behaviour: a launch every interval while not suspended, up to the group's max. */
  startScaleOut(actions: ScaleOutActions): void {
    const tick = (): void => {
      void this.#scaleOut(actions).finally(() =>
        this.#world.timers.after(this.#world.timing.ms(SCALE_OUT_SECONDS), tick),
      );
    };
    this.#world.timers.after(this.#world.timing.ms(SCALE_OUT_SECONDS), tick);
  }

  async #scaleOut(actions: ScaleOutActions): Promise<void> {
    const g = this.#group;
    if (g.suspended.has('Launch') || g.desired >= g.max) return;
    g.desired += 1;
    const id = await actions.launch();
    g.instanceIds.push(id);
    if (!g.suspended.has('AddToLoadBalancer')) actions.register(id);
  }

  #require(name: string): SimGroup {
    if (name !== this.#group.name) throw notFound('Auto Scaling Group', name);
    return this.#group;
  }
}
