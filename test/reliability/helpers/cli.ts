import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { motoChildEnv } from '../../helpers/moto.js';

/** Preloaded into every CLI process: nothing leaves the loopback interface (see the file). */
const LOOPBACK_ONLY = fileURLToPath(new URL('./loopback-only.cjs', import.meta.url));
/** What the guard prints when it refused a lookup or a connection beyond loopback. */
export const LEFT_LOOPBACK = /loopback-only guard:/;

/** The built CLI (`npm run test:reliability` builds it first). */
export const CLI = join(process.cwd(), 'dist/cli/bin.js');

/** How one CLI process ended. `signal` is `SIGKILL` when a test hook killed it. */
export interface CliRun {
  readonly args: readonly string[];
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the process outlived `timeoutMs` and was killed by the suite: a hang. */
  readonly hung: boolean;
}

export interface RunCliOptions {
  /** Extra environment (the kill hooks, an endpoint). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Kill the process (SIGKILL) after this long and report `hung` (default 60 s). */
  readonly timeoutMs?: number | undefined;
  /** Used as HOME and for XDG_STATE_HOME, so nothing lands in the developer's state directory. */
  readonly home: string;
  readonly stdin?: string | undefined;
}

/**
 * Run the built CLI without blocking this process (local servers the CLI talks to live here).
 * Only fake credentials, no profile, loopback endpoints only (see `motoChildEnv`).
 */
export function runCli(args: readonly string[], options: RunCliOptions): Promise<CliRun> {
  const env = motoChildEnv({
    NO_COLOR: '1',
    HOME: options.home,
    XDG_STATE_HOME: join(options.home, 'state'),
    AWS_EC2_METADATA_DISABLED: 'true',
    NODE_OPTIONS: `--require ${LOOPBACK_ONLY}`,
  });
  delete env['AWS_ENDPOINT_URL'];
  Object.assign(env, options.env);
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let hung = false;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.stdin ?? '');
  const timer = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ args, status, signal, stdout, stderr, hung });
    });
  });
}

/** The whole output of a run, for assertion messages. */
export function describeRun(run: CliRun): string {
  const how = run.hung ? 'HUNG' : run.signal !== null ? `killed by ${run.signal}` : `exit ${String(run.status)}`;
  return `hotspare ${run.args.join(' ')}\n-> ${how}\n--- stdout\n${run.stdout}--- stderr\n${run.stderr}`;
}

/** A stack frame as Node prints it. The operator never sees one. */
export const STACK_FRAME = /\n\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>)/;

/**
 * How hotspare reports a bug of its own (`hotspare: internal error: ...`, "This is a bug in
 * hotspare"). An AWS 5xx is reported as "AWS had an internal error", which is not one.
 */
export const INTERNAL_ERROR = /hotspare: internal error|This is a bug in hotspare/;
