import type {
  Compute,
  InstanceInfo,
  InstanceQuery,
  ListenerInfo,
  LoadBalancer,
  Ports,
  TargetHealth,
} from '../ports/index.js';
import { isThrottling, READ_RATES, ReadBudget, type ReadService } from './read-budget.js';

/**
 * One polling budget for a session and its dashboard, and each fact read once. The dashboard
 * monitor and a running step both watch target health, the listener and instances; through one
 * `SharedReads` an answer one of them got serves the other, and hotspare's reads of each service
 * stay under one rate (see `ReadBudget`).
 *
 * Freshness is the caller's: every reader says how old an answer it accepts (`maxAgeMs`), measured
 * from when the request was sent. The engine's ports accept answers up to `engineMaxAgeMs` old
 * (see `engineFreshness`: under half a poll interval, so a wait's next poll always reads again);
 * the dashboard's accept about one refresh interval. Any mutating call made through these ports
 * (register, deregister, listener, launch, terminate, DNS, scaling) forgets every answer, and one
 * still in flight, so no read after a change returns what was true before it.
 *
 * Facts a run does not change and that do not change under it (an image, an instance type, a
 * subnet's network, a target group's settings, whether a hosted zone exists) are read once per
 * process: the environment, preflight and the launch step read them from the same answer. A failed
 * read is never kept. Everything is in memory; nothing here is journaled.
 */
export interface SharedReads {
  /** For the session and its steps: every read goes to the service (identical ones sent in the same millisecond are joined). */
  readonly ports: Ports;
  /** Ports for a reader that accepts answers up to `maxAgeMs` old (instances up to `instanceMaxAgeMs`, default the same). */
  readerPorts(freshness: ReaderFreshness): Ports;
  /** Told of every DescribeTargetHealth answer, whoever asked for it; returns the unsubscribe function. */
  onTargetHealth(listener: TargetHealthListener): () => void;
  /** Requests sent so far, by operation (for tests and `bench/`). */
  readonly sent: Readonly<Record<string, number>>;
}

export interface ReaderFreshness {
  readonly maxAgeMs: number;
  /** Names, types and zones of instances change seldom: the dashboard accepts older ones. */
  readonly instanceMaxAgeMs?: number | undefined;
}

export type TargetHealthListener = (targetGroupArn: string, health: readonly TargetHealth[], sentAt: number) => void;

interface Entry<T> {
  readonly promise: Promise<T>;
  readonly sentAt: number;
  readonly generation: number;
  /** Answered (or failed): a reader that accepts no age (`maxAgeMs` 0) only joins a request in flight. */
  settled: boolean;
}

export interface SharedReadsOptions {
  /** Requests per second and burst per service; defaults in `read-budget.ts`. */
  readonly budget?: ReadBudget | undefined;
  /** How old an answer the engine's ports accept, in ms (default 0: only a request in flight is joined); see `engineFreshness`. */
  readonly engineMaxAgeMs?: number | undefined;
  /**
   * Ends the budget's pauses (quit, Ctrl-C): a read waiting for its turn then fails with the
   * signal's reason. Pauses hold the process until then.
   */
  readonly signal?: AbortSignal | undefined;
}

/** The longest the engine ever reuses an answer, in ms: AWS's own reads lag a change by more than this. */
export const ENGINE_MAX_AGE_MS = 500;

/**
 * How old an answer the engine accepts when its waits poll every `pollIntervalMs`: under half a
 * poll interval (so every poll of a wait reads again), and never over `ENGINE_MAX_AGE_MS`. Back to
 * back reads of one fact (a step's last poll and its verification, the environment and preflight)
 * share one request.
 */
export function engineFreshness(pollIntervalMs: number): number {
  return Math.max(0, Math.min(ENGINE_MAX_AGE_MS, Math.floor(pollIntervalMs / 2)));
}

/** Wrap `ports` so the session and the dashboard share their reads (see `SharedReads`). */
export function createSharedReads(ports: Ports, options: SharedReadsOptions = {}): SharedReads {
  const cache = new Map<string, Entry<unknown>>();
  const listeners = new Set<TargetHealthListener>();
  const sent: Record<string, number> = {};
  const budget =
    options.budget ?? new ReadBudget(ports.clock, READ_RATES, (ms) => ports.clock.sleep(ms, options.signal));
  let generation = 0;

  /** Whether `key`'s answer (or its request in flight) was sent since the last change, within `maxAgeMs`. */
  function usable(key: string, maxAgeMs: number, now: number): boolean {
    const hit = cache.get(key);
    return (
      hit !== undefined &&
      hit.generation === generation &&
      hit.sentAt >= now - maxAgeMs &&
      (maxAgeMs > 0 || !hit.settled)
    );
  }

  /** Keep `entry` under `key` until it fails: a failed read is never handed to a later reader. */
  function remember<T>(key: string, promise: Promise<T>, sentAt: number): Entry<T> {
    const entry: Entry<T> = { promise, sentAt, generation, settled: false };
    cache.set(key, entry);
    promise.then(
      () => (entry.settled = true),
      () => {
        entry.settled = true;
        if (cache.get(key) === entry) cache.delete(key);
      },
    );
    return entry;
  }

  const facts = new Map<string, Promise<unknown>>();
  /** A fact read once per process (see `SharedReads`); a failed read is forgotten, so the next caller reads again. */
  function fact<T>(key: string, service: ReadService, operation: string, fetch: () => Promise<T>): Promise<T> {
    const held = facts.get(key) as Promise<T> | undefined;
    if (held !== undefined) return held;
    const promise = send(service, operation, fetch);
    facts.set(key, promise);
    promise.catch(() => {
      if (facts.get(key) === promise) facts.delete(key);
    });
    return promise;
  }

  /** The usable answer for `key`, or a new request (`fresh` says which). */
  function read<T>(
    key: string,
    maxAgeMs: number,
    service: ReadService,
    operation: string,
    fetch: () => Promise<T>,
  ): { promise: Promise<T>; fresh: boolean } {
    const now = ports.clock.now();
    if (usable(key, maxAgeMs, now)) return { promise: (cache.get(key) as Entry<T>).promise, fresh: false };
    return { promise: remember(key, send(service, operation, fetch), now).promise, fresh: true };
  }

  async function send<T>(service: ReadService, operation: string, fetch: () => Promise<T>): Promise<T> {
    await budget.take(service);
    sent[operation] = (sent[operation] ?? 0) + 1;
    try {
      const value = await fetch();
      budget.succeeded(service);
      return value;
    } catch (error) {
      if (isThrottling(error)) budget.throttled(service);
      throw error;
    }
  }

  /** A mutating call: answers from before it (or during it) are never handed out again. */
  async function change<T>(call: () => Promise<T>): Promise<T> {
    generation++;
    try {
      return await call();
    } finally {
      generation++;
    }
  }

  function targetHealth(maxAgeMs: number): LoadBalancer['describeTargetHealth'] {
    return (arn) => {
      const sentAt = ports.clock.now();
      const { promise, fresh } = read(`health:${arn}`, maxAgeMs, 'elbv2', 'DescribeTargetHealth', () =>
        ports.lb.describeTargetHealth(arn),
      );
      if (fresh) {
        promise.then(
          (health) => {
            for (const l of listeners) l(arn, health, sentAt);
          },
          () => undefined,
        );
      }
      return promise;
    };
  }

  function listener(maxAgeMs: number): (arn: string) => Promise<ListenerInfo> {
    return (arn) =>
      read(`listener:${arn}`, maxAgeMs, 'elbv2', 'DescribeListeners', () => ports.lb.describeListener(arn)).promise;
  }

  function instances(maxAgeMs: number): Compute['describeInstances'] {
    return (query) => (cacheable(query) ? instancesById(query.ids, maxAgeMs) : instancesByQuery(query, maxAgeMs));
  }

  /**
   * Any other query (by tags, live only) is answered as a whole (the same query within `maxAgeMs`
   * and since the last change joins it); every instance it returns is an answer for that id too:
   * the web servers read when the session opens serve the dashboard's first frame.
   */
  function instancesByQuery(query: InstanceQuery, maxAgeMs: number): Promise<readonly InstanceInfo[]> {
    const sentAt = ports.clock.now();
    const sentIn = generation;
    const { promise: answer, fresh } = read(`query:${queryKey(query)}`, maxAgeMs, 'ec2', 'DescribeInstances', () =>
      ports.compute.describeInstances(query),
    );
    if (!fresh) return answer;
    answer.then(
      (found) => {
        for (const instance of found) {
          const key = `instance:${instance.id}`;
          const held = cache.get(key);
          if (held !== undefined && held.sentAt >= sentAt) continue;
          cache.set(key, { promise: Promise.resolve(instance), sentAt, generation: sentIn, settled: true });
        }
      },
      () => undefined,
    );
    return answer;
  }

  /** By id, each from the freshest answer that names it; one request for every id that has none. */
  function instancesById(ids: readonly string[], maxAgeMs: number): Promise<readonly InstanceInfo[]> {
    const now = ports.clock.now();
    const missing = [...new Set(ids.filter((id) => !usable(`instance:${id}`, maxAgeMs, now)))];
    if (missing.length > 0) {
      const batch = send('ec2', 'DescribeInstances', () =>
        ports.compute.describeInstances({ ids: missing, liveOnly: false }),
      );
      for (const id of missing)
        remember(
          `instance:${id}`,
          batch.then((found) => found.find((i) => i.id === id)),
          now,
        );
    }
    return Promise.all(ids.map((id) => (cache.get(`instance:${id}`) as Entry<InstanceInfo | undefined>).promise)).then(
      (found) => found.filter((i): i is InstanceInfo => i !== undefined),
    );
  }

  // Every method is spelled out (no spreading): the sandbox's ports are class instances.
  function portsFor(maxAgeMs: number, instanceMaxAgeMs: number): Ports {
    const { lb, compute, dns, scaling } = ports;
    const windowed = <T>(key: string, service: ReadService, operation: string, fetch: () => Promise<T>): Promise<T> =>
      read(key, maxAgeMs, service, operation, fetch).promise;
    return {
      ...ports,
      lb: {
        describeTargetGroup: (ref) =>
          fact(`target-group:${ref}`, 'elbv2', 'DescribeTargetGroups', () => lb.describeTargetGroup(ref)),
        describeTargetHealth: targetHealth(maxAgeMs),
        describeListener: listener(maxAgeMs),
        registerTargets: (arn, targets) => change(() => lb.registerTargets(arn, targets)),
        deregisterTargets: (arn, targets) => change(() => lb.deregisterTargets(arn, targets)),
        setListenerDefaultActions: (arn, actions) => change(() => lb.setListenerDefaultActions(arn, actions)),
        describeRules: (arn) => windowed(`rules:${arn}`, 'elbv2', 'DescribeRules', () => lb.describeRules(arn)),
        createRule: (arn, priority, conditions, actions) =>
          change(() => lb.createRule(arn, priority, conditions, actions)),
        deleteRule: (arn) => change(() => lb.deleteRule(arn)),
        setRuleActions: (arn, actions) => change(() => lb.setRuleActions(arn, actions)),
      },
      compute: {
        describeInstances: instances(instanceMaxAgeMs),
        describeImage: (ref) => fact(`image:${ref}`, 'ec2', 'DescribeImages', () => compute.describeImage(ref)),
        describeInstanceType: (type) =>
          fact(`instance-type:${type}`, 'ec2', 'DescribeInstanceTypes', () => compute.describeInstanceType(type)),
        describeSubnetNetwork: (subnet) =>
          fact(`subnet:${subnet}`, 'ec2', 'DescribeSubnets', () => compute.describeSubnetNetwork(subnet)),
        checkLaunch: (spec) => compute.checkLaunch(spec),
        runInstance: (spec) => change(() => compute.runInstance(spec)),
        startInstances: (ids) => change(() => compute.startInstances(ids)),
        stopInstances: (ids) => change(() => compute.stopInstances(ids)),
        terminateInstances: (ids) => change(() => compute.terminateInstances(ids)),
        tagInstances: (ids, tags) => change(() => compute.tagInstances(ids, tags)),
      },
      dns: {
        getRecord: (zone, name, type) =>
          windowed(`record:${zone}:${name}:${type}`, 'route53', 'ListResourceRecordSets', () =>
            dns.getRecord(zone, name, type),
          ),
        hasHostedZone: (zone) => fact(`zone:${zone}`, 'route53', 'GetHostedZone', () => dns.hasHostedZone(zone)),
        getChange: (id) => send('route53', 'GetChange', () => dns.getChange(id)),
        upsertRecord: (zone, record) => change(() => dns.upsertRecord(zone, record)),
        deleteRecord: (zone, record) => change(() => dns.deleteRecord(zone, record)),
      },
      scaling: {
        describeGroups: () =>
          windowed('scaling-groups', 'autoscaling', 'DescribeAutoScalingGroups', () => scaling.describeGroups()),
        suspendProcesses: (group, processes) => change(() => scaling.suspendProcesses(group, processes)),
        resumeProcesses: (group, processes) => change(() => scaling.resumeProcesses(group, processes)),
      },
    };
  }

  const engine = options.engineMaxAgeMs ?? 0;
  return {
    ports: portsFor(engine, engine),
    readerPorts: ({ maxAgeMs, instanceMaxAgeMs }) => portsFor(maxAgeMs, instanceMaxAgeMs ?? maxAgeMs),
    onTargetHealth: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    sent,
  };
}

/** Queries answered from the per-instance cache: by ids alone, any state. */
function cacheable(query: InstanceQuery): query is InstanceQuery & { ids: readonly string[] } {
  return (
    query.ids !== undefined &&
    query.ids.length > 0 &&
    (query.tags === undefined || Object.keys(query.tags).length === 0) &&
    query.liveOnly === false
  );
}

/** A query's identity for the cache: the same ids, tags and states ask the same question. */
function queryKey(query: InstanceQuery): string {
  const tags = Object.entries(query.tags ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify({ ids: [...(query.ids ?? [])].sort(), tags, liveOnly: query.liveOnly ?? true });
}
