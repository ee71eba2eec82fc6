import { afterEach, describe, expect, it } from 'vitest';
import { openSession } from '../../src/engine/session.js';
import { discoverEnvironment } from '../../src/plan/environment.js';
import type { Runbook } from '../../src/runbook/schema.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { prepareSpare } from '../../src/steps/prepare-spare.js';
import { SPARE_TAG } from '../../src/steps/spare.js';
import { journalIn, ME, ScriptedOperator, tempDir } from '../helpers/engine.js';
import { sandboxFor, stopAll } from './helpers.js';

const started: Sandbox[] = [];
afterEach(() => stopAll(started));

async function prepare(sandbox: Sandbox, runbook: Runbook = sandbox.runbook) {
  const lines: string[] = [];
  const env = await discoverEnvironment(runbook, sandbox.ports);
  const result = await prepareSpare({
    runbook,
    env,
    ports: sandbox.ports,
    pollIntervalMs: 20,
    timeoutMs: 10_000,
    progress: (l) => lines.push(l),
  });
  return { result, lines };
}

async function session(sandbox: Sandbox) {
  const dir = tempDir('hotspare-spare-');
  const s = await openSession({
    loaded: { runbook: sandbox.runbook, file: 'runbooks/sandbox.yaml', sha256: '0'.repeat(64) },
    runbook: sandbox.runbook,
    ports: sandbox.ports,
    mode: 'sandbox',
    journalDir: dir,
    emit: () => undefined,
    operator: new ScriptedOperator(),
    identity: ME,
    pollIntervalMs: sandbox.pollIntervalMs,
    healthyTimeoutMs: sandbox.healthyTimeoutMs,
  });
  return { s, dir };
}

const operations = (dir: string): string[] =>
  journalIn(dir).flatMap((r) => (r.kind === 'intent' ? [r.call.operation] : []));

describe('a spare prepared ahead of the incident', () => {
  it('prepare launches it, it installs, checks itself and powers off; a second prepare finds it ready', async () => {
    const sandbox = await sandboxFor(started, 'sandbox');
    const first = await prepare(sandbox);
    expect(first.result.outcome).toBe('prepared');
    const [spare] = await sandbox.ports.compute.describeInstances({ ids: [first.result.instanceId] });
    expect(spare).toMatchObject({ state: 'stopped', tags: { [SPARE_TAG]: 'sandbox-drill' } });
    const again = await prepare(sandbox);
    expect(again.result).toEqual({ instanceId: first.result.instanceId, outcome: 'ready', replaced: [] });
  });

  it('the failover starts the spare instead of launching, and rollback stops it, ready again', async () => {
    const sandbox = await sandboxFor(started, 'sandbox');
    const { result } = await prepare(sandbox);
    const { s, dir } = await session(sandbox);
    expect(await s.failover()).toBe('failed-over');
    expect(operations(dir)).toContain('StartInstances');
    expect(operations(dir)).not.toContain('RunInstances');
    const [running] = await sandbox.ports.compute.describeInstances({ ids: [result.instanceId] });
    expect(running?.state).toBe('running');
    expect(await s.rollback()).toBe('rolled-back');
    expect(operations(dir)).toContain('StopInstances');
    expect(operations(dir)).not.toContain('TerminateInstances');
    expect((await sandbox.ports.compute.describeInstances({ ids: [result.instanceId] }))[0]?.state).toMatch(
      /^(stopping|stopped)$/,
    );
  });

  it("prepare refuses to install nginx in a subnet with no way out, as the failover's preflight does", async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['no-route-out'] });
    const nginx: Runbook = {
      ...sandbox.runbook,
      redirectServer: { ...sandbox.runbook.redirectServer!, server: 'nginx' },
    };
    await expect(prepare(sandbox, nginx)).rejects.toMatchObject({ code: 'NoWayOut' });
    expect(await sandbox.ports.compute.describeInstances({ tags: { [SPARE_TAG]: 'sandbox-drill' } })).toEqual([]);
    expect((await prepare(sandbox)).result.outcome).toBe('prepared');
  });

  it('a spare for another config is not used, and the next prepare replaces it', async () => {
    const sandbox = await sandboxFor(started, 'sandbox');
    const old = await prepare(sandbox, {
      ...sandbox.runbook,
      redirectServer: { ...sandbox.runbook.redirectServer!, statusCode: 301 },
    });
    const { s, dir } = await session(sandbox);
    expect(await s.failover()).toBe('failed-over');
    expect(operations(dir)).toContain('RunInstances');
    expect(operations(dir)).not.toContain('StartInstances');
    expect(await s.rollback()).toBe('rolled-back');
    const fresh = await prepare(sandbox);
    expect(fresh.result.replaced).toEqual([old.result.instanceId]);
    expect(
      (await sandbox.ports.compute.describeInstances({ ids: [old.result.instanceId], liveOnly: false }))[0]?.state,
    ).toMatch(/^(shutting-down|terminated)$/);
  });
});
