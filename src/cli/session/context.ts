import { hostname, userInfo } from 'node:os';
import type { Mode } from '../../engine/events.js';
import { createSharedReads, engineFreshness, type SharedReads } from '../../engine/shared-reads.js';
import { pollIntervalOf } from '../../engine/polling.js';
import type { OperatorIdentity } from '../../engine/journal-records.js';
import { ExternalError, UsageError } from '../../domain/errors.js';
import { systemClock } from '../../domain/clock.js';
import type { Ports } from '../../ports/index.js';
import type { SiteInspector } from '../../ports/site.js';
import { createHttpProbe } from '../../probe/http-probe.js';
import { loadRunbook, type LoadedRunbook } from '../../runbook/load.js';
import type { Runbook } from '../../runbook/schema.js';
import type { Sandbox, SandboxFault } from '../../sandbox/index.js';
import { stateDir } from './state-dir.js';
import {
  invocationOf,
  laterProcessCanAct,
  leftRunHint,
  nextCommand,
  type Invocation,
} from '../output/next-commands.js';
import { newSandboxJournalDir } from '../sandbox/journal-dirs.js';
import { awsSetup, type AwsSetup } from '../account/aws-setup.js';

import { BUNDLED_SANDBOX_RUNBOOK } from '../paths.js';

export { BUNDLED_SANDBOX_RUNBOOK };

/** The flags that say which account (or sandbox) a command opens, as far as it takes them. */
export interface ContextFlags {
  readonly sandbox: boolean;
  readonly dryRun?: boolean | undefined;
  readonly journalDir?: string | undefined;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  readonly endpointUrl?: string | undefined;
  readonly speed?: number | undefined;
  readonly faults: readonly string[];
  readonly trafficRate?: number | undefined;
  readonly outageAfter?: number | undefined;
}

/** Everything a command needs, built from flags and the environment. */
export interface CliContext {
  readonly loaded: LoadedRunbook;
  /** The runbook in effect (the sandbox's copy has local URLs). */
  readonly runbook: Runbook;
  /** The session's ports: reads shared with the dashboard's (see `shared`), none older than the call. */
  readonly ports: Ports;
  /** One polling budget for the session and the dashboard monitor (`engine/shared-reads.ts`). */
  readonly shared: SharedReads;
  readonly mode: Mode;
  readonly region: string;
  /** The region as the header shows it: with where it came from when another source names another region. */
  readonly regionLabel: string;
  readonly journalDir: string;
  readonly identity: OperatorIdentity;
  readonly pollIntervalMs?: number | undefined;
  readonly healthyTimeoutMs?: number | undefined;
  readonly sandbox?: Sandbox | undefined;
  /** Aborted by `close()`: waits stop, the run stays journaled and resumable. */
  readonly signal: AbortSignal;
  close(): Promise<void>;
}

export { stateDir };

/** The login name of this process's user, when the system knows one. */
function accountName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers).
    return undefined;
  }
}

/** Who is running hotspare, for the journal and the timeline: USER, LOGNAME, else the system's user name. */
export function identityFrom(env: NodeJS.ProcessEnv): OperatorIdentity {
  const named = [env['USER'], env['LOGNAME']].find((u) => u !== undefined && u !== '');
  return { user: named ?? accountName() ?? 'unknown', host: hostname(), pid: process.pid };
}

/** Why a running step stopped when hotspare was closed (quit, Ctrl-C): journaled, resumable. */
function interrupted(inv: Invocation): ExternalError {
  return new ExternalError('Interrupted: hotspare was closed while this step was running.', {
    code: 'Interrupted',
    retryable: true,
    nextSteps: laterProcessCanAct(inv)
      ? `Run \`${nextCommand('resume', inv)}\` to go on (the step is checked first), or \`${nextCommand('rollback', inv)}\`.`
      : leftRunHint(inv),
  });
}

function modeOf(opts: ContextFlags): Mode {
  if (opts.sandbox) return 'sandbox';
  return opts.dryRun === true ? 'dry-run' : 'live';
}

async function sandboxFor(opts: ContextFlags, runbook: Runbook): Promise<Sandbox> {
  const { startSandbox, SANDBOX_FAULTS } = await import('../../sandbox/index.js');
  const bad = opts.faults.find((f) => !(SANDBOX_FAULTS as readonly string[]).includes(f));
  if (bad !== undefined)
    throw new UsageError(`Unknown fault "${bad}". Faults: ${SANDBOX_FAULTS.join(', ')}.`, { code: 'BadFlag' });
  return startSandbox(runbook, {
    speed: opts.speed,
    faults: opts.faults as SandboxFault[],
    trafficRate: opts.trafficRate,
  });
}

/**
 * A real account's ports: AWS, the HTTP probe, and the maintenance site's inspector (manifest, age,
 * pages and assets over HTTP), so plan, preflight, verify-maintenance and the dashboard check on a
 * real account everything they check in the sandbox.
 */
async function awsPorts(setup: AwsSetup): Promise<Ports> {
  const { createAwsPorts } = await import('../../aws/index.js');
  const aws = createAwsPorts({ region: setup.region, profile: setup.profile, endpointUrl: setup.endpointUrl });
  // The inspector (and its HTML parser, TLS reader) loads on the first readiness read, not before the first AWS request.
  let inspector: Promise<SiteInspector> | undefined;
  const site: SiteInspector = {
    readiness: async (request) => {
      inspector ??= Promise.all([import('../../site/inspect.js'), import('../../site/tls-check.js')]).then(
        ([{ createSiteInspector }, { checkTls }]) =>
          createSiteInspector(undefined, {
            edge: () => Promise.resolve(aws.edge),
            tls: (url) => checkTls(url, { timeoutMs: 5000 }),
            bucketManifest: async (bucket) => {
              const [{ createSiteBucket }, { readBucketManifest }] = await Promise.all([
                import('../../aws/s3.js'),
                import('../../site/manifest.js'),
              ]);
              const options = { region: setup.region, profile: setup.profile, endpointUrl: setup.endpointUrl };
              return readBucketManifest(createSiteBucket(options), bucket);
            },
          }),
      );
      return (await inspector).readiness(request);
    },
  };
  return { ...aws, probe: createHttpProbe(), clock: systemClock, site };
}

/** What is known once the runbook is loaded, before the account or the sandbox is opened: enough for a first frame. */
export interface ContextHeading {
  readonly runbook: string;
  readonly mode: Mode;
  readonly region: string;
}

/**
 * Load the runbook and connect to AWS or start the sandbox. The SDK is imported lazily so the
 * dashboard's first frame does not wait for it; `onLoaded` is told as soon as the runbook is
 * loaded (the dashboard draws its first frame then).
 */
export async function openContext(
  opts: ContextFlags,
  env: NodeJS.ProcessEnv,
  runbookPath: string | undefined,
  onLoaded?: (heading: ContextHeading) => void,
): Promise<CliContext> {
  if ((opts.faults.length > 0 || opts.outageAfter !== undefined) && !opts.sandbox)
    throw new UsageError('--fault and --outage-after only work with --sandbox.', { code: 'BadFlag' });
  const path = runbookPath ?? (opts.sandbox ? BUNDLED_SANDBOX_RUNBOOK : undefined);
  if (path === undefined)
    throw new UsageError('Name a runbook file (or use --sandbox for the bundled drill).', { code: 'MissingRunbook' });
  const loaded = await loadRunbook(path);
  // The AWS settings are read now (files only, no request): the first frame shows the region in effect.
  const setup = opts.sandbox ? undefined : await awsSetup(opts, loaded.runbook.region, env);
  const region = setup?.region ?? opts.region ?? loaded.runbook.region;
  onLoaded?.({ runbook: loaded.runbook.name, mode: modeOf(opts), region: setup?.regionLabel ?? region });
  const identity = identityFrom(env);
  const controller = new AbortController();
  const abort = (): void => controller.abort(interrupted(invocationOf(runbookPath, opts)));
  if (opts.sandbox) {
    const sandbox = await sandboxFor(opts, loaded.runbook);
    const outage =
      opts.outageAfter === undefined
        ? undefined
        : setTimeout(() => sandbox.origins.setMode('all', 'error'), opts.outageAfter * 1000);
    const journalDir = opts.journalDir ?? newSandboxJournalDir(stateDir(env), Date.now(), process.pid);
    const shared = createSharedReads(sandbox.ports, {
      signal: controller.signal,
      engineMaxAgeMs: engineFreshness(sandbox.pollIntervalMs),
    });
    return {
      loaded,
      runbook: sandbox.runbook,
      ports: shared.ports,
      shared,
      mode: 'sandbox',
      region,
      regionLabel: region,
      journalDir,
      identity,
      pollIntervalMs: sandbox.pollIntervalMs,
      healthyTimeoutMs: sandbox.healthyTimeoutMs,
      sandbox,
      signal: controller.signal,
      close: () => {
        abort();
        clearTimeout(outage);
        return sandbox.stop();
      },
    };
  }
  const aws = setup ?? (await awsSetup(opts, loaded.runbook.region, env));
  aws.prepare();
  const shared = createSharedReads(await awsPorts(aws), {
    signal: controller.signal,
    engineMaxAgeMs: engineFreshness(pollIntervalOf(loaded.runbook)),
  });
  const close = (): Promise<void> => Promise.resolve(abort());
  return {
    loaded,
    runbook: loaded.runbook,
    ports: shared.ports,
    shared,
    mode: modeOf(opts),
    region: aws.region,
    regionLabel: aws.regionLabel,
    journalDir: opts.journalDir ?? stateDir(env),
    identity,
    signal: controller.signal,
    close,
  };
}
