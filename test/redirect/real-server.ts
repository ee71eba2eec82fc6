import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RedirectConfig, RedirectServerKind } from '../../src/ports/index.js';
import { matcherAccepts } from '../../src/redirect/config.js';
import { decide } from '../../src/redirect/decision.js';
import { waitUntil } from '../helpers/wait.js';

/**
 * Runs the user data hotspare generates on this (Debian) machine and then the REAL server it
 * configured (Debian's nginx, Apache, or python3 for the builtin server) on 127.0.0.1, as the
 * current user, without systemd. The script runs as written except for paths: the files it writes
 * land under a temporary root, and package installs and systemctl are stubbed (the packages are
 * installed already). Before the server starts, only paths, ports (each port the config names is
 * moved to a free one on 127.0.0.1 / ::1) and nothing that decides an answer are changed.
 */

/** The paths the user data writes to, moved under the temporary root. */
const WRITTEN_PATHS = [
  '/etc/nginx/',
  '/etc/apache2/apache2.conf',
  '/etc/httpd/',
  '/etc/hotspare',
  '/etc/systemd/system/',
  '/var/www/hotspare',
  '/usr/local/lib/hotspare',
];

export interface UserDataRun {
  readonly root: string;
  /** Every stubbed command the script ran (`apt-get ...`, `systemctl ...`), in order. */
  readonly calls: readonly string[];
  /** What the script printed. */
  readonly output: string;
}

/** Runs a user-data script under bash with stubs, as described above. `extraStubs` maps a command to its shell body. */
export function runUserData(script: string, extraStubs: Readonly<Record<string, string>> = {}): UserDataRun {
  const root = mkdtempSync(join(tmpdir(), 'hotspare-real-'));
  // Workers run as www-data / nobody: they must reach the files under the root.
  chmodSync(root, 0o755);
  const bin = join(root, 'bin');
  mkdirSync(bin);
  const stubs: Record<string, string> = { 'apt-get': '', systemctl: '', ...extraStubs };
  for (const [tool, body] of Object.entries(stubs)) {
    writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${root}/calls.log"\n${body}\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  for (const dir of ['etc/nginx', 'etc/apache2', 'etc/systemd/system']) mkdirSync(join(root, dir), { recursive: true });
  let moved = script;
  for (const path of WRITTEN_PATHS) moved = moved.replaceAll(path, `${root}${path}`);
  // /usr/sbin is left out of PATH, so nginx and apache2 look absent and the script "installs" them.
  const output = execFileSync('bash', ['-c', moved], {
    env: { PATH: `${bin}:/usr/bin:/bin`, HOME: root },
    encoding: 'utf8',
  });
  let calls: string[] = [];
  try {
    calls = readFileSync(join(root, 'calls.log'), 'utf8').trim().split('\n');
  } catch {
    // nothing stubbed was called
  }
  return { root, calls, output };
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const listening = (): Promise<boolean> => {
    if (child.exitCode !== null)
      throw new Error(`the server exited (${child.exitCode}) before listening on ${port}:\n${log()}`);
    return new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
  };
  await waitUntil(listening, (ok) => ok, {
    what: `a listener on ${port}`,
    timeoutMs: 15_000,
    intervalMs: 50,
    show: () => log(),
  });
}

/** A real server started by `startRealServer`. */
export interface RealServer {
  /** The local port standing in for each port the config names. */
  readonly ports: ReadonlyMap<number, number>;
  stop(): Promise<void>;
}

function portsIn(text: string, pattern: RegExp): number[] {
  return [...new Set([...text.matchAll(pattern)].map((m) => Number(m[1])))];
}

async function portMap(ports: readonly number[]): Promise<Map<number, number>> {
  const map = new Map<number, number>();
  for (const port of ports) map.set(port, await freePort());
  return map;
}

/** Whether this machine has an IPv6 loopback (containers often have IPv6 off). */
async function hasIpv6Loopback(): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => server.close(() => resolve(true)));
  });
}

/** nginx: only `listen` addresses and ports and the log, pid and temp paths change. */
async function nginxCommand(run: UserDataRun): Promise<{ args: string[]; ports: Map<number, number>; log: string }> {
  const file = join(run.root, 'etc/nginx/nginx.conf');
  const original = readFileSync(file, 'utf8');
  const ports = await portMap(portsIn(original, /listen (?:\[::\]:)?(\d+)/g));
  const dir = join(run.root, 'nginx');
  mkdirSync(dir);
  const ipv6 = await hasIpv6Loopback();
  const conf = original
    .replace(/listen \[::\]:(\d+)([^;]*);/g, (_m, p: string, rest: string) =>
      ipv6 ? `listen [::1]:${ports.get(Number(p))}${rest};` : '# (no IPv6 on this machine)',
    )
    .replace(/listen (\d+)/g, (_m, p: string) => `listen 127.0.0.1:${ports.get(Number(p))}`)
    .replace('error_log /var/log/nginx/error.log;', `error_log ${dir}/error.log;`)
    .replace('pid /run/nginx.pid;', `pid ${dir}/nginx.pid;`)
    .replace(
      'access_log /var/log/nginx/access.log;',
      [
        `access_log ${dir}/access.log;`,
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/${t};`),
      ].join('\n  '),
    );
  writeFileSync(file, conf);
  return {
    args: ['/usr/sbin/nginx', '-p', dir, '-e', `${dir}/error.log`, '-c', file, '-g', 'daemon off;'],
    ports,
    log: `${dir}/error.log`,
  };
}

/** Apache: only `Listen` and VirtualHost ports and the pid, log, lock and runtime paths change. */
async function apacheCommand(run: UserDataRun): Promise<{ args: string[]; ports: Map<number, number>; log: string }> {
  const file = join(run.root, 'etc/apache2/apache2.conf');
  const original = readFileSync(file, 'utf8');
  const ports = await portMap(portsIn(original, /^Listen (\d+)/gm));
  const dir = join(run.root, 'apache');
  mkdirSync(dir);
  const conf = original
    .replace(/^Listen (\d+)/gm, (_m, p: string) => `Listen 127.0.0.1:${ports.get(Number(p))}`)
    .replace(/<VirtualHost \*:(\d+)>/g, (_m, p: string) => `<VirtualHost *:${ports.get(Number(p))}>`)
    .replace('PidFile /var/run/apache2/apache2.pid', `PidFile ${dir}/apache2.pid`)
    .replace('ErrorLog /var/log/apache2/error.log', `ErrorLog ${dir}/error.log`)
    .replace('DefaultRuntimeDir /var/run/apache2', `DefaultRuntimeDir ${dir}`)
    .replace('Mutex file:/var/lock/apache2 default', `Mutex file:${dir} default`);
  writeFileSync(file, conf);
  return { args: ['/usr/sbin/apache2', '-f', file, '-DFOREGROUND'], ports, log: `${dir}/error.log` };
}

/** builtin: only the ports in its JSON change. */
async function builtinCommand(run: UserDataRun): Promise<{ args: string[]; ports: Map<number, number>; log: string }> {
  const file = join(run.root, 'usr/local/lib/hotspare/redirect-server.py');
  const original = readFileSync(file, 'utf8');
  const ports = await portMap(portsIn(original, /"port":(\d+)/g));
  writeFileSync(
    file,
    original.replace(/"port":(\d+)/g, (_m, p: string) => `"port":${ports.get(Number(p))}`),
  );
  return { args: ['/usr/bin/python3', file], ports, log: '' };
}

/** Starts the real server the user data configured and waits until every port accepts connections. */
export async function startRealServer(run: UserDataRun, server: RedirectServerKind): Promise<RealServer> {
  const command =
    server === 'nginx'
      ? await nginxCommand(run)
      : server === 'apache'
        ? await apacheCommand(run)
        : await builtinCommand(run);
  const [program, ...args] = command.args;
  const child = spawn(program!, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const log = (): string => {
    let file = '';
    try {
      file = command.log === '' ? '' : readFileSync(command.log, 'utf8');
    } catch {
      // no log yet
    }
    return `${output}\n${file}`;
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && process.kill(-child.pid!, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(run.root, { recursive: true, force: true });
  };
  try {
    for (const port of command.ports.values()) await waitForPort(port, child, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { ports: command.ports, stop };
}

/** One HTTP answer. */
export interface RealAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface RealRequest {
  readonly protocol: 'HTTP' | 'HTTPS';
  readonly port: number;
  readonly method: string;
  readonly target: string;
  readonly userAgent: string;
  readonly body?: string | undefined;
}

/** One request over a fresh connection (TLS certificates are not verified, as an ALB does not). */
export function send(req: RealRequest): Promise<RealAnswer> {
  const request = req.protocol === 'HTTPS' ? httpsRequest : httpRequest;
  const headers: Record<string, string> = { 'user-agent': req.userAgent, host: 'www.example.com' };
  if (req.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  return new Promise((resolve, reject) => {
    const r = request(
      {
        host: '127.0.0.1',
        port: req.port,
        method: req.method,
        path: req.target,
        headers,
        agent: false,
        rejectUnauthorized: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    r.setTimeout(10_000, () => r.destroy(new Error(`no answer to ${req.method} ${req.target} on ${req.port} in 10 s`)));
    r.on('error', reject);
    r.end(req.body);
  });
}

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHECKER = 'ELB-HealthChecker/2.0';
const DEEP = '/shop/item/42?color=red&size=m';

/**
 * Real HTTP requests to a running redirect server, each answer checked against the decision and
 * against what it must be on its own terms: visitors get the redirect on /, a deep path with a
 * query, a POST and a HEAD (and on the checked path); the ALB's health checker gets a status
 * `matcher` accepts on exactly its path and port, and the redirect anywhere else.
 */
export async function expectRedirectServerAnswers(
  running: RealServer,
  config: RedirectConfig,
  matcher: string,
): Promise<void> {
  const local = (port: number): number => running.ports.get(port)!;
  const traffic = config.traffic;
  const health = config.healthCheck;
  const root = config.targetUrl.replace(/\/$/, '');
  const expectedLocation = (path: string, query: string): string =>
    `${config.keepPath ? root + path : config.targetUrl}${config.keepQuery && query !== '' ? `?${query}` : ''}`;

  const ask = async (method: string, target: string, userAgent: string, at = traffic, body?: string) => {
    const answer = await send({ protocol: at.protocol, port: local(at.port), method, target, userAgent, body });
    const decided = decide(config, { method, target, userAgent, port: at.port });
    expect(
      { status: answer.status, location: answer.headers.location },
      `${method} ${target} (${userAgent}) on ${at.port}`,
    ).toEqual({
      status: decided.status,
      location: decided.location,
    });
    return answer;
  };

  // Visitors get the redirect everywhere: the home page, a deep path with a query, a POST, a HEAD.
  for (const [method, target, path, query] of [
    ['GET', '/', '/', ''],
    ['GET', DEEP, '/shop/item/42', 'color=red&size=m'],
    ['POST', '/checkout?step=2', '/checkout', 'step=2'],
    ['HEAD', '/a/b.html', '/a/b.html', ''],
    // Exactly as sent: no server merges the slashes or resolves the dot segments (the decision does not).
    ['GET', '//a/./b/../c', '//a/./b/../c', ''],
  ] as const) {
    const answer = await ask(method, target, BROWSER, traffic, method === 'POST' ? 'card=1234' : undefined);
    expect(answer.status).toBe(config.statusCode);
    expect(answer.headers.location).toBe(expectedLocation(path, query));
  }
  // The checked path is a page like any other for a visitor (the home page is not "ok").
  const visitorOnHealthPath = await ask('GET', health.path, BROWSER, health);
  expect(visitorOnHealthPath.status).toBe(config.statusCode);

  // The ALB's health checker gets a status the target group's matcher accepts, on exactly its path and port.
  const check = await ask('GET', health.path, CHECKER, health);
  expect(matcherAccepts(matcher, check.status), `status ${check.status} vs matcher ${matcher}`).toBe(true);
  if (check.status === 200) expect(check.body).toBe('ok\n');
  expect((await ask('POST', health.path, CHECKER, health)).status).toBe(config.statusCode);
  if (health.port !== traffic.port)
    expect((await ask('GET', health.path, CHECKER, traffic)).status).toBe(config.statusCode);
  if (health.path !== '/') expect((await ask('GET', '/', CHECKER, health)).status).toBe(config.statusCode);
  // Only exactly the checked path is the check: not the same path with a slash doubled or a dot segment.
  expect((await ask('GET', `/${health.path}`, CHECKER, health)).status).toBe(config.statusCode);
  expect((await ask('GET', `/.${health.path}`, CHECKER, health)).status).toBe(config.statusCode);
}
