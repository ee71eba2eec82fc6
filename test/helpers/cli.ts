import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The built CLI; `npm test` builds it first. */
export const BIN = 'dist/cli/bin.js';

export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Fail loudly, rather than skip, when the CLI has not been built. */
export function requireBuiltCli(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does).`);
}

/** Run the built CLI headless, with no AWS settings from the machine running the tests. */
export function hotspare(...args: string[]): Ran {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['AWS_ENDPOINT_URL'];
  delete env['AWS_PROFILE'];
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Refuses host-name lookups in a CLI child (see the file). */
export const NO_DNS = 'test/helpers/no-dns.mjs';

export interface CliRun {
  /** The child's whole environment (nothing from this process's is added). */
  readonly env: NodeJS.ProcessEnv;
  /** Modules to preload with `node --import`; the DNS guard is always one. */
  readonly preload?: readonly string[] | undefined;
  readonly cwd?: string | undefined;
}

/**
 * Run the built CLI with exactly `env`, host-name lookups refused. Asynchronous, so servers in the
 * test process (a stand-in endpoint) can answer it.
 */
export function hotspareIn(run: CliRun, ...args: string[]): Promise<Ran> {
  const imports = [NO_DNS, ...(run.preload ?? [])].flatMap((m) => ['--import', pathToFileURL(resolve(m)).href]);
  const child = spawn(process.execPath, [...imports, resolve(BIN), ...args], {
    env: run.env,
    cwd: run.cwd,
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', (status) => done({ status, stdout, stderr }));
  });
}

/** A minimal environment for the CLI: PATH, HOME, the state directory, no colour, no AWS settings. */
export function cleanEnv(home: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    XDG_STATE_HOME: resolve(home, 'state'),
    NO_COLOR: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}
