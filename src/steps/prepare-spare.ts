import { ExternalError, HotspareError, UsageError } from '../domain/errors.js';
import type { InstanceInfo, LaunchSpec, Ports } from '../ports/index.js';
import { configDigest } from '../redirect/config.js';
import { imageProblem } from '../redirect/image.js';
import type { Runbook } from '../runbook/schema.js';
import type { RunEnvironment } from '../domain/types.js';
import { noWayOut } from './launch-preflight.js';
import { redirectConfigFor } from '../redirect/config.js';
import { readerOf, readLaunchFacts, redirectChoiceOf, redirectServerOf } from './redirect-server.js';
import { findSpares, matchingSpare, spareTags, staleSpares } from './spare.js';

export interface PrepareOptions {
  readonly runbook: Runbook;
  readonly env: RunEnvironment;
  readonly ports: Pick<Ports, 'compute' | 'clock'>;
  readonly pollIntervalMs: number;
  /** How long the spare may take to install, check itself and power off. */
  readonly timeoutMs: number;
  readonly progress: (message: string) => void;
  /** Check permissions with EC2 DryRun and launch nothing. */
  readonly dryRun?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface PrepareResult {
  readonly instanceId: string;
  /** `ready` when one was already prepared for this config, `prepared` when launched now, `dry-run` when nothing was launched. */
  readonly outcome: 'ready' | 'prepared' | 'dry-run';
  /** Stopped spares made for another config and terminated. */
  readonly replaced: readonly string[];
}

/**
 * Prepare the runbook's spare ahead of an incident: launch the redirect instance with its server
 * installed and configured for the target group as it is now; the instance checks its own health
 * answer and powers itself off. Idempotent: a spare for the same config is reused (or waited for
 * while it prepares); stopped spares for another config are terminated once the new one is ready.
 * Not journaled: nothing the site depends on changes.
 */
export async function prepareSpare(o: PrepareOptions): Promise<PrepareResult> {
  const config = redirectConfigFor(o.env.targetGroup, redirectChoiceOf(o.runbook));
  const spares = await findSpares(o.ports.compute, o.runbook.name);
  const existing = matchingSpare(spares, config);
  if (existing?.state === 'stopped')
    return { instanceId: existing.id, outcome: 'ready', replaced: await replaceStale(o, spares, config) };
  if (existing !== undefined) o.progress(`${existing.id} is ${existing.state}: waiting for it to power off`);
  const instance = existing ?? (await launchSpare(o, config));
  if (instance === undefined) return { instanceId: '', outcome: 'dry-run', replaced: [] };
  await waitStopped(o, instance);
  return {
    instanceId: instance.id,
    outcome: 'prepared',
    replaced: await replaceStale(o, await findSpares(o.ports.compute, o.runbook.name), config),
  };
}

async function launchSpare(
  o: PrepareOptions,
  config: ReturnType<typeof redirectConfigFor>,
): Promise<InstanceInfo | undefined> {
  const rs = redirectServerOf(o.runbook);
  const facts = await readLaunchFacts(o.runbook, o.ports.compute, readerOf(o.ports.clock, o.signal));
  const problem = imageProblem(
    facts.image,
    { instanceType: rs.instanceType, architectures: facts.architectures },
    config.server,
    config.preinstalled,
  );
  if (problem !== undefined)
    throw new UsageError(`No supported redirect server runs here: ${problem}.`, { code: 'UnsupportedImage' });
  const cannotInstall = noWayOut(facts, config);
  if (cannotInstall !== undefined) throw cannotInstall;
  const digest = configDigest(config);
  const types = [rs.instanceType, ...(rs.fallbackInstanceTypes ?? [])];
  for (const [i, instanceType] of types.entries()) {
    const spec: LaunchSpec = {
      imageId: facts.image.id,
      instanceType,
      subnetId: rs.subnetId,
      securityGroupIds: rs.securityGroupIds,
      keyName: rs.keyName,
      redirect: config,
      clientToken: `hs-spare-${digest}-${instanceType}`.slice(0, 64),
      tags: spareTags(o.runbook.name, config),
      spare: true,
    };
    if (o.dryRun === true) {
      await o.ports.compute.checkLaunch(spec);
      o.progress(
        `dry run: RunInstances ${instanceType} from ${facts.image.id} in ${rs.subnetId} is permitted; nothing launched`,
      );
      return undefined;
    }
    try {
      const { instance } = await o.ports.compute.runInstance(spec);
      o.progress(
        `launched ${instance.id} (${instanceType}, ${facts.image.id}): installing and checking ${config.server}, then powering off`,
      );
      return instance;
    } catch (error) {
      const noCapacity = error instanceof HotspareError && error.code === 'InsufficientInstanceCapacity';
      if (!noCapacity || i === types.length - 1) throw error;
      o.progress(`no capacity for ${instanceType}; trying ${types[i + 1]}`);
    }
  }
  return undefined;
}

async function waitStopped(o: PrepareOptions, instance: InstanceInfo): Promise<void> {
  const started = o.ports.clock.now();
  let last = instance.state;
  for (;;) {
    const [found] = await o.ports.compute.describeInstances({ ids: [instance.id], liveOnly: false });
    if (found?.state === 'stopped') return;
    if (found === undefined || found.state === 'terminated' || found.state === 'shutting-down') {
      throw new ExternalError(`The spare ${instance.id} is ${found?.state ?? 'gone'}.`, {
        code: 'SpareLost',
        nextSteps: 'Run hotspare prepare again.',
      });
    }
    if (found.state !== last) o.progress(`${instance.id}: ${found.state}`);
    last = found.state;
    if (o.ports.clock.now() - started > o.timeoutMs) {
      throw new ExternalError(
        `The spare ${instance.id} is still ${found.state} after ${Math.round(o.timeoutMs / 1000)} s: it powers itself off only once its server answers its health check.`,
        {
          code: 'SpareNotReady',
          retryable: true,
          nextSteps: `Read its console output (aws ec2 get-console-output --instance-id ${instance.id}) for lines starting "hotspare:", then run prepare again (it waits for the same instance) or terminate it.`,
        },
      );
    }
    await o.ports.clock.sleep(o.pollIntervalMs, o.signal);
  }
}

async function replaceStale(
  o: PrepareOptions,
  spares: readonly InstanceInfo[],
  config: ReturnType<typeof redirectConfigFor>,
): Promise<string[]> {
  const stale = staleSpares(spares, config).filter((s) => s.state === 'stopped');
  if (stale.length === 0 || o.dryRun === true) return [];
  await o.ports.compute.terminateInstances(stale.map((s) => s.id));
  o.progress(`terminated ${stale.map((s) => s.id).join(', ')}: prepared for another config`);
  return stale.map((s) => s.id);
}
