import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { LaunchSpec, Ports } from '../../src/ports/index.js';
import { loadRunbook } from '../../src/runbook/load.js';
import type { Runbook } from '../../src/runbook/schema.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { sampleRedirect } from '../helpers/redirect-config.js';
import { waitUntil } from '../helpers/wait.js';

/** A shipped runbook from `runbooks/`. */
export async function shipped(name: 'sandbox' | 'classic-order' | 'emergency-mode'): Promise<Runbook> {
  const file = fileURLToPath(new URL(`../../runbooks/${name}.yaml`, import.meta.url));
  return (await loadRunbook(file)).runbook;
}

/** Starts a sandbox for one test and registers it for `stopAll`. */
export async function sandboxFor(
  started: Sandbox[],
  name: 'sandbox' | 'classic-order' | 'emergency-mode' = 'sandbox',
  options: SandboxOptions & { runbookPatch?: Partial<Runbook> } = {},
): Promise<Sandbox> {
  const { runbookPatch, ...sandboxOptions } = options;
  const runbook = { ...(await shipped(name)), ...runbookPatch };
  const sandbox = await startSandbox(runbook, { speed: 100, ...sandboxOptions });
  started.push(sandbox);
  return sandbox;
}

export async function stopAll(started: Sandbox[]): Promise<void> {
  await Promise.all(started.splice(0).map((s) => s.stop()));
}

/** Polls `read` until `done` holds, or fails with the last value after `timeoutMs`. */
export function waitFor<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  return waitUntil(read, done, { timeoutMs });
}

export interface Answer {
  readonly status: number;
  readonly location?: string | undefined;
  readonly body: string;
}

/** One GET without following redirects and without keep-alive. */
export function get(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The launch request the engine would make for the sandbox's runbook. */
export function launchSpecFor(sandbox: Sandbox, overrides: Partial<LaunchSpec> = {}): LaunchSpec {
  const rs = sandbox.runbook.redirectServer!;
  return {
    imageId: rs.imageId ?? 'ami-00000000000000000',
    instanceType: rs.instanceType,
    subnetId: rs.subnetId,
    securityGroupIds: rs.securityGroupIds,
    redirect: sampleRedirect({
      server: rs.server ?? 'builtin',
      targetUrl: sandbox.runbook.maintenance.url,
      statusCode: rs.statusCode,
    }),
    clientToken: `token-${Math.random()}`,
    tags: { Name: 'redirect', 'hotspare:run': 'r1', 'hotspare:step': 'launch-redirect' },
    ...overrides,
  };
}

/** Launches a redirect instance and waits until it is running. */
export async function launchRunning(sandbox: Sandbox, overrides: Partial<LaunchSpec> = {}): Promise<string> {
  const { instance } = await sandbox.ports.compute.runInstance(launchSpecFor(sandbox, overrides));
  await waitFor(
    () => sandbox.ports.compute.describeInstances({ ids: [instance.id] }),
    (found) => found[0]?.state === 'running',
  );
  return instance.id;
}

export async function targetGroupArn(ports: Ports, runbook: Runbook): Promise<string> {
  return (await ports.lb.describeTargetGroup(runbook.loadBalancer.targetGroup)).arn;
}

/** The web servers' ids (tagged role=web in the shipped runbooks). */
export async function webIds(sandbox: Sandbox): Promise<string[]> {
  const found = await sandbox.ports.compute.describeInstances({ tags: sandbox.runbook.webServers.tags ?? {} });
  return found.map((i) => i.id);
}
