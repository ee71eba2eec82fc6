import { spawnSync } from 'node:child_process';
import { statSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { RunEnvironment } from '../../../src/domain/types.js';
import type { EngineEvent, RunOutcome } from '../../../src/engine/events.js';
import { journalPath } from '../../../src/engine/journal.js';
import type { JournalRecord, OperatorIdentity } from '../../../src/engine/journal-records.js';
import { lockPath } from '../../../src/engine/lock.js';
import { automaticOperator } from '../../../src/engine/operator.js';
import { openSession } from '../../../src/engine/session.js';
import type { Session } from '../../../src/engine/session-types.js';
import type { TestHooks } from '../../../src/engine/test-hooks.js';
import type { Ports } from '../../../src/ports/index.js';
import type { Runbook } from '../../../src/runbook/schema.js';
import type { Sandbox } from '../../../src/sandbox/index.js';

/** Where the in-process "kill" happens: after journal record `n` is on disk, or after the n-th mutating call returned. */
export type CrashPoint =
  | { readonly after: 'record'; readonly n: number }
  | { readonly after: 'send'; readonly n: number };

/** What a simulated kill throws; nothing of the engine may catch it for good. */
export class SimulatedKill extends Error {
  override readonly name = 'SimulatedKill';
}

/**
 * One process's life on the sandbox. A SIGKILL would end the sandbox with the process, so the kill
 * is simulated in-process at the same points as the CLI's hooks: at the crash point the ports go
 * dead (every later call throws, nothing more reaches the simulated account), every later journal
 * record is cut off again (the engine's error handlers may still try to write), and the runbook's
 * lock is left behind as a dead process leaves it. In-flight work the world was already doing
 * (boots, health checks, draining) goes on, as in AWS.
 */
export interface ProcessLife {
  readonly ports: Ports;
  readonly hooks: TestHooks;
  /** Whether the crash point was reached. */
  crashed(): boolean;
  /** After the command returned or threw: cut the journal back to the crash point and leave a dead process's lock. */
  bury(): void;
}

/** A pid that belonged to a process that has exited: what a killed operator's lock holds. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function deadPorts(ports: Ports, isDead: () => boolean): Ports {
  const guard = <T extends object>(port: T): T =>
    new Proxy(port, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (isDead()) return Promise.reject(new SimulatedKill('the process is dead'));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return {
    ...ports,
    lb: guard(ports.lb),
    compute: guard(ports.compute),
    dns: guard(ports.dns),
    probe: guard(ports.probe),
  };
}

/** A "process" on the sandbox that dies at `point` (see `ProcessLife`). */
export function processLife(
  ports: Ports,
  point: CrashPoint | undefined,
  journalDir: string,
  runbook: string,
): ProcessLife {
  let dead = false;
  let lastPath: string | undefined;
  let sizeAtDeath = 0;
  let sends = 0;
  const die = (): never => {
    dead = true;
    sizeAtDeath = lastPath === undefined ? 0 : statSync(lastPath).size;
    throw new SimulatedKill('killed');
  };
  const hooks: TestHooks = {
    afterRecord: (r) => {
      if (dead) throw new SimulatedKill('the process is dead');
      const record = r as JournalRecord;
      lastPath = journalPath(journalDir, runbook, record.runId);
      if (point?.after === 'record' && record.seq === point.n) die();
    },
    afterSend: () => {
      if (dead) throw new SimulatedKill('the process is dead');
      sends += 1;
      if (point?.after === 'send' && sends === point.n) die();
    },
  };
  return {
    ports: deadPorts(ports, () => dead),
    hooks,
    crashed: () => dead,
    bury() {
      if (!dead) return;
      if (lastPath !== undefined) truncateSync(lastPath, sizeAtDeath);
      const lock = {
        user: 'operator',
        host: hostname(),
        pid: deadPid(),
        runbook,
        command: 'killed',
        since: Date.now(),
      };
      writeFileSync(lockPath(journalDir, runbook), JSON.stringify(lock), { mode: 0o600 });
    },
  };
}

export interface SandboxCommandResult {
  readonly outcome?: RunOutcome | undefined;
  readonly error?: unknown;
  readonly killed: boolean;
  readonly events: readonly EngineEvent[];
  readonly env: RunEnvironment;
}

/**
 * Open a fresh session on the sandbox (a new "process") and run one command, crashing at `point`
 * when given. `error` is what a command that was not killed threw (a refusal, a usage error).
 */
export async function sandboxCommand(
  sandbox: Sandbox,
  runbook: Runbook,
  journalDir: string,
  command: 'failover' | 'resume' | 'rollback',
  point?: CrashPoint,
): Promise<SandboxCommandResult> {
  const life = processLife(sandbox.ports, point, journalDir, sandbox.runbook.name);
  const events: EngineEvent[] = [];
  const identity: OperatorIdentity = { user: 'operator', host: hostname(), pid: process.pid };
  const session: Session = await openSession({
    loaded: { runbook, file: 'runbook.yaml', sha256: 'a'.repeat(64) },
    runbook: sandbox.runbook,
    ports: life.ports,
    mode: 'sandbox',
    journalDir,
    emit: (e) => events.push(e),
    operator: automaticOperator('stop'),
    identity,
    pollIntervalMs: sandbox.pollIntervalMs,
    healthyTimeoutMs: sandbox.healthyTimeoutMs,
    testHooks: life.hooks,
  });
  let outcome: RunOutcome | undefined;
  let error: unknown;
  try {
    outcome = await session[command]();
  } catch (e) {
    error = e;
  }
  life.bury();
  return { outcome, error: life.crashed() ? undefined : error, killed: life.crashed(), events, env: session.env };
}
