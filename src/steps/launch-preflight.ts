import { ExternalError, UsageError } from '../domain/errors.js';
import type { LaunchSpec, RedirectConfig } from '../ports/index.js';
import { imageProblem, imageText } from '../redirect/image.js';
import { installsAtBoot, wayOutText } from '../redirect/way-out.js';
import { configDigest } from '../redirect/config.js';
import { renderUserData } from '../redirect/user-data.js';
import { readLaunchFacts, redirectConfigOf, redirectServerOf, type LaunchFacts } from './redirect-server.js';
import { findSpares, matchingSpare, staleSpares, uncheckedSpares } from './spare.js';
import type { PreflightCheck, PreflightContext } from './types.js';

/** What the redirect server answers, in one line. */
export function redirectText(c: RedirectConfig): string {
  const hc = c.healthCheck;
  const keep = [c.keepPath ? 'path' : '', c.keepQuery ? 'query' : ''].filter((s) => s !== '').join(' and ');
  return (
    `${c.server}: ELB-HealthChecker GET ${hc.path} on ${hc.protocol}:${hc.port} gets ${hc.status}; ` +
    `every other request gets ${c.statusCode} to ${c.targetUrl}${keep === '' ? '' : ` (${keep} kept)`}`
  );
}

/** The way-out failure: the chosen server installs packages and the subnet cannot reach them. */
export function noWayOut(facts: LaunchFacts, config: RedirectConfig): ExternalError | undefined {
  if (!installsAtBoot(config) || facts.wayOut?.kind !== 'none') return undefined;
  return new ExternalError(
    `The redirect server (${config.server}) installs packages at boot, and ${facts.wayOut.why}.`,
    {
      code: 'NoWayOut',
      nextSteps:
        "Use server: builtin (the image's python3, nothing to install), prepare a spare ahead (hotspare prepare RUNBOOK), " +
        'use an image with the server baked in (preinstalled: true), or give the subnet a NAT gateway or an S3 gateway endpoint (Amazon Linux).',
    },
  );
}

/**
 * The launch step's read-only checks: the answers can be served for this target group, the image
 * runs a supported server on the instance type, the subnet has the way out the server needs (or a
 * spare is ready), and EC2 permits the launch (DryRun with the resolved image).
 */
export function launchChecks(ctx: PreflightContext, spec: (imageId: string) => LaunchSpec): PreflightCheck[] {
  let facts: Promise<LaunchFacts> | undefined;
  // One read each (preflight retries every check as a whole); a failed read is not kept for the retry.
  const launchFacts = (): Promise<LaunchFacts> =>
    (facts ??= readLaunchFacts(ctx.runbook, ctx.ports.compute, (fn) => fn()).catch((error: unknown) => {
      facts = undefined;
      throw error;
    }));
  const config = (): RedirectConfig => redirectConfigOf(ctx);
  return [
    {
      name: 'redirect server answers',
      run: async () => {
        // The user data as it will be sent: safe values, and within EC2's 16 KB.
        renderUserData(config());
        return redirectText(config());
      },
    },
    {
      name: 'redirect image',
      run: async () => {
        const { image, architectures } = await launchFacts();
        const rs = redirectServerOf(ctx.runbook);
        const problem = imageProblem(
          image,
          { instanceType: rs.instanceType, architectures },
          config().server,
          config().preinstalled,
        );
        if (problem !== undefined)
          throw new UsageError(`No supported redirect server runs here: ${problem}.`, {
            code: 'UnsupportedImage',
            nextSteps:
              "Set redirectServer.imageId to an Amazon Linux, Ubuntu or Debian image for the instance type's architecture, or leave it out for the latest Amazon Linux 2023.",
          });
        return `${imageText(image)} on ${rs.instanceType} (${architectures.join(', ')})`;
      },
    },
    {
      name: 'way out of the subnet',
      run: async () => {
        const [f, spare] = await Promise.all([
          launchFacts(),
          findSpares(ctx.ports.compute, ctx.runbook.name).then((s) => matchingSpare(s, config())),
        ]);
        const way = f.wayOut === undefined ? '' : `; ${wayOutText(f.wayOut)}`;
        if (spare !== undefined) return `a prepared spare (${spare.id}) needs none${way}`;
        const error = noWayOut(f, config());
        if (error !== undefined) throw error;
        return installsAtBoot(config()) && f.wayOut !== undefined
          ? wayOutText(f.wayOut)
          : `none needed (${config().preinstalled ? 'preinstalled' : 'builtin'} server)${way}`;
      },
    },
    {
      name: 'prepared spare',
      run: async () => {
        const spares = await findSpares(ctx.ports.compute, ctx.runbook.name);
        const ready = matchingSpare(spares, config());
        const stale = staleSpares(spares, config());
        const unchecked = uncheckedSpares(spares, config());
        const staleText = [
          ...(stale.length === 0
            ? []
            : [`${stale.map((s) => s.id).join(', ')} prepared for another config (run hotspare prepare again)`]),
          ...(unchecked.length === 0
            ? []
            : [
                `${unchecked.map((s) => `${s.id} (${s.state})`).join(', ')} never passed its self-check, not used (its hotspare prepare did not finish)`,
              ]),
        ]
          .map((t) => `; ${t}`)
          .join('');
        if (ready !== undefined)
          return `${ready.id} (${ready.state}, config ${configDigest(config())}) is started instead of a launch${staleText}`;
        return `none: a new instance is launched${staleText}`;
      },
    },
    {
      name: 'launch permission (EC2 DryRun)',
      run: async () => {
        const launch = spec((await launchFacts()).image.id);
        await ctx.ports.compute.checkLaunch(launch);
        return `${launch.imageId} in ${launch.subnetId}: permitted`;
      },
    },
  ];
}
