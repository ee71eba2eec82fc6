import type { ListenerInfo, Ports, TargetGroupInfo, TargetHealth } from '../ports/index.js';
import { groupsTouching } from '../domain/scaling.js';
import { retryRead, type OnRetry } from '../domain/retry.js';
import type { Runbook } from '../runbook/schema.js';
import type { HotspareTarget, RedirectLaunchEnvironment, RunEnvironment } from '../domain/types.js';
import { HotspareError } from '../domain/errors.js';
import { readMaintenanceSite } from '../site/readiness.js';
import { readLaunchFacts, type Read } from '../steps/redirect-server.js';
import { findSpares } from '../steps/spare.js';
import { hotspareTargetsOf } from './hotspare-targets.js';

/** ALB defaults, used to plan when the account cannot be read. */
export const ALB_DEFAULTS = {
  intervalSeconds: 30,
  timeoutSeconds: 5,
  healthyThreshold: 5,
  unhealthyThreshold: 2,
  deregistrationDelaySeconds: 300,
} as const;

/** Account id from any ARN. */
export function accountOf(arn: string): string | undefined {
  return /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(arn)?.[1];
}

/** An environment from the runbook alone, with the ALB defaults (`discovered: false`). */
export function assumedEnvironment(runbook: Runbook): RunEnvironment {
  const tgRef = runbook.loadBalancer.targetGroup;
  const isArn = tgRef.startsWith('arn:');
  const targetGroup: TargetGroupInfo = {
    arn: isArn ? tgRef : `arn:aws:elasticloadbalancing:${runbook.region}:<account>:targetgroup/${tgRef}/<id>`,
    name: isArn ? (tgRef.split('/')[1] ?? tgRef) : tgRef,
    protocol: 'HTTP',
    port: 80,
    targetType: 'instance',
    healthCheck: { protocol: 'HTTP', path: '/', port: 'traffic-port', ...ALB_DEFAULTS },
    deregistrationDelaySeconds: ALB_DEFAULTS.deregistrationDelaySeconds,
    loadBalancerArns: [],
  };
  const ids = runbook.webServers.instanceIds ?? [`<instances tagged ${tagText(runbook.webServers.tags ?? {})}>`];
  return {
    discovered: false,
    account: isArn ? accountOf(tgRef) : undefined,
    targetGroup,
    webTargets: ids.map((id) => ({ id, port: 80 })),
    webInstances: [],
  };
}

export function tagText(tags: Readonly<Record<string, string>>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/**
 * Read the environment from the account: target group, web servers (by ids or tags) as they are
 * registered, the listener, and with `maintenanceSite` (and a site inspector) the published
 * maintenance site, and the Auto Scaling groups that touch the target group (a group that cannot
 * be read is noted, not fatal: the run can go on without it). The reads run concurrently, each with
 * the read retry policy; errors are the ports' translated ones.
 */
export async function discoverEnvironment(
  runbook: Runbook,
  ports: Pick<Ports, 'lb' | 'compute' | 'clock' | 'site' | 'scaling'>,
  options: {
    readonly maintenanceSite?: boolean;
    readonly signal?: AbortSignal | undefined;
    readonly onRetry?: OnRetry | undefined;
  } = {},
): Promise<RunEnvironment> {
  const { lb, compute, clock } = ports;
  const read = <T>(fn: () => Promise<T>): Promise<T> =>
    retryRead(fn, { clock, signal: options.signal, onRetry: options.onRetry });
  const query =
    runbook.webServers.instanceIds !== undefined
      ? { ids: runbook.webServers.instanceIds }
      : { tags: runbook.webServers.tags ?? {} };
  const groups = read(() => ports.scaling.describeGroups()).then(
    (all) => ({ all }),
    (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
  );
  const [targetGroup, webInstances, listener, maintenanceSite, redirectLaunch] = await Promise.all([
    read(() => lb.describeTargetGroup(runbook.loadBalancer.targetGroup)),
    read(() => compute.describeInstances({ ...query, liveOnly: true })),
    runbook.loadBalancer.listener === undefined
      ? Promise.resolve(undefined)
      : readListener(lb, runbook.loadBalancer.listener, read),
    options.maintenanceSite === true ? readMaintenanceSite(runbook, ports.site) : undefined,
    discoverRedirectLaunch(runbook, compute, read),
  ]);
  const health = await read(() => lb.describeTargetHealth(targetGroup.arn));
  const webIds = new Set(webInstances.map((i) => i.id));
  const webTargets = health
    .filter((h) => webIds.has(h.id) && h.state !== 'draining')
    .map((h) => ({ id: h.id, port: h.port, availabilityZone: h.availabilityZone }));
  const hotspareTargets = await taggedTargets(health, webIds, compute, read);
  const scaling = await groups;
  const scalingPart =
    'all' in scaling
      ? {
          scalingGroups: groupsTouching(
            scaling.all,
            targetGroup.arn,
            webInstances.map((i) => i.id),
          ),
        }
      : { scalingReadError: scaling.error };
  return {
    discovered: true,
    account: accountOf(targetGroup.arn),
    targetGroup,
    webTargets,
    webInstances,
    listener,
    ...scalingPart,
    ...(maintenanceSite === undefined ? {} : { maintenanceSite }),
    redirectLaunch,
    hotspareTargets,
  };
}

/** The listener with its rules: what traffic reaches which target group before the default action. */
async function readListener(lb: Ports['lb'], arn: string, read: Read): Promise<ListenerInfo> {
  const [listener, rules] = await Promise.all([
    read(() => lb.describeListener(arn)),
    read(() => lb.describeRules(arn)),
  ]);
  return { ...listener, rules };
}

/**
 * For a runbook that launches a redirect instance: its image (resolved), instance type, subnet
 * network and prepared spares. A failed read is kept as `problem`, so `plan` and `status` still
 * work; preflight reads again and fails on it.
 */
async function discoverRedirectLaunch(
  runbook: Runbook,
  compute: Ports['compute'],
  read: Read,
): Promise<RedirectLaunchEnvironment | undefined> {
  if (runbook.redirectServer === undefined || !runbook.steps.some((s) => s.type === 'launch-redirect'))
    return undefined;
  try {
    const [facts, spares] = await Promise.all([
      readLaunchFacts(runbook, compute, read),
      read(() => findSpares(compute, runbook.name)),
    ]);
    return { image: facts.image, architectures: facts.architectures, network: facts.network, spares };
  } catch (error) {
    if (!(error instanceof HotspareError)) throw error;
    return { problem: error.message };
  }
}

/**
 * Registered instances that are not web servers: a hotspare redirect instance or spare is known by
 * its tags (one read, only when there is such a target; a failover's start has none).
 */
async function taggedTargets(
  health: readonly TargetHealth[],
  webIds: ReadonlySet<string>,
  compute: Ports['compute'],
  read: Read,
): Promise<readonly HotspareTarget[]> {
  const others = health
    .filter((h) => !webIds.has(h.id) && h.id.startsWith('i-') && h.state !== 'draining')
    .map((h) => h.id);
  const otherInstances =
    others.length === 0 ? [] : await read(() => compute.describeInstances({ ids: others, liveOnly: false }));
  return hotspareTargetsOf(health, otherInstances);
}

/**
 * The environment with the hotspare instances registered now (runs in effect, see
 * `hotspare-targets.ts`) read again: a session that read the account a while ago (the dashboard)
 * must not be blocked by a leftover removed since, nor miss one added since. One DescribeTargetHealth,
 * and one DescribeInstances only when a target is not a web server.
 */
export async function withCurrentHotspareTargets(
  env: RunEnvironment,
  ports: Pick<Ports, 'lb' | 'compute' | 'clock'>,
  options: { readonly signal?: AbortSignal | undefined; readonly onRetry?: OnRetry | undefined } = {},
): Promise<RunEnvironment> {
  if (!env.discovered) return env;
  const read = <T>(fn: () => Promise<T>): Promise<T> =>
    retryRead(fn, { clock: ports.clock, signal: options.signal, onRetry: options.onRetry });
  const health = await read(() => ports.lb.describeTargetHealth(env.targetGroup.arn));
  const webIds = new Set(env.webInstances.map((i) => i.id));
  return { ...env, hotspareTargets: await taggedTargets(health, webIds, ports.compute, read) };
}
