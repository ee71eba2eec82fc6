import { ExternalError, HotspareError, UsageError } from '../domain/errors.js';
import type { ApiCall, StepOutputs } from '../domain/types.js';
import type { CallReceipt, InstanceInfo, LaunchSpec, Ports } from '../ports/index.js';
import { configDigest } from '../redirect/config.js';
import { imageProblem } from '../redirect/image.js';
import type { Runbook } from '../runbook/schema.js';
import type { RunEnvironment } from '../domain/types.js';
import { noWayOut } from './launch-preflight.js';
import { redirectConfigFor } from '../redirect/config.js';
import { readerOf, readLaunchFacts, redirectChoiceOf, redirectServerOf } from './redirect-server.js';
import { CHECKED_TAG, findSpares, matchingSpare, spareTags, staleSpares, uncheckedSpares } from './spare.js';

/** Sends one mutating call; the caller journals it before and after (see `prepareCommand`). */
export type PrepareMutate = <T extends CallReceipt>(
  call: ApiCall,
  send: () => Promise<T>,
  outputs?: (result: T) => StepOutputs,
) => Promise<T>;

const sendOnly: PrepareMutate = (_call, send) => send();

/** How often a long wait says it is still waiting. */
const STILL_WAITING_MS = 30_000;

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
  /** Sends each mutating call (RunInstances, CreateTags, TerminateInstances), journaled by the caller; default: just sends it. */
  readonly mutate?: PrepareMutate | undefined;
  /** Told of the instance this preparation holds, each time its state is read (for an interruption's report). */
  readonly holding?: ((instance: Pick<InstanceInfo, 'id' | 'state'>) => void) | undefined;
  /** Makes the launch's client token unique to this preparation (its run id). */
  readonly runId?: string | undefined;
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
 * answer and powers itself off, and is then tagged `hotspare:spare-checked` (only a checked spare
 * is ever used). Idempotent: a checked spare for the same config is reused, one an interrupted
 * preparation left is waited for (a stopped one that cannot be told checked is replaced); stopped
 * spares for another config are terminated once the new one is ready. Every mutating call goes
 * through `mutate` (journaled by the command).
 */
export async function prepareSpare(o: PrepareOptions): Promise<PrepareResult> {
  const config = redirectConfigFor(o.env.targetGroup, redirectChoiceOf(o.runbook));
  const spares = await findSpares(o.ports.compute, o.runbook.name);
  const existing = matchingSpare(spares, config);
  if (existing?.state === 'stopped')
    return { instanceId: existing.id, outcome: 'ready', replaced: await replaceStale(o, spares, config) };
  if (existing !== undefined) o.progress(`${existing.id} is ${existing.state}: waiting for it to power off`);
  const left = existing === undefined && o.dryRun !== true ? await leftUnchecked(o, spares, config) : undefined;
  const instance = existing ?? left ?? (await launchSpare(o, config));
  if (instance === undefined) return { instanceId: '', outcome: 'dry-run', replaced: [] };
  o.holding?.(instance);
  await waitStopped(o, instance);
  if (instance.tags[CHECKED_TAG] === undefined) await markChecked(o, instance.id);
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
      clientToken: `hs-spare-${o.runId ?? digest}-${instanceType}`.slice(0, 64),
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
      const call: ApiCall = {
        service: 'ec2',
        operation: 'RunInstances',
        params: {
          ImageId: facts.image.id,
          InstanceType: instanceType,
          SubnetId: rs.subnetId,
          ClientToken: spec.clientToken,
        },
        note: 'the spare',
      };
      const { instance } = await (o.mutate ?? sendOnly)(
        call,
        () => o.ports.compute.runInstance(spec),
        (r) => ({ instanceId: r.instance.id }),
      );
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

/**
 * A spare an interrupted preparation left for this config: one still installing (pending, running,
 * stopping) is waited for; a stopped one cannot be told checked (someone may have stopped it), so it
 * is terminated and a new one launched.
 */
async function leftUnchecked(
  o: PrepareOptions,
  spares: readonly InstanceInfo[],
  config: ReturnType<typeof redirectConfigFor>,
): Promise<InstanceInfo | undefined> {
  const left = uncheckedSpares(spares, config).filter((s) => s.state !== 'terminated' && s.state !== 'shutting-down');
  const waiting = left.find((s) => s.state === 'pending' || s.state === 'running' || s.state === 'stopping');
  if (waiting !== undefined) {
    o.progress(`${waiting.id} (${waiting.state}) was left by an earlier prepare, not yet checked: waiting for it`);
    return waiting;
  }
  const stopped = left.filter((s) => s.state === 'stopped').map((s) => s.id);
  if (stopped.length > 0 && o.dryRun !== true) {
    o.progress(`${stopped.join(', ')} stopped without being seen to pass its self-check: terminating it`);
    await terminate(o, stopped, 'a spare never seen checked');
  }
  return undefined;
}

async function terminate(o: PrepareOptions, ids: readonly string[], note: string): Promise<void> {
  const call: ApiCall = { service: 'ec2', operation: 'TerminateInstances', params: { InstanceIds: [...ids] }, note };
  await (o.mutate ?? sendOnly)(call, () => o.ports.compute.terminateInstances(ids));
}

/** Tag the spare checked: it powered itself off, which it does only once its server answered its health check. */
async function markChecked(o: PrepareOptions, id: string): Promise<void> {
  const at = new Date(o.ports.clock.now()).toISOString();
  const call: ApiCall = {
    service: 'ec2',
    operation: 'CreateTags',
    params: { Resources: [id], Tags: [{ Key: CHECKED_TAG, Value: at }] },
    note: 'it passed its self-check and powered off',
  };
  await (o.mutate ?? sendOnly)(call, () => o.ports.compute.tagInstances([id], { [CHECKED_TAG]: at }));
  o.progress(`${id} passed its self-check and is stopped: tagged ${CHECKED_TAG}=${at}`);
}

async function waitStopped(o: PrepareOptions, instance: InstanceInfo): Promise<void> {
  const started = o.ports.clock.now();
  const seconds = Math.round(o.timeoutMs / 1000);
  o.progress(
    `waiting up to ${seconds} s (until ${new Date(started + o.timeoutMs).toISOString().slice(11, 19)} UTC) for ${instance.id} to install, check itself and power off`,
  );
  let last = instance.state;
  let told = started;
  for (;;) {
    const [found] = await o.ports.compute.describeInstances({ ids: [instance.id], liveOnly: false });
    if (found !== undefined) o.holding?.(found);
    if (found?.state === 'stopped') return;
    if (found === undefined || found.state === 'terminated' || found.state === 'shutting-down') {
      throw new ExternalError(`The spare ${instance.id} is ${found?.state ?? 'gone'}.`, {
        code: 'SpareLost',
        nextSteps: 'Run hotspare prepare again.',
      });
    }
    const now = o.ports.clock.now();
    if (found.state !== last || now - told >= STILL_WAITING_MS) {
      o.progress(`${instance.id}: ${found.state} after ${Math.round((now - started) / 1000)} s of up to ${seconds} s`);
      told = now;
    }
    last = found.state;
    if (o.ports.clock.now() - started > o.timeoutMs) {
      throw new ExternalError(
        `The spare ${instance.id} is still ${found.state} after ${Math.round(o.timeoutMs / 1000)} s: it powers itself off only once its server answers its health check.`,
        {
          code: 'SpareNotReady',
          retryable: true,
          nextSteps: `Read its console output (aws ec2 get-console-output --instance-id ${instance.id}) for lines starting "hotspare:", then run prepare again (it waits for the same instance) or terminate it: aws ec2 terminate-instances --instance-ids ${instance.id}`,
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
  await terminate(
    o,
    stale.map((s) => s.id),
    'prepared for another config',
  );
  o.progress(`terminated ${stale.map((s) => s.id).join(', ')}: prepared for another config`);
  return stale.map((s) => s.id);
}
