import { spawn, type ChildProcess } from 'node:child_process';
import dns from 'node:dns';
import { isIP } from 'node:net';
import { waitUntil } from './wait.js';

/** A moto_server this test process started on 127.0.0.1. */
export interface Moto {
  /** e.g. `http://127.0.0.1:40591` */
  readonly endpoint: string;
  /** Forget every resource (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const FAKE_CREDENTIALS: Readonly<Record<string, string>> = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
  AWS_REGION: 'us-east-1',
};

/**
 * Fake credentials for the SDK in this test process only, so nothing can reach a real account with
 * real ones, and no host-name lookups (see `blockRealEndpoints`). Also drops any profile and
 * endpoint the developer's shell may carry.
 */
export function useFakeAwsCredentials(): void {
  blockRealEndpoints();
  for (const key of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ENDPOINT_URL']) delete process.env[key];
  Object.assign(process.env, FAKE_CREDENTIALS);
}

type Lookup = typeof dns.lookup;
let realLookup: Lookup | undefined;

/**
 * Refuse every host-name lookup in this process except localhost and IP literals, so an SDK client that failed to
 * pick up the test endpoint fails with ENOTFOUND instead of reaching a real AWS endpoint. moto is
 * addressed by IP (127.0.0.1) and needs no lookup. Returns a function that restores the resolver.
 */
export function blockRealEndpoints(): () => void {
  if (realLookup === undefined) realLookup = dns.lookup;
  const original = realLookup;
  const guarded = ((hostname: string, options: unknown, callback?: unknown) => {
    const cb = (typeof options === 'function' ? options : callback) as (error: Error | null) => void;
    if (hostname === 'localhost' || isIP(hostname) !== 0)
      return (original as (...args: unknown[]) => void)(hostname, options, callback);
    process.nextTick(() =>
      cb(
        Object.assign(new Error(`test guard: lookup of ${hostname} refused (tests talk to moto only)`), {
          code: 'ENOTFOUND',
        }),
      ),
    );
  }) as Lookup;
  dns.lookup = guarded;
  return () => {
    dns.lookup = original;
  };
}

/** The environment for a child process (e.g. the CLI) that must only ever talk to moto. */
export function motoChildEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...FAKE_CREDENTIALS, ...extra };
  delete env.AWS_PROFILE;
  delete env.AWS_DEFAULT_PROFILE;
  return env;
}

function boundEndpoint(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    let ready = false;
    const timer = setTimeout(
      () => reject(new Error(`moto_server printed no address within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    // The pipes stay drained for moto's lifetime (it logs every request); only the start is kept.
    const onData = (chunk: Buffer): void => {
      if (ready) return;
      output += chunk.toString();
      const match = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        ready = true;
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`moto_server exited (${String(code)}) before it was ready:\n${output}`));
    });
  });
}

async function waitUntilAnswering(endpoint: string, timeoutMs: number): Promise<void> {
  // Not listening yet reads as false.
  const answers = (): Promise<boolean> =>
    fetch(`${endpoint}/moto-api/data.json`).then(
      (res) => res.ok,
      () => false,
    );
  await waitUntil(answers, (ok) => ok, { what: `moto_server at ${endpoint} to answer`, timeoutMs, intervalMs: 100 });
}

/** Start moto_server on a free loopback port and wait until it answers. */
export async function startMoto(timeoutMs = 30_000): Promise<Moto> {
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let endpoint: string;
  try {
    endpoint = await boundEndpoint(child, timeoutMs);
    await waitUntilAnswering(endpoint, timeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    endpoint,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
