import type { Compute, InstanceInfo, InstanceQuery, ListenerInfo, LoadBalancer, Ports, TargetHealth } from '../ports/index.js';
import { isThrottling, READ_RATES, ReadBudget, type ReadService } from './read-budget.js';

/**
 * One polling budget for a session and its dashboard. The dashboard monitor and a running step both
 * watch target health, the listener and instances; through one `SharedReads` an answer one of them
 * got serves the other, and hotspare's reads of each service stay under one rate (see `ReadBudget`).
 *
 * Freshness is the caller's: every reader says how old an answer it accepts (`maxAgeMs`), measured
 * from when the request was sent. The engine's ports accept none older than the call itself (they
 * only join an identical request sent in the same millisecond); the dashboard's accept about one
 * refresh interval. Any mutating call made through these ports (register, deregister, listener,
 * launch, terminate, DNS, scaling) forgets every answer, and one still in flight, so no read after a
 * change returns what was true before it. Everything is in memory; nothing here is journaled.
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
  /**
   * Ends the budget's pauses (quit, Ctrl-C): a read waiting for its turn then fails with the
   * signal's reason. Pauses hold the process until then.
   */
  readonly signal?: AbortSignal | undefined;
}

/** Wrap `ports` so the session and the dashboard share their reads (see `SharedReads`). */
export function createSharedReads(ports: Ports, options: SharedReadsOptions = {}): SharedReads {
  const cache = new Map<string, Entry<unknown>>();
  const listeners = new Set<TargetHealthListener>();
  const sent: Record<string, number> = {};
  const budget = options.budget ?? new ReadBudget(ports.clock, READ_RATES, (ms) => ports.clock.sleep(ms, options.signal));
  let generation = 0;

  /** Whether `key`'s answer (or its request in flight) was sent since the last change, within `maxAgeMs`. */
  function usable(key: string, maxAgeMs: number, now: number): boolean {
    const hit = cache.get(key);
    return hit !== undefined && hit.generation === generation && hit.sentAt >= now - maxAgeMs && (maxAgeMs > 0 || !hit.settled);
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

  /** The usable answer for `key`, or a new request (`fresh` says which). */
  function read<T>(key: string, maxAgeMs: number, service: ReadService, operation: string, fetch: () => Promise<T>): { promise: Promise<T>; fresh: boolean } {
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
      const { promise, fresh } = read(`health:${arn}`, maxAgeMs, 'elbv2', 'DescribeTargetHealth', () => ports.lb.describeTargetHealth(arn));
      if (fresh) promise.then((health) => listeners.forEach((l) => l(arn, health, sentAt)), () => undefined);
      return promise;
    };
  }

  function listener(maxAgeMs: number): (arn: string) => Promise<ListenerInfo> {
    return (arn) => read(`listener:${arn}`, maxAgeMs, 'elbv2', 'DescribeListeners', () => ports.lb.describeListener(arn)).promise;
  }

  function instances(maxAgeMs: number): Compute['describeInstances'] {
    return (query) => (cacheable(query) ? instancesById(query.ids, maxAgeMs) : instancesByQuery(query));
  }

  /**
   * Any other query (by tags, live only) is sent as it is; every instance it returns is an answer
   * for that id too: the web servers read when the session opens serve the dashboard's first frame.
   */
  function instancesByQuery(query: InstanceQuery): Promise<readonly InstanceInfo[]> {
    const sentAt = ports.clock.now();
    const sentIn = generation;
    const answer = send('ec2', 'DescribeInstances', () => ports.compute.describeInstances(query));
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
      const batch = send('ec2', 'DescribeInstances', () => ports.compute.describeInstances({ ids: missing, liveOnly: false }));
      for (const id of missing) remember(`instance:${id}`, batch.then((found) => found.find((i) => i.id === id)), now);
    }
    return Promise.all(ids.map((id) => (cache.get(`instance:${id}`) as Entry<InstanceInfo | undefined>).promise)).then((found) =>
      found.filter((i): i is InstanceInfo => i !== undefined),
    );
  }

  // Every method is spelled out (no spreading): the sandbox's ports are class instances.
  function portsFor(maxAgeMs: number, instanceMaxAgeMs: number): Ports {
    const { lb, compute, dns, scaling } = ports;
    return {
      ...ports,
      lb: {
        describeTargetGroup: (ref) => lb.describeTargetGroup(ref),
        describeTargetHealth: targetHealth(maxAgeMs),
        describeListener: listener(maxAgeMs),
        registerTargets: (arn, targets) => change(() => lb.registerTargets(arn, targets)),
        deregisterTargets: (arn, targets) => change(() => lb.deregisterTargets(arn, targets)),
        setListenerDefaultActions: (arn, actions) => change(() => lb.setListenerDefaultActions(arn, actions)),
        describeRules: (arn) => lb.describeRules(arn),
        createRule: (arn, priority, conditions, actions) => change(() => lb.createRule(arn, priority, conditions, actions)),
        deleteRule: (arn) => change(() => lb.deleteRule(arn)),
        setRuleActions: (arn, actions) => change(() => lb.setRuleActions(arn, actions)),
      },
      compute: {
        describeInstances: instances(instanceMaxAgeMs),
        describeImage: (ref) => compute.describeImage(ref),
        describeInstanceType: (type) => compute.describeInstanceType(type),
        describeSubnetNetwork: (subnet) => compute.describeSubnetNetwork(subnet),
        checkLaunch: (spec) => compute.checkLaunch(spec),
        runInstance: (spec) => change(() => compute.runInstance(spec)),
        startInstances: (ids) => change(() => compute.startInstances(ids)),
        stopInstances: (ids) => change(() => compute.stopInstances(ids)),
        terminateInstances: (ids) => change(() => compute.terminateInstances(ids)),
      },
      dns: {
        getRecord: (zone, name, type) => dns.getRecord(zone, name, type),
        hasHostedZone: (zone) => dns.hasHostedZone(zone),
        getChange: (id) => send('route53', 'GetChange', () => dns.getChange(id)),
        upsertRecord: (zone, record) => change(() => dns.upsertRecord(zone, record)),
        deleteRecord: (zone, record) => change(() => dns.deleteRecord(zone, record)),
      },
      scaling: {
        describeGroups: () => scaling.describeGroups(),
        suspendProcesses: (group, processes) => change(() => scaling.suspendProcesses(group, processes)),
        resumeProcesses: (group, processes) => change(() => scaling.resumeProcesses(group, processes)),
      },
    };
  }

  return {
    ports: portsFor(0, 0),
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
  return query.ids !== undefined && query.ids.length > 0 && (query.tags === undefined || Object.keys(query.tags).length === 0) && query.liveOnly === false;
}
