import { describe, expect, it } from 'vitest';
import { assumedEnvironment } from '../../src/plan/environment.js';
import type { Ports, SubnetNetwork } from '../../src/ports/index.js';
import { loadRunbook } from '../../src/runbook/load.js';
import type { Runbook } from '../../src/runbook/schema.js';
import { launchRedirect } from '../../src/steps/launch-redirect.js';
import { redirectConfigOf } from '../../src/steps/redirect-server.js';
import { CHECKED_TAG, spareTags } from '../../src/steps/spare.js';
import type { PreflightContext } from '../../src/steps/types.js';
import { FakeWorld } from '../helpers/fake-ports.js';

const PRIVATE: SubnetNetwork = {
  subnetId: 'subnet-0123456789abcdef0',
  vpcId: 'vpc-1',
  mapPublicIpOnLaunch: false,
  routeTableId: 'rtb-1',
  routes: [{ destination: '10.0.0.0/16', target: 'local' }],
  gatewayEndpoints: [],
};

async function nginxRunbook(): Promise<Runbook> {
  const rb = (await loadRunbook('runbooks/emergency-mode.yaml')).runbook;
  return { ...rb, redirectServer: { ...rb.redirectServer!, server: 'nginx' } };
}

/** The launch step's preflight checks against a fake account whose subnet has no way out. */
async function checks(
  world: FakeWorld,
  runbook: Runbook,
  compute: Partial<Ports['compute']> = {},
): Promise<Record<string, string>> {
  const base = world.ports();
  const ports: Ports = {
    ...base,
    compute: { ...base.compute, describeSubnetNetwork: async () => PRIVATE, ...compute },
  };
  const ctx: PreflightContext = { runbook, env: assumedEnvironment(runbook), runId: 'r1', ports };
  const results: Record<string, string> = {};
  for (const check of launchRedirect.preflight!(ctx, { type: 'launch-redirect' })) {
    results[check.name] = await check
      .run()
      .catch((error: Error & { code?: string }) => `FAILED ${error.code}: ${error.message}`);
  }
  return results;
}

describe('launch-redirect preflight', () => {
  it('refuses nginx in a subnet with no way out, and names the ways that need none', async () => {
    const results = await checks(new FakeWorld(), await nginxRunbook());
    expect(results['way out of the subnet']).toMatch(
      /^FAILED NoWayOut: The redirect server \(nginx\) installs packages at boot, and subnet-0123456789abcdef0 has no route out/,
    );
    expect(results['redirect server answers']).toBe(
      'nginx: ELB-HealthChecker GET / on HTTP:80 gets 200; every other request gets 302 to https://maintenance.example.com/',
    );
    expect(results['launch permission (EC2 DryRun)']).toBe(
      'ami-0123456789abcdef0 in subnet-0123456789abcdef0: permitted',
    );
  });

  it('a spare prepared for this config needs no way out', async () => {
    const world = new FakeWorld();
    const runbook = await nginxRunbook();
    const config = redirectConfigOf({ runbook, env: assumedEnvironment(runbook), runId: 'r1' });
    world.instances.set('i-0spare0000000000a', {
      id: 'i-0spare0000000000a',
      state: 'stopped',
      tags: { ...spareTags(runbook.name, config), [CHECKED_TAG]: '2026-12-03T03:00:00.000Z' },
      bootAt: 0,
      token: '',
    });
    const results = await checks(world, runbook);
    expect(results['way out of the subnet']).toMatch(/^a prepared spare \(i-0spare0000000000a\) needs none/);
    expect(results['prepared spare']).toMatch(
      /^i-0spare0000000000a \(stopped, config [0-9a-f]{16}\) is started instead of a launch$/,
    );
  });

  it('a spare that never passed its self-check is not used, and the check says so', async () => {
    const world = new FakeWorld();
    const runbook = await nginxRunbook();
    const config = redirectConfigOf({ runbook, env: assumedEnvironment(runbook), runId: 'r1' });
    world.instances.set('i-0spare0000000000b', {
      id: 'i-0spare0000000000b',
      state: 'running',
      tags: spareTags(runbook.name, config),
      bootAt: 0,
      token: '',
    });
    const results = await checks(world, runbook);
    expect(results['prepared spare']).toBe(
      'none: a new instance is launched; i-0spare0000000000b (running) never passed its self-check, not used (its hotspare prepare did not finish)',
    );
  });

  it('refuses a Windows image, and one built for another architecture', async () => {
    const runbook = (await loadRunbook('runbooks/emergency-mode.yaml')).runbook;
    const windows = await checks(new FakeWorld(), runbook, {
      describeImage: async (id) => ({ id, architecture: 'x86_64', platform: 'windows' }),
    });
    expect(windows['redirect image']).toMatch(
      /^FAILED UnsupportedImage: No supported redirect server runs here: ami-0123456789abcdef0 is a Windows image/,
    );
    const arm = await checks(new FakeWorld(), runbook, {
      describeImage: async (id) => ({ id, architecture: 'arm64', platform: 'linux', name: 'al2023-ami-arm64' }),
    });
    expect(arm['redirect image']).toContain('is built for arm64, but t3.micro runs x86_64');
    expect((await checks(new FakeWorld(), runbook))['redirect image']).toMatch(
      /^ami-0123456789abcdef0 \(al2023-ami-2023\.6-kernel-6\.1-x86_64, x86_64, amazon-linux-2023\) on t3\.micro \(x86_64\)$/,
    );
  });
});
