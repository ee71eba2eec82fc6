import { UsageError } from '../domain/errors.js';
import type { Clock, ImageInfo, Ports, RedirectConfig, SubnetNetwork } from '../ports/index.js';
import { retryRead } from '../domain/retry.js';
import { redirectConfigFor, type RedirectChoice } from '../redirect/config.js';
import { guessArchitecture, imageOs, imageRefFor } from '../redirect/image.js';
import { installsAtBoot, wayOut, type WayOut } from '../redirect/way-out.js';
import type { Runbook } from '../runbook/schema.js';
import type { DescribeContext } from './types.js';

/** The runbook's redirectServer section; a UsageError when there is none. */
export function redirectServerOf(runbook: Runbook): NonNullable<Runbook['redirectServer']> {
  const rs = runbook.redirectServer;
  if (rs === undefined)
    throw new UsageError('launch-redirect needs a redirectServer section in the runbook.', {
      code: 'NoRedirectServer',
    });
  return rs;
}

/** What the runbook asks of the redirect server (`server` defaults to builtin). */
export function redirectChoiceOf(runbook: Runbook): RedirectChoice {
  const rs = redirectServerOf(runbook);
  return {
    server: rs.server ?? 'builtin',
    targetUrl: runbook.maintenance.url,
    statusCode: rs.statusCode,
    keepPath: rs.keepPath,
    keepQuery: rs.keepQuery,
    preinstalled: rs.preinstalled,
  };
}

/** The redirect server for this run's target group; throws a UsageError for one no server can serve. */
export function redirectConfigOf(ctx: DescribeContext): RedirectConfig {
  return redirectConfigFor(ctx.env.targetGroup, redirectChoiceOf(ctx.runbook));
}

/** The image the runbook names, or the latest Amazon Linux 2023 for its instance type (guessed without the account). */
export function imageRefOf(runbook: Runbook, architecture?: 'x86_64' | 'arm64'): string {
  const rs = redirectServerOf(runbook);
  return imageRefFor(rs.imageId, architecture ?? guessArchitecture(rs.instanceType));
}

/**
 * What the account says about where the redirect instance would run. The subnet's network (and so
 * the way out) is read only for a server that installs packages at boot: the others need none.
 */
export interface LaunchFacts {
  readonly image: ImageInfo;
  readonly architectures: readonly string[];
  readonly network?: SubnetNetwork | undefined;
  readonly wayOut?: WayOut | undefined;
}

/** Runs one read with a retry policy (the engine's `ctx.read`, or `retryRead` with a clock). */
export type Read = <T>(fn: () => Promise<T>) => Promise<T>;

/** `retryRead` on the ports' clock: the read policy for callers without a step context. */
export function readerOf(clock: Clock, signal?: AbortSignal): Read {
  return (fn) => retryRead(fn, { clock, signal });
}

/**
 * Read the image (resolving `resolve:ssm:`; for an omitted imageId, the latest Amazon Linux 2023
 * for the type's real architecture), the instance type and, for a server installed at boot, the
 * subnet's network, each read with `read`'s retry; type and subnet concurrently.
 */
export async function readLaunchFacts(runbook: Runbook, compute: Ports['compute'], read: Read): Promise<LaunchFacts> {
  const rs = redirectServerOf(runbook);
  const choice = redirectChoiceOf(runbook);
  const needsWayOut = installsAtBoot({ server: choice.server, preinstalled: choice.preinstalled === true });
  const [type, network] = await Promise.all([
    read(() => compute.describeInstanceType(rs.instanceType)),
    needsWayOut ? read(() => compute.describeSubnetNetwork(rs.subnetId)) : Promise.resolve(undefined),
  ]);
  const arch = type.architectures.includes('arm64') && !type.architectures.includes('x86_64') ? 'arm64' : 'x86_64';
  const image = await read(() => compute.describeImage(imageRefOf(runbook, arch)));
  return {
    image,
    architectures: type.architectures,
    network,
    wayOut: network === undefined ? undefined : wayOut(network, runbook.region, imageOs(image)),
  };
}
