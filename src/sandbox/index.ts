import { systemClock } from '../domain/clock.js';
import type { DnsRecord, Ports, Probe } from '../ports/index.js';
import { createHttpProbe } from '../probe/http-probe.js';
import type { Runbook } from '../runbook/schema.js';
import { SandboxCompute } from './compute.js';
import { SandboxDns } from './dns.js';
import { Faults, type SandboxFault } from './faults.js';
import { startFront } from './front.js';
import { SandboxLoadBalancer } from './load-balancer.js';
import { SandboxAutoScaling } from './scaling.js';
import { startOrigins, type Origins } from './origins.js';
import { startMaintenanceSite, withSandboxBucket } from './maintenance-site.js';
import type { LocalServer } from './servers.js';
import { initialRecord, listenerFor, localRunbook, pointsAtAlb, targetGroupFor } from './site.js';
import { DEFAULT_SPEED, REALISTIC, TimerSet, timingFor } from './timing.js';
import { createTrafficMonitor, type TrafficMonitor } from './traffic.js';
import type { SandboxBucket } from './bucket.js';
import { worldIdsFor, type World } from './world.js';
import { accountShape, SimImages } from './account-shape.js';
import { createSandboxEdge, seedEdge, type EdgeShape, type SandboxEdge } from './edge.js';
import { startEdgeServer } from './edge-server.js';
import { sandboxInspector } from './inspector.js';

export type { SandboxFault } from './faults.js';
export { SANDBOX_FAULTS } from './faults.js';
export type { OriginMode } from './servers.js';
export type { TrafficClass, TrafficCounts, TrafficMonitor, TrafficSample, TrafficTotals } from './traffic.js';
export { failedOf } from './traffic.js';
export { DEFAULT_SPEED, REALISTIC } from './timing.js';

export interface SandboxOptions {
  /** Time compression: every realistic duration is divided by it (default 5: a drill of about a minute). */
  readonly speed?: number | undefined;
  readonly faults?: readonly SandboxFault[] | undefined;
  /** Simulated visitors' requests per second once `traffic.start()` is called (default 20). */
  readonly trafficRate?: number | undefined;
  /** How many web servers to create when the runbook selects them by tags (default 3; ignored when it names instance ids). */
  readonly webServers?: number | undefined;
}

/** A running simulated account and local site. Everything listens on 127.0.0.1 with OS-chosen ports. */
export interface Sandbox {
  /** The ports the engine uses; `clock` is the real clock (the sandbox's own timers run `speed` times faster). */
  readonly ports: Ports;
  /** The runbook given, with `site.url` and `maintenance.url` pointing at the local front and maintenance site (paths kept). */
  readonly runbook: Runbook;
  /** The runbook as given (its public hosts): what `site provision` provisions for. */
  readonly source: Runbook;
  /** How often the engine should poll, in ms: the runbook's interval (default 2 s) ÷ speed. */
  readonly pollIntervalMs: number;
  /** The engine's default wait for health, in ms: the runbook's (default 300 s) ÷ speed. */
  readonly healthyTimeoutMs: number;
  readonly speed: number;
  /** The simulated S3 holding the maintenance site (bucket `runbook.maintenance.bucket`), served at `maintenance.url`. */
  readonly bucket: SandboxBucket;
  /** Resolves once the bucket holds its first copy of the shop (seeded in the background at start). */
  readonly maintenanceReady: Promise<void>;
  /** Simulated visitors against the site; not started until `traffic.start()`. */
  readonly traffic: TrafficMonitor;
  /**
   * Switch a web server (or all) between `ok`, `slow` (answers after 1.5 s), `error` (500 at every
   * path, `/health` included) and `dead` (every connection dropped). Takes effect on the next request.
   */
  readonly origins: Pick<Origins, 'setMode'>;
  /**
   * ACM, CloudFront and the zones of the simulated account (see `edge.ts`): what `site provision`,
   * `site publish`'s invalidation and the HTTPS readiness read and change, as on a real account.
   */
  readonly edge: SandboxEdge;
  /** The local CloudFront edge location (HTTPS), serving the maintenance host once a distribution carries it. */
  readonly edgeOrigin: string;
  /** What DNS resolvers see (changes show from INSYNC on); undefined when the name does not exist. */
  readonly resolver: { resolve(name: string): DnsRecord | undefined };
  /** Closes every server, socket and timer. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Builds a simulated AWS account matching `runbook` (its target group, listener, web servers, AMI,
 * subnet, security groups, hosted zone and record) and starts the local site: the load-balancer
 * front, the web servers (registered and healthy), the maintenance site. Web servers and the
 * front answer at once; see `REALISTIC` and `DEFAULT_SPEED` for the timings.
 */
export async function startSandbox(runbook: Runbook, options: SandboxOptions = {}): Promise<Sandbox> {
  const timing = timingFor(options.speed ?? DEFAULT_SPEED);
  const shape = accountShape(options.faults ?? []);
  const world: World = {
    ids: worldIdsFor(runbook),
    timing,
    timers: new TimerSet(),
    faults: new Faults(options.faults ?? []),
    shape,
    images: new SimImages(runbook, shape),
    instances: new Map(),
    pending: new Set(),
  };
  const servers: LocalServer[] = [];
  let traffic: TrafficMonitor | undefined;
  const stop = stopper(world, servers, () => traffic);
  try {
    return await assemble(runbook, options, world, servers, stop, (t) => (traffic = t));
  } catch (error) {
    await stop();
    throw error;
  }
}

async function assemble(
  runbook: Runbook,
  options: SandboxOptions,
  world: World,
  servers: LocalServer[],
  stop: () => Promise<void>,
  setTraffic: (t: TrafficMonitor) => void,
): Promise<Sandbox> {
  const targetGroup = targetGroupFor(world.ids, world.shape);
  const lb = new SandboxLoadBalancer(
    world,
    targetGroup,
    listenerFor(world.ids, runbook, world.faults.has('listener-rules')),
  );
  const compute = new SandboxCompute(world, {
    primaryInstanceType: runbook.redirectServer?.instanceType,
    bootSeconds: runbook.redirectServer?.bootSeconds,
    onShutdown: (id) => lb.instanceShutDown(id),
  });
  const dns = new SandboxDns(world);
  if (runbook.dns !== undefined)
    dns.addZone(runbook.dns.hostedZoneId, [initialRecord(world.ids, runbook.dns)], zoneNameOf(runbook.dns.recordName));
  const edge = createSandboxEdge(world, dns);
  seedEdge(edge, dns, world, runbook, edgeShape(world));
  const origins = await startOrigins(runbook, options.webServers ?? 3, world, compute, lb, targetGroup);
  const scaling = new SandboxAutoScaling(
    world,
    `${runbook.name}-web`.slice(0, 255),
    origins.ids,
    world.ids.targetGroupArn,
  );
  if (world.faults.has('scale-out'))
    scaling.startScaleOut({ launch: () => origins.launch(), register: (id) => lb.registry.register({ id }) });
  const maintenance = await startMaintenanceSite(runbook);
  servers.push(maintenance.server);
  const edgeServer = await startEdgeServer(edge, maintenance.bucket);
  servers.push(edgeServer.server);
  const front = await startFront(lb);
  servers.push(front);
  const local = withSandboxBucket(
    localRunbook(runbook, front.origin, maintenance.server.origin),
    maintenance.bucketName,
  );
  maintenance.seed(local);
  world.pending.add(maintenance.ready);
  const traffic = createTrafficMonitor({ rate: options.trafficRate, target: trafficTarget(local, world, dns) });
  setTraffic(traffic);
  const speed = world.timing.speed;
  return {
    ports: {
      lb,
      compute,
      dns,
      scaling,
      probe: resolvingProbe(local, trafficTarget(local, world, dns)),
      clock: systemClock,
      site: sandboxInspector(runbook, local, edge, edgeServer.readTls),
    },
    edge,
    edgeOrigin: edgeServer.server.origin,
    runbook: local,
    source: runbook,
    pollIntervalMs: world.timing.ms(runbook.polling?.intervalSeconds ?? REALISTIC.pollSeconds),
    healthyTimeoutMs: world.timing.ms(runbook.polling?.healthyTimeoutSeconds ?? REALISTIC.healthyTimeoutSeconds),
    speed,
    bucket: maintenance.bucket,
    maintenanceReady: maintenance.ready,
    traffic,
    origins: { setMode: (id, mode) => origins.setMode(id, mode) },
    resolver: { resolve: (name) => dns.resolve(name) },
    stop,
  };
}

/** The edge's shape before the drill, from the faults. */
function edgeShape(world: World): EdgeShape {
  const shapes = ['no-distribution', 'certificate-pending', 'distribution-in-progress'] as const;
  return shapes.find((s) => world.faults.has(s)) ?? 'provisioned';
}

/** The zone the site's record lives in: its parent domain (`www.example.com` -> `example.com`). */
function zoneNameOf(recordName: string): string {
  const labels = recordName.replace(/\.$/, '').toLowerCase().split('.');
  return labels.length > 2 ? labels.slice(1).join('.') : labels.join('.');
}

/**
 * Probes of the site go where DNS sends visitors, as they would from outside: after a DNS failover
 * the site's URL reaches the maintenance site. Other URLs are probed as they are.
 */
function resolvingProbe(local: Runbook, siteTarget: () => string | undefined): Probe {
  const http = createHttpProbe();
  const site = new URL(local.site.url);
  return {
    check: (request) => {
      const url = new URL(request.url);
      if (url.origin !== site.origin) return http.check(request);
      const target = siteTarget();
      if (target === undefined)
        return Promise.resolve({
          url: request.url,
          at: Date.now(),
          latencyMs: 0,
          error: 'NXDOMAIN: the name does not resolve',
        });
      const resolved = new URL(target);
      return http
        .check({ ...request, url: `${resolved.origin}${url.pathname}${url.search}` })
        .then((r) => ({ ...r, url: request.url }));
    },
  };
}

/** Visitors go where DNS sends them: the front while the record points at the ALB, else the maintenance site. */
function trafficTarget(local: Runbook, world: World, dns: SandboxDns): () => string | undefined {
  const record = local.dns;
  if (record === undefined) return () => local.site.url;
  return () => {
    const resolved = dns.resolve(record.recordName, record.type);
    if (resolved === undefined) return undefined;
    return pointsAtAlb(resolved, world.ids) ? local.site.url : local.maintenance.url;
  };
}

function stopper(world: World, servers: LocalServer[], traffic: () => TrafficMonitor | undefined): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      world.timers.clearAll();
      await traffic()?.stop();
      await Promise.allSettled([...world.pending]);
      const instanceServers = [...world.instances.values()].flatMap((i) =>
        [i.server, i.healthServer].filter((s): s is LocalServer => s !== undefined),
      );
      await Promise.all([...servers, ...instanceServers].map((s) => s.close()));
    })();
    return stopping;
  };
}
