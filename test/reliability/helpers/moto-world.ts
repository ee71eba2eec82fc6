import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildFixture, fixtureClients, FIXTURE_REGION, type Fixture, type FixtureClients } from '../../aws/fixture.js';
import { startMoto, useFakeAwsCredentials, type Moto } from '../../helpers/moto.js';
import { MARKER, startLocalSite, type LocalSite } from '../../helpers/local-site.js';
import { runCli, type CliRun } from './cli.js';
import { motoView, snapshotOriginal, type AccountView, type Original } from './invariants.js';
import type { Command, CrashPoint, Driver, Ran } from './trials.js';

/** The safe default runbook's steps: every mutation the suite attacks (launch, register, deregister). */
export const DEFAULT_STEPS = [
  'launch-redirect',
  'register-redirect',
  'wait-redirect-healthy',
  'deregister-web',
  'verify-maintenance',
] as const;

/** One moto, one local site and a scratch directory for a test file. */
export interface MotoWorld {
  readonly moto: Moto;
  readonly site: LocalSite;
  readonly clients: FixtureClients;
  readonly work: string;
  stop(): Promise<void>;
}

export async function startMotoWorld(): Promise<MotoWorld> {
  useFakeAwsCredentials();
  const moto = await startMoto();
  const site = await startLocalSite();
  const work = mkdtempSync(join(tmpdir(), 'hotspare-reliability-'));
  return {
    moto,
    site,
    clients: fixtureClients(moto.endpoint),
    work,
    stop: async () => {
      await site.close();
      await moto.stop();
    },
  };
}

/** A site in moto (a fresh fixture) with its runbook file, shared by the trials that leave it as they found it. */
export interface MotoSite {
  readonly fixture: Fixture;
  readonly runbookFile: string;
  readonly dir: string;
  readonly original: Original;
  readonly view: AccountView;
}

let sites = 0;

/**
 * Build a site in moto and write its runbook (polling every 0.2 s: moto's targets are healthy at
 * once, so waits end on the first poll).
 */
export async function newSite(world: MotoWorld, steps: readonly string[] = DEFAULT_STEPS): Promise<MotoSite> {
  const fixture = await buildFixture(world.clients, {
    siteUrl: world.site.siteUrl,
    maintenanceUrl: world.site.maintenanceUrl,
    expectText: MARKER,
    steps: [...steps] as never,
  });
  const dir = join(world.work, `site-${++sites}`);
  mkdirSync(dir, { recursive: true });
  const runbookFile = join(dir, 'runbook.yaml');
  writeFileSync(
    runbookFile,
    stringify({ ...fixture.runbook, polling: { intervalSeconds: 0.2, healthyTimeoutSeconds: 60 } }),
  );
  const view = motoView(world.clients, fixture);
  return { fixture, runbookFile, dir, view, original: await snapshotOriginal(view, fixture.webInstanceIds) };
}

export interface CliOptions {
  /** The kill hooks, e.g. `{ HOTSPARE_TEST_KILL_AFTER_RECORD: '7' }`. */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Defaults to `['--yes']`. */
  readonly flags?: readonly string[] | undefined;
  /** Another endpoint, e.g. a fault proxy in front of moto (default: moto). */
  readonly endpoint?: string | undefined;
  readonly journalDir: string;
}

/** Run a command of the built CLI on `site`, headless. */
export function siteCli(world: MotoWorld, site: MotoSite, command: string, options: CliOptions): Promise<CliRun> {
  const args = [
    command,
    site.runbookFile,
    ...(options.flags ?? ['--yes']),
    '--headless',
    '--endpoint-url',
    options.endpoint ?? world.moto.endpoint,
  ];
  return runCli([...args, '--region', FIXTURE_REGION, '--journal-dir', options.journalDir], {
    home: site.dir,
    env: options.env,
    timeoutMs: 120_000,
  });
}

function hookEnv(point: CrashPoint | undefined): Record<string, string> {
  if (point === undefined) return {};
  return point.after === 'record'
    ? { HOTSPARE_TEST_KILL_AFTER_RECORD: String(point.n) }
    : { HOTSPARE_TEST_KILL_AFTER_SEND: String(point.n) };
}

/** The last lines of a run's output, enough to say what went wrong. */
function tail(run: CliRun): string {
  const lines = `${run.stdout}${run.stderr}`.trim().split('\n');
  const how = run.hung ? 'hung' : run.signal !== null ? `killed by ${run.signal}` : `exit ${String(run.status)}`;
  return `${how}: ${lines.slice(-4).join(' | ')}`;
}

/**
 * A driver for the built CLI on `site` with a fresh journal directory; `endpoint` may be a fault
 * proxy. `onRun` sees every process's result (the fault trials count them).
 */
export function cliDriver(
  world: MotoWorld,
  site: MotoSite,
  options: { endpoint?: string; onRun?: (run: CliRun) => void } = {},
): Driver {
  const journalDir = join(site.dir, `journal-${randomBytes(4).toString('hex')}`);
  return {
    journalDir,
    view: site.view,
    original: site.original,
    async run(command: Command, point?: CrashPoint): Promise<Ran> {
      const r = await siteCli(world, site, command, { journalDir, env: hookEnv(point), endpoint: options.endpoint });
      options.onRun?.(r);
      return {
        killed: r.signal === 'SIGKILL' && !r.hung,
        ok: r.status === 0,
        detail: tail(r),
        output: `${r.stdout}${r.stderr}`,
      };
    },
  };
}
