import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine.js';
import { requireBuiltCli } from '../helpers/cli.js';

/**
 * The sandbox shaped like real accounts (the `--fault` account shapes): a drill of the bundled
 * runbook, and of the same runbook with nginx or Apache, does what it would do on AWS: fails over
 * and back with no failed request, or is refused before anything is launched.
 */
const BIN = join(process.cwd(), 'dist/cli/bin.js');
const FAST = ['--sandbox', '--yes', '--headless', '--speed', '50', '--traffic-rate', '60', '--hold', '0'];

interface Ran {
  readonly code: number | null;
  readonly out: string;
}

function drill(runbook: string, ...faults: string[]): Promise<Ran> {
  const args = [
    BIN,
    'drill',
    runbook,
    ...FAST,
    ...faults.flatMap((f) => ['--fault', f]),
    '--journal-dir',
    tempDir('hotspare-worlds-'),
  ];
  const child = spawn(process.execPath, args, { env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out })));
}

/** The bundled sandbox runbook with another server. */
function withServer(server: 'nginx' | 'apache'): string {
  const file = join(tempDir('hotspare-worlds-rb-'), `sandbox-${server}.yaml`);
  writeFileSync(file, readFileSync('runbooks/sandbox.yaml', 'utf8').replace('server: builtin', `server: ${server}`));
  return file;
}

describe('drills on accounts shaped like real ones', () => {
  requireBuiltCli();

  it.each([
    ['AWS defaults (GET / with matcher 200): the home page redirects, the checker gets 200', []],
    ['an HTTPS target group', ['https-target-group']],
    ['a health-check port of its own', ['health-check-port']],
    ['a matcher of 301,302', ['matcher-3xx']],
    ['a subnet with no way out (builtin server: nothing to install)', ['no-route-out']],
    ['an Ubuntu image', ['ubuntu-image']],
    ['all of them at once', ['https-target-group', 'health-check-port', 'matcher-3xx', 'no-route-out', 'ubuntu-image']],
  ])('%s', async (_label, faults) => {
    const r = await drill('runbooks/sandbox.yaml', ...faults);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/site: 302 -> http:\/\/127\.0\.0\.1:\d+\//);
    expect(r.out).toMatch(/traffic: \d+ requests, 0 failed/);
  });

  it.each(['nginx', 'apache'] as const)(
    '%s on an HTTPS target group with its own health-check port',
    async (server) => {
      const r = await drill(withServer(server), 'https-target-group', 'health-check-port', 'ubuntu-image');
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/traffic: \d+ requests, 0 failed/);
    },
  );

  it('nginx in a subnet with no way out is refused before anything is launched', async () => {
    const r = await drill(withServer('nginx'), 'no-route-out');
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'hotspare: The redirect server (nginx) installs packages at boot, and subnet-00000000000000000 has no route out',
    );
    expect(r.out).toContain('next: Use server: builtin');
    expect(r.out).not.toContain('RunInstances');
  });

  it('a Windows image is refused before anything is launched', async () => {
    const r = await drill('runbooks/sandbox.yaml', 'windows-image');
    expect(r.code).toBe(2);
    expect(r.out).toContain('No supported redirect server runs here: ami-00000000000000000 is a Windows image');
    expect(r.out).not.toContain('RunInstances');
  });
});
