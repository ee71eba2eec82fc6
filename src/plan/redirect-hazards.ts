import type { RunEnvironment } from '../domain/types.js';
import { HotspareError } from '../domain/errors.js';
import type { RedirectConfig } from '../ports/index.js';
import { configDigest, redirectConfigFor } from '../redirect/config.js';
import { imageOs, imageProblem } from '../redirect/image.js';
import { installsAtBoot, wayOut } from '../redirect/way-out.js';
import type { Runbook } from '../runbook/schema.js';
import { stepIdOf } from '../runbook/schema.js';
import { redirectChoiceOf } from '../steps/redirect-server.js';
import { CHECKED_TAG, CONFIG_TAG } from '../steps/spare.js';
import type { Hazard } from './types.js';

const WAYS_WITHOUT_INSTALL =
  "server: builtin (the image's python3), a spare prepared ahead (hotspare prepare), or an image with the server baked in (preinstalled: true)";

/**
 * What can keep the redirect instance from ever becoming healthy, before anything runs: a target
 * group no server can answer, an image no supported server runs on, and a server that installs
 * packages at boot in a subnet with no way out (or, when the account was not read, that it needs
 * one). Pure.
 */
export function redirectHazards(runbook: Runbook, env: RunEnvironment): Hazard[] {
  const step = runbook.steps.find((s) => s.type === 'launch-redirect');
  if (step === undefined || runbook.redirectServer === undefined) return [];
  const stepId = stepIdOf(step);
  let config: RedirectConfig;
  try {
    config = redirectConfigFor(env.targetGroup, redirectChoiceOf(runbook));
  } catch (error) {
    if (!(error instanceof HotspareError)) throw error;
    return [
      {
        code: 'redirect-unservable',
        severity: 'danger',
        stepId,
        message: `${error.message} ${error.nextSteps ?? ''}`.trim(),
      },
    ];
  }
  const launch = env.redirectLaunch;
  if (!env.discovered || launch === undefined) {
    return installsAtBoot(config)
      ? [
          {
            code: 'needs-way-out',
            severity: 'info',
            stepId,
            message: `${config.server} is installed at boot: the subnet needs a way out (a NAT gateway, an internet gateway with public IPs, or an S3 gateway endpoint for Amazon Linux). Preflight checks it; ${WAYS_WITHOUT_INSTALL} need none.`,
          },
        ]
      : [];
  }
  if (launch.problem !== undefined)
    return [
      {
        code: 'redirect-image',
        severity: 'danger',
        stepId,
        message: `The redirect instance's image, type or subnet could not be read: ${launch.problem}`,
      },
    ];
  return [...imageHazards(runbook, launch, config, stepId), ...wayOutHazards(runbook, launch, config, stepId, env)];
}

function imageHazards(
  runbook: Runbook,
  launch: NonNullable<RunEnvironment['redirectLaunch']>,
  config: RedirectConfig,
  stepId: string,
): Hazard[] {
  if (launch.image === undefined) return [];
  const type = { instanceType: runbook.redirectServer?.instanceType ?? '', architectures: launch.architectures ?? [] };
  const problem = imageProblem(launch.image, type, config.server, config.preinstalled);
  return problem === undefined
    ? []
    : [
        {
          code: 'redirect-image',
          severity: 'danger',
          stepId,
          message: `No supported redirect server runs here: ${problem}.`,
        },
      ];
}

function wayOutHazards(
  runbook: Runbook,
  launch: NonNullable<RunEnvironment['redirectLaunch']>,
  config: RedirectConfig,
  stepId: string,
  env: RunEnvironment,
): Hazard[] {
  const digest = configDigest(config);
  const spares = launch.spares ?? [];
  // A spare registered in the target group is in use (or left there): never a ready one.
  const registered = new Set((env.hotspareTargets ?? []).map((t) => t.id));
  const live = spares.filter(
    (s) =>
      s.tags[CONFIG_TAG] === digest && s.state !== 'terminated' && s.state !== 'shutting-down' && !registered.has(s.id),
  );
  // Ready only once it passed its own self-check (it powers itself off then, and prepare tags it).
  const ready = live.find((s) => s.tags[CHECKED_TAG] !== undefined);
  const unchecked = live.filter((s) => s.tags[CHECKED_TAG] === undefined);
  const stale = spares.filter((s) => s.tags[CONFIG_TAG] !== digest);
  const out: Hazard[] = [];
  if (ready !== undefined)
    out.push({
      code: 'spare',
      severity: 'info',
      stepId,
      message: `A spare prepared for this config is ready (${ready.id}, ${ready.state}): the failover starts it instead of launching (no install, no way out needed).`,
    });
  if (unchecked.length > 0)
    out.push({
      code: 'spare',
      severity: 'warning',
      stepId,
      message: `${unchecked.map((s) => `${s.id} (${s.state})`).join(', ')} never passed its self-check (hotspare prepare did not finish): it is not ready and will not be used. Run hotspare prepare again to wait for it, or terminate it: aws ec2 terminate-instances --instance-ids ${unchecked.map((s) => s.id).join(' ')}`,
    });
  if (stale.length > 0)
    out.push({
      code: 'spare',
      severity: 'warning',
      stepId,
      message: `${stale.map((s) => s.id).join(', ')} was prepared for another config (target group or URL changed) and will not be used: run hotspare prepare again.`,
    });
  if (ready !== undefined || !installsAtBoot(config) || launch.network === undefined || launch.image === undefined)
    return out;
  const way = wayOut(launch.network, runbook.region, imageOs(launch.image));
  if (way.kind !== 'none') return out;
  return [
    ...out,
    {
      code: 'no-way-out',
      severity: 'danger',
      stepId,
      message: `${config.server} is installed at boot, and ${way.why}: the redirect instance would never become healthy. Use ${WAYS_WITHOUT_INSTALL}, or give the subnet a NAT gateway.`,
    },
  ];
}
