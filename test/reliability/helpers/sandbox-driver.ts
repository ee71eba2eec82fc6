import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRunbook } from '../../../src/runbook/load.js';
import type { Runbook, StepSpec } from '../../../src/runbook/schema.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { sandboxView, snapshotOriginal, type Original } from './invariants.js';
import { sandboxCommand } from './sandbox-crash.js';
import type { Command, CrashPoint, Driver, Ran } from './trials.js';

/** Fast enough for a matrix: a whole failover in well under a second, every duration in proportion. */
export const SANDBOX_SPEED = 500;

/** The runbooks the sandbox matrix attacks: the redirect instance, the listener redirect, DNS failover. */
export const SANDBOX_VARIANTS: Readonly<Record<string, readonly StepSpec[]>> = {
  'redirect instance': [
    { type: 'launch-redirect' },
    { type: 'register-redirect' },
    { type: 'wait-redirect-healthy' },
    { type: 'deregister-web' },
    { type: 'verify-maintenance' },
    { type: 'manual', text: 'Post on the status page' },
  ] as StepSpec[],
  'listener redirect': [{ type: 'set-listener-redirect' }, { type: 'verify-maintenance' }] as StepSpec[],
  'DNS failover': [{ type: 'dns-failover' }, { type: 'verify-maintenance' }] as StepSpec[],
};

/** The bundled sandbox runbook with `steps`, and a DNS record for the DNS variant. */
export async function variantRunbook(steps: readonly StepSpec[]): Promise<Runbook> {
  const base = (await loadRunbook(join(process.cwd(), 'runbooks/sandbox.yaml'))).runbook;
  return {
    ...base,
    steps: [...steps],
    dns: {
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      recordName: 'www.sandbox.invalid',
      type: 'CNAME',
      failoverValue: 'maintenance.sandbox.invalid',
      ttl: 60,
    },
  } as Runbook;
}

/** A running sandbox for one variant, and what its account looked like at the start. */
export interface SandboxAccount {
  readonly sandbox: Sandbox;
  readonly runbook: Runbook;
  readonly original: Original;
  readonly targetGroupArn: string;
}

export async function startSandboxAccount(runbook: Runbook): Promise<SandboxAccount> {
  const sandbox = await startSandbox(runbook, { speed: SANDBOX_SPEED });
  await sandbox.maintenanceReady;
  const tg = await sandbox.ports.lb.describeTargetGroup(sandbox.runbook.loadBalancer.targetGroup);
  const view = sandboxView(sandbox.ports, sandbox.runbook, tg.arn);
  const webIds = (await view.targets()).map((t) => t.id);
  return { sandbox, runbook, original: await snapshotOriginal(view, webIds), targetGroupArn: tg.arn };
}

const EXPECTED: Readonly<Record<Command, string>> = {
  failover: 'failed-over',
  resume: 'failed-over',
  rollback: 'rolled-back',
};

/** A driver on the sandbox with a fresh journal directory: every command a fresh session (a new "process"). */
export function sandboxDriver(account: SandboxAccount): Driver {
  const journalDir = join(mkdtempSync(join(tmpdir(), 'hotspare-sandbox-crash-')), 'journal');
  const view = sandboxView(account.sandbox.ports, account.sandbox.runbook, account.targetGroupArn);
  return {
    journalDir,
    view,
    original: account.original,
    async run(command: Command, point?: CrashPoint): Promise<Ran> {
      const r = await sandboxCommand(account.sandbox, account.runbook, journalDir, command, point);
      const failures = r.events.flatMap((e) =>
        e.type === 'step-failed' || e.type === 'undo-failed' ? [`${e.stepId}: ${e.error.message}`] : [],
      );
      const detail = r.killed
        ? 'killed'
        : `${r.outcome ?? (r.error as Error | undefined)?.message ?? 'nothing'}${failures.length > 0 ? ` (${failures.join('; ')})` : ''}`;
      return { killed: r.killed, ok: !r.killed && r.outcome === EXPECTED[command], detail, output: '' };
    },
  };
}
