import type { RunEnvironment } from '../domain/types.js';
import type { Ports } from '../ports/index.js';
import type { Plan } from '../plan/types.js';
import type { LoadedRunbook } from '../runbook/load.js';
import type { Runbook } from '../runbook/schema.js';
import type { EventSink, Mode, RunOutcome } from './events.js';
import type { OperatorIdentity } from './journal-records.js';
import type { LockInfo } from './lock.js';
import type { Operator } from './operator.js';
import type { RunSummary } from './run-summary.js';
import type { TestHooks } from './test-hooks.js';
import type { InFlight } from './in-flight.js';

export interface SessionOptions {
  /** The runbook file as loaded (file name, hash and content are journaled). */
  readonly loaded: LoadedRunbook;
  /** The runbook in effect: the loaded one, or the sandbox's copy with local URLs. */
  readonly runbook: Runbook;
  readonly ports: Ports;
  readonly mode: Mode;
  readonly journalDir: string;
  readonly emit: EventSink;
  readonly operator: Operator;
  readonly identity: OperatorIdentity;
  /** Poll interval while waiting, ms (default: runbook polling.intervalSeconds, else 1000). */
  readonly pollIntervalMs?: number | undefined;
  readonly healthyTimeoutMs?: number | undefined;
  /** Aborts waits and retries (quit, Ctrl-C): the step is journaled as interrupted and resumable. */
  readonly signal?: AbortSignal | undefined;
  /**
   * The process's commands in flight: each command is registered while it runs (with its lock, and
   * its journal once open), so a quit or a signal can journal the interruption before the process ends.
   */
  readonly inFlight?: InFlight | undefined;
  /**
   * When the account is read: `at-open` (default: the plan, the dashboard and a failover need it),
   * or `when-needed`: a rollback, resume or abandon works from the run's journaled environment and
   * reads the account only if the journal has none (headless commands; never the sandbox, whose
   * world is checked against the run). Until then `env` and `plan` are the runbook's assumed ones.
   */
  readonly readAccount?: 'at-open' | 'when-needed' | undefined;
  /** Reliability suite only (see `test-hooks.ts`). */
  readonly testHooks?: TestHooks | undefined;
}

/**
 * One runbook opened against one account (or the sandbox): the discovered environment, the plan,
 * and the commands. Each command takes the runbook's lock for its duration.
 */
export interface Session {
  readonly runbook: Runbook;
  readonly mode: Mode;
  readonly env: RunEnvironment;
  readonly plan: Plan;
  /** The latest run of this runbook that can still be resumed or rolled back (neither rolled back nor abandoned), if any. */
  unfinishedRun(): RunSummary | undefined;
  /** The latest run of this runbook, finished or not. */
  latestRun(): RunSummary | undefined;
  /** Who holds the runbook's lock right now, if anyone. */
  lockHolder(): LockInfo | undefined;
  /** Start a new failover run. Refuses (RefusedError) while an unfinished run exists or the lock is held. */
  failover(): Promise<RunOutcome>;
  /** Go on with the unfinished run: done steps skipped, in-doubt steps verified first. Refuses if the runbook changed. */
  resume(): Promise<RunOutcome>;
  /** Undo the latest run's completed steps in reverse, from its journal, once the operator confirms. */
  rollback(): Promise<RunOutcome>;
  /** Dry run of the next command: every read, no mutation sent, nothing journaled. */
  dryRun(command: 'failover' | 'rollback'): Promise<RunOutcome>;
  /**
   * Close the unfinished run without undoing the rest: reads what it left in AWS, journals it
   * (`run-abandoned`) and reports it. The next failover is then accepted.
   */
  abandon(): Promise<RunOutcome>;
}
