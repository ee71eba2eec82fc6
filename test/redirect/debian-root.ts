import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A Debian root filesystem with its real apt and dpkg, for running the redirect server's user data
 * as a first boot would: this machine's own root (Debian 12), copy-on-write (an overlay in a
 * private mount namespace: nothing the script does reaches the machine), entered with chroot.
 * apt's sources point at a mirror on 127.0.0.1 served by the test, and its lists start empty, so
 * nothing leaves loopback. systemd does not run in a chroot: `systemctl` is a stub that records
 * its calls. Needs root (mount namespaces, overlayfs), as CI has.
 */

/** What a boot in the root left behind. */
export interface Boot {
  readonly status: number | null;
  /** The user data's output. */
  readonly output: string;
  /** `systemctl ...` calls the script made. */
  readonly systemctl: readonly string[];
  /** What `/usr/sbin/nginx -v` says afterwards (the package the mirror served, or nothing). */
  readonly nginx: string;
  readonly seconds: number;
}

export interface BootOptions {
  /** The user data to run. */
  readonly script: string;
  /** apt's mirror: http://127.0.0.1:PORT/ (a flat repository). */
  readonly mirror: string;
  /** Hold apt's and dpkg's locks this long when the boot starts, as unattended-upgrades does on a first boot. */
  readonly lockHeldSeconds?: number | undefined;
  /** The user data's bounds, shortened for the test (HOTSPARE_LOCK_WAIT and the others). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Killed after this long (a boot that never ends). */
  readonly timeoutMs: number;
}

/** Shell-quote for the driver script. */
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Run `options.script` as a first boot in a copy-on-write Debian root. */
export function bootInDebianRoot(options: BootOptions): Promise<Boot> {
  const host = mkdtempSync(join(tmpdir(), 'hotspare-debian-root-'));
  chmodSync(host, 0o755);
  mkdirSync(join(host, 'bin'));
  writeFileSync(join(host, 'bin', 'systemctl'), '#!/bin/sh\necho "systemctl $*" >> /hotspare-test/systemctl.log\n', {
    mode: 0o755,
  });
  writeFileSync(join(host, 'user-data.sh'), options.script, { mode: 0o755 });
  const hold = options.lockHeldSeconds ?? 0;
  const env = Object.entries(options.env ?? {})
    .map(([k, v]) => `${k}=${q(v)}`)
    .join(' ');
  // Inside the root: only the test's mirror, empty lists, no nginx yet; then the boot.
  writeFileSync(
    join(host, 'boot.sh'),
    [
      'set -u',
      // An image without nginx (this machine may have it: its copy here is removed, package and all).
      'dpkg --remove --force-depends nginx >/dev/null 2>&1 || true',
      'rm -rf /etc/apt/sources.list.d/* /var/lib/apt/lists/* /etc/apt/apt.conf.d/*proxy* /usr/sbin/nginx',
      `echo "deb [trusted=yes] ${options.mirror} ./" > /etc/apt/sources.list`,
      ...(hold > 0
        ? [
            `python3 -c 'import fcntl, time
locks = [open(p, "w") for p in ("/var/lib/apt/lists/lock", "/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock")]
for f in locks: fcntl.lockf(f, fcntl.LOCK_EX)
open("/hotspare-test/locks-held", "w").close()
time.sleep(${hold})' &`,
            // The boot starts once the locks are held (python's start-up is slow on a busy machine).
            'until [ -e /hotspare-test/locks-held ]; do sleep 0.05; done',
          ]
        : []),
      `env -i PATH=/hotspare-test/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root ${env} bash /hotspare-test/user-data.sh > /hotspare-test/output.log 2>&1`,
      'echo $? > /hotspare-test/status',
      '[ ! -x /usr/sbin/nginx ] || /usr/sbin/nginx -v > /hotspare-test/nginx.txt 2>&1',
      'wait',
    ].join('\n'),
  );
  const driver = [
    'set -eu',
    'mount --make-rprivate /',
    `work=${q(join(host, 'mnt'))}`,
    'mkdir -p "$work"',
    'mount -t tmpfs tmpfs "$work"',
    'mkdir -p "$work/upper" "$work/work" "$work/root"',
    'mount -t overlay overlay -o lowerdir=/,upperdir="$work/upper",workdir="$work/work" "$work/root"',
    'mount -t proc proc "$work/root/proc"',
    'mount --rbind /dev "$work/root/dev"',
    'mkdir -p "$work/root/hotspare-test"',
    `mount --bind ${q(host)} "$work/root/hotspare-test"`,
    'chroot "$work/root" /bin/bash /hotspare-test/boot.sh',
  ].join('\n');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['--mount', '--fork', '--pid', '--mount-proc', 'bash', '-c', driver], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const read = (name: string): string => {
        try {
          return readFileSync(join(host, name), 'utf8');
        } catch {
          return '';
        }
      };
      const statusText = read('status').trim();
      if (statusText === '' && code !== 0 && Date.now() - started < options.timeoutMs)
        reject(
          new Error(
            `the Debian root could not be set up (exit ${code}; root, mount namespaces and overlayfs are needed):\n${log}`,
          ),
        );
      resolve({
        status: statusText === '' ? null : Number(statusText),
        output: read('output.log'),
        systemctl: read('systemctl.log')
          .trim()
          .split('\n')
          .filter((l) => l !== ''),
        nginx: read('nginx.txt').trim(),
        seconds: (Date.now() - started) / 1000,
      });
    });
  });
}

/** A flat apt repository on 127.0.0.1 holding one package: `nginx` 99.0, whose /usr/sbin/nginx says so. */
export async function startMirror(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'hotspare-mirror-'));
  const pkg = join(dir, 'pkg');
  mkdirSync(join(pkg, 'DEBIAN'), { recursive: true });
  mkdirSync(join(pkg, 'usr', 'sbin'), { recursive: true });
  writeFileSync(
    join(pkg, 'DEBIAN', 'control'),
    'Package: nginx\nVersion: 99.0\nArchitecture: all\nMaintainer: hotspare tests <tests@example.invalid>\nDescription: stand-in nginx from the test mirror\n',
  );
  writeFileSync(join(pkg, 'usr', 'sbin', 'nginx'), '#!/bin/sh\necho "nginx from the test mirror (99.0)"\n', {
    mode: 0o755,
  });
  const deb = join(dir, 'nginx_99.0_all.deb');
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', pkg, deb], { stdio: 'ignore' });
  const debBytes = readFileSync(deb);
  const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
  const packages = `Package: nginx\nVersion: 99.0\nArchitecture: all\nMaintainer: hotspare tests <tests@example.invalid>\nFilename: ./nginx_99.0_all.deb\nSize: ${statSync(deb).size}\nSHA256: ${sha(debBytes)}\nDescription: stand-in nginx from the test mirror\n\n`;
  const release = `Origin: hotspare-tests\nLabel: hotspare-tests\nSuite: tests\nCodename: tests\nDate: ${new Date().toUTCString()}\nSHA256:\n ${sha(packages)} ${Buffer.byteLength(packages)} Packages\n`;
  const files: Record<string, Buffer | string> = {
    '/Release': release,
    '/Packages': packages,
    '/nginx_99.0_all.deb': debBytes,
  };
  const requests: string[] = [];
  const server: Server = createHttpServer((req, res) => {
    const path = (req.url ?? '/').replace(/^\/\.\//, '/').replace(/\/\.\//g, '/');
    requests.push(path);
    const body = files[path];
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A "mirror" that accepts every connection and never answers. */
export async function startSilentMirror(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
