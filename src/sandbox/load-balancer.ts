import { randomUUID } from 'node:crypto';
import { ExternalError } from '../domain/errors.js';
import type {
  CallReceipt,
  ListenerAction,
  ListenerCondition,
  ListenerInfo,
  ListenerRule,
  LoadBalancer,
  Target,
  TargetGroupInfo,
  TargetHealth,
} from '../ports/index.js';
import { accessDenied, invalidTarget, notFound } from '../domain/failures.js';
import { forwardedGroups } from '../domain/listener-rules.js';
import { matchingRule } from './listener-rules.js';
import { TargetRegistry, type RoutableTarget } from './target-registry.js';
import type { World } from './world.js';

/** A listener as the sandbox keeps it: actions stored exactly as written. */
export interface SimListener {
  readonly arn: string;
  readonly port: number;
  readonly protocol: string;
  defaultActions: readonly ListenerAction[];
  rules: ListenerRule[];
}

/** A request ELBv2 refuses as sent, in the words the AWS adapter would use. */
function validation(message: string, awsCode = 'ValidationError'): ExternalError {
  return new ExternalError(`AWS CreateRule failed: ${message} (${awsCode})`, {
    code: 'AwsError',
    awsCode,
    nextSteps: 'Read the AWS message above; the call was rejected as sent.',
  });
}

/** ELBv2's limits for a rule's priority. */
const MAX_PRIORITY = 50_000;

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
    if (nameOrArn !== this.#targetGroup.arn && nameOrArn !== this.#targetGroup.name)
      throw notFound('Target Group', nameOrArn);
    return structuredClone(this.#targetGroup);
  }

  async describeTargetHealth(targetGroupArn: string): Promise<readonly TargetHealth[]> {
    this.#world.faults.describeCall('DescribeTargetHealth');
    this.#requireTargetGroup(targetGroupArn);
    return this.registry.health();
  }

  async registerTargets(targetGroupArn: string, targets: readonly Target[]): Promise<CallReceipt> {
    if (this.#world.faults.has('access-denied'))
      throw accessDenied('elasticloadbalancing:RegisterTargets', targetGroupArn);
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

  async describeRules(listenerArn: string): Promise<readonly ListenerRule[]> {
    this.#world.faults.describeCall('DescribeRules');
    this.#requireListener(listenerArn);
    return structuredClone([...this.#listener.rules].sort((a, b) => a.priority - b.priority));
  }

  async createRule(
    listenerArn: string,
    priority: number,
    conditions: readonly ListenerCondition[],
    actions: readonly ListenerAction[],
  ): Promise<CallReceipt & { ruleArn: string }> {
    this.#requireListener(listenerArn);
    if (!Number.isInteger(priority) || priority < 1 || priority > MAX_PRIORITY)
      throw validation(`Priority ${priority} is not between 1 and ${MAX_PRIORITY}.`);
    if (this.#listener.rules.some((r) => r.priority === priority))
      throw validation(`Priority '${priority}' is currently in use`, 'PriorityInUse');
    if (conditions.length === 0) throw validation('A rule needs at least one condition.');
    for (const arn of actions.flatMap(forwardedGroups)) this.#requireTargetGroup(arn);
    const ruleArn = `${listenerArn.replace(':listener/', ':listener-rule/')}/${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    this.#listener.rules.push({
      arn: ruleArn,
      priority,
      conditions: structuredClone([...conditions]),
      actions: structuredClone([...actions]),
    });
    return { requestId: randomUUID(), ruleArn };
  }

  async deleteRule(ruleArn: string): Promise<CallReceipt> {
    const index = this.#listener.rules.findIndex((r) => r.arn === ruleArn);
    if (index < 0) throw notFound('Rule', ruleArn);
    this.#listener.rules.splice(index, 1);
    return { requestId: randomUUID() };
  }

  async setRuleActions(ruleArn: string, actions: readonly ListenerAction[]): Promise<CallReceipt> {
    const rule = this.#listener.rules.find((r) => r.arn === ruleArn);
    if (rule === undefined) throw notFound('Rule', ruleArn);
    for (const arn of actions.flatMap(forwardedGroups)) this.#requireTargetGroup(arn);
    const index = this.#listener.rules.indexOf(rule);
    this.#listener.rules[index] = { ...rule, actions: structuredClone([...actions]) };
    return { requestId: randomUUID() };
  }

  /** The actions that answer a request to `host` and `path`: the first matching rule's, else the default ones (a copy), for the front. */
  actionsFor(host: string, path: string): readonly ListenerAction[] {
    return structuredClone(matchingRule(this.#listener.rules, host, path)?.actions ?? this.#listener.defaultActions);
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
      throw invalidTarget(
        `the following targets are not in a running state and cannot be registered: '${instanceId}' (${instance.state})`,
      );
    }
  }
}
