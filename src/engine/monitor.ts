import { toErrorRecord } from '../domain/errors.js';
import type { InstanceInfo, ListenerInfo, Ports, ProbeResult, TargetHealth } from '../ports/index.js';
import type { Runbook } from '../runbook/schema.js';
import type { RunEnvironment } from '../domain/types.js';
import type { EventSink } from './events.js';
import { maintenanceWatcher } from './maintenance-watch.js';
import { dedupedWarner, pollLoop, type Warn } from './monitor-loop.js';
import type { SharedReads } from './shared-reads.js';

/** What the dashboard monitor needs: the same ports and environment the engine uses. */
export interface MonitorOptions {
  readonly ports: Ports;
  readonly runbook: Runbook;
  readonly env: RunEnvironment;
  readonly emit: EventSink;
  /** Target-health poll interval in ms (default 2000). */
  readonly intervalMs?: number | undefined;
  /** Probe interval in ms (default: intervalMs). */
  readonly probeIntervalMs?: number | undefined;
  /** How often the maintenance site's readiness is re-read, in ms (default READINESS_INTERVAL_MS; the sandbox divides it by its speed). */
  readonly readinessIntervalMs?: number | undefined;
  /**
   * The reads the session's steps make too (see `shared-reads.ts`). Given, the monitor reads
   * through them (an answer a step got less than half an interval ago serves the dashboard, and
   * instances' names and zones are read again at most every minute), and every target-health answer
   * a step gets is shown at once and restarts the monitor's interval: while a step polls, the
   * dashboard sends no DescribeTargetHealth of its own.
   */
  readonly shared?: SharedReads | undefined;
}

/** A running monitor. */
export interface Monitor {
  /** Stops polling; a poll in flight finishes but emits nothing more. Idempotent. */
  stop(): void;
  /** Polls targets and probes now (joining a poll already in flight) and resolves when both are done. */
  refresh(): Promise<void>;
}

const DEFAULT_INTERVAL_MS = 2000;
const PROBE_TIMEOUT_MS = 5000;
/** Instances' names and zones change seldom; a new target's instance is read at once. */
const INSTANCE_MAX_AGE_MS = 60_000;

/**
 * Polls the load balancer and probes the site and maintenance site for the live dashboard, emitting
 * `targets` and `probe` events (the maintenance probe carries the published copy's readiness, read
 * every minute: see `maintenanceWatcher`). Each loop waits for its poll to finish before scheduling the next, so
 * polls never overlap and a slow API never queues requests. Errors become `warn` log events (repeats
 * of the same message are emitted once). Timers are unref'd: the monitor never keeps the process alive.
 * Nothing here is journaled.
 */
export function startMonitor(options: MonitorOptions): Monitor {
  const interval = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const probeInterval = options.probeIntervalMs ?? interval;
  let stopped = false;
  const warn = dedupedWarner(options.emit, options.ports.clock, () => stopped);
  const emit: EventSink = (event) => {
    if (!stopped) options.emit(event);
  };
  const reads =
    options.shared?.readerPorts({ maxAgeMs: interval / 2, instanceMaxAgeMs: INSTANCE_MAX_AGE_MS }) ?? options.ports;
  const targets = pollLoop<readonly TargetHealth[]>(
    interval,
    (given) => pollTargets({ ...options, ports: reads }, emit, warn, given),
    () => stopped,
  );
  const unsubscribe = options.shared?.onTargetHealth((arn, health) => {
    if (arn === options.env.targetGroup.arn) targets.deliver(health);
  });
  const watch = maintenanceWatcher({
    ports: options.ports,
    runbook: options.runbook,
    emit,
    intervalMs: options.readinessIntervalMs,
  });
  const probes = pollLoop(
    probeInterval,
    () => pollProbes(options, emit, watch),
    () => stopped,
  );
  targets.start();
  probes.start();
  return {
    stop: () => {
      stopped = true;
      unsubscribe?.();
      targets.stop();
      probes.stop();
    },
    refresh: async () => {
      await Promise.all([targets.now(), probes.now()]);
    },
  };
}

/** Target health (unless `given`: just read by someone else), the listener, and the targets' instances. */
async function pollTargets(
  options: MonitorOptions,
  emit: EventSink,
  warn: Warn,
  given?: readonly TargetHealth[],
): Promise<void> {
  const { ports, env } = options;
  const listenerArn = env.listener?.arn ?? options.runbook.loadBalancer.listener;
  const [health, listener] = await Promise.all([
    given ??
      ports.lb.describeTargetHealth(env.targetGroup.arn).then(
        (h) => (warn.ok('DescribeTargetHealth'), h),
        (error: unknown) => warn('DescribeTargetHealth', error),
      ),
    listenerArn === undefined ? undefined : describeListener(ports, listenerArn, warn),
  ]);
  if (health === undefined) return;
  const instances = await describeInstances(
    ports,
    health.map((t) => t.id),
    warn,
  );
  emit({ type: 'targets', targets: health, instances, listener, at: ports.clock.now() });
}

async function describeListener(ports: Ports, arn: string, warn: Warn): Promise<ListenerInfo | undefined> {
  try {
    const listener = await ports.lb.describeListener(arn);
    warn.ok('DescribeListeners');
    return listener;
  } catch (error) {
    warn('DescribeListeners', error);
    return undefined;
  }
}

async function describeInstances(
  ports: Ports,
  targetIds: readonly string[],
  warn: Warn,
): Promise<readonly InstanceInfo[]> {
  // IP targets have no instance to describe.
  const ids = targetIds.filter((id) => id.startsWith('i-'));
  if (ids.length === 0) return [];
  try {
    const instances = await ports.compute.describeInstances({ ids, liveOnly: false });
    warn.ok('DescribeInstances');
    return instances;
  } catch (error) {
    warn('DescribeInstances', error);
    return [];
  }
}

async function pollProbes(
  options: MonitorOptions,
  emit: EventSink,
  watch: ReturnType<typeof maintenanceWatcher>,
): Promise<void> {
  const { runbook } = options;
  const [site, maintenance, readiness] = await Promise.all([
    probe(options.ports, runbook.site.url, runbook.site.expectText),
    probe(options.ports, runbook.maintenance.url, runbook.maintenance.expectText),
    watch(),
  ]);
  emit({ type: 'probe', name: 'site', result: site });
  emit({
    type: 'probe',
    name: 'maintenance',
    result: maintenance,
    ...(readiness === undefined ? {} : { site: readiness }),
  });
}

async function probe(ports: Ports, url: string, expectText: string | undefined): Promise<ProbeResult> {
  const at = ports.clock.now();
  try {
    return await ports.probe.check({ url, expectText, timeoutMs: PROBE_TIMEOUT_MS });
  } catch (error) {
    // The port promises never to throw; a broken implementation still must not stop the dashboard.
    return { url, at, latencyMs: ports.clock.now() - at, error: toErrorRecord(error).message };
  }
}
