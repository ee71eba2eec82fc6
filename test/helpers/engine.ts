import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent, Mode } from '../../src/engine/events.js';
import type { OperatorIdentity } from '../../src/engine/journal-records.js';
import { readJournal } from '../../src/engine/journal.js';
import type { JournalRecord } from '../../src/engine/journal-records.js';
import type {
  ConfirmDecision,
  ConfirmRequest,
  FailureDecision,
  FailureRequest,
  Operator,
  RollbackDecision,
  RollbackRequest,
} from '../../src/engine/operator.js';
import { openSession } from '../../src/engine/session.js';
import type { Session } from '../../src/engine/session-types.js';
import type { LoadedRunbook } from '../../src/runbook/load.js';
import type { Runbook } from '../../src/runbook/schema.js';
import type { FakeWorld } from './fake-ports.js';
import { waitUntilTrue } from './wait.js';

export function tempDir(prefix = 'hotspare-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** An operator that answers from scripts and records what it was asked. */
export class ScriptedOperator implements Operator {
  readonly confirms: ConfirmRequest[] = [];
  readonly failures: FailureRequest[] = [];
  readonly rollbacks: RollbackRequest[] = [];
  constructor(
    private readonly onConfirm: (r: ConfirmRequest) => ConfirmDecision = () => 'run',
    private readonly onFail: (r: FailureRequest) => FailureDecision = () => 'stop',
    private readonly onRollback: (r: RollbackRequest) => RollbackDecision = () => 'run',
  ) {}
  confirmStep(r: ConfirmRequest): Promise<ConfirmDecision> {
    this.confirms.push(r);
    return Promise.resolve(this.onConfirm(r));
  }
  onFailure(r: FailureRequest): Promise<FailureDecision> {
    this.failures.push(r);
    return Promise.resolve(this.onFail(r));
  }
  confirmRollback(r: RollbackRequest): Promise<RollbackDecision> {
    this.rollbacks.push(r);
    return Promise.resolve(this.onRollback(r));
  }
}

export interface Harness {
  readonly session: Session;
  readonly events: EngineEvent[];
  readonly operator: Operator;
}

export const ME: OperatorIdentity = { user: 'alice', host: 'laptop', pid: process.pid };

/** Open a session on the fake world, journaling under `dir`. */
export async function openFake(
  world: FakeWorld,
  runbook: Runbook,
  dir: string,
  options: { operator?: Operator; mode?: Mode; identity?: OperatorIdentity; loaded?: Partial<LoadedRunbook> } = {},
): Promise<Harness> {
  const events: EngineEvent[] = [];
  const operator = options.operator ?? new ScriptedOperator();
  const session = await openSession({
    loaded: { runbook, file: 'runbooks/fake.yaml', sha256: 'f'.repeat(64), ...options.loaded },
    runbook,
    ports: world.ports(),
    mode: options.mode ?? 'sandbox',
    journalDir: dir,
    emit: (e) => events.push(e),
    operator,
    identity: options.identity ?? ME,
    pollIntervalMs: 2000,
    healthyTimeoutMs: 300_000,
  });
  return { session, events, operator };
}

/** Every record of the (single) journal in `dir`. */
export function journalIn(dir: string): JournalRecord[] {
  const file = readdirSync(dir).find((f) => f.endsWith('.jsonl'));
  if (file === undefined) throw new Error(`no journal in ${dir}`);
  return [...readJournal(join(dir, file)).records];
}

export function journalFile(dir: string): string {
  const file = readdirSync(dir).find((f) => f.endsWith('.jsonl'));
  if (file === undefined) throw new Error(`no journal in ${dir}`);
  return join(dir, file);
}

/** Wait (real time, short) until `predicate` holds. */
export function until(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  return waitUntilTrue(predicate, 'the condition', timeoutMs);
}
