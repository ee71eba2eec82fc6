import type { Json, RunEnvironment } from '../domain/types.js';
import { RefusedError } from '../domain/errors.js';
import { buildPlan } from '../plan/build.js';
import { assumedEnvironment, discoverEnvironment, withCurrentHotspareTargets } from '../plan/environment.js';
import { ENGINE_MAX_AGE_MS } from './shared-reads.js';
import { stepIdOf } from '../runbook/schema.js';
import { abandonRun } from './abandon.js';
import { dryRunFailover, dryRunRollback } from './dry-run.js';
import type { RunOutcome } from './events.js';
import { newRunId, openFileJournal, readJournal, type Journal } from './journal.js';
import { acquireLock, readLock } from './lock.js';
import { preflight } from './preflight.js';
import { rollbackRun } from './rollback.js';
import { changedFields } from './runbook-changes.js';
import { executeSteps } from './runner.js';
import { latestRun as latestRunIn } from './runs.js';
import { blocksNewRun, isUnfinished, manualStepsNotDone, summarize, type RunSummary } from './run-summary.js';
import type { Session, SessionOptions } from './session-types.js';
import type { RunScope } from './step-context.js';
import type { OperatorIdentity } from './journal-records.js';
import { killAfterRecordHook, killAfterSendHook } from './test-hooks.js';
import type { CommandHandle } from './in-flight.js';
import { pollIntervalOf } from './polling.js';

const DEFAULT_HEALTHY_TIMEOUT_MS = 600_000;

/**
 * Open a runbook against its account (or the sandbox): read the environment (concurrently), build
 * the plan, and return the commands. Reads only; every command takes the runbook's lock.
 */
export async function openSession(options: SessionOptions): Promise<Session> {
  const { runbook, emit } = options;
  // The account is read at most once per session: at open, or on a command's first need for it (only the
  // runs in effect are read again, before a failover: see `failoverEnv`).
  let reading: Promise<RunEnvironment> | undefined;
  let readAt: number | undefined;
  const accountEnv = (): Promise<RunEnvironment> =>
    (reading ??= discoverEnvironment(runbook, options.ports, { signal: options.signal, onRetry: warn(options) }).then(
      (read) => {
        readAt = options.ports.clock.now();
        return read;
      },
    ));
  // A failover is refused while AWS shows a run in effect: that is read again when the session's read
  // is older than the engine ever reuses an answer (a dashboard opened a while ago), so a leftover
  // removed since no longer blocks it and one added since does.
  const failoverEnv = async (): Promise<RunEnvironment> => {
    const read = await accountEnv();
    const age = readAt === undefined ? 0 : options.ports.clock.now() - readAt;
    return age <= ENGINE_MAX_AGE_MS
      ? read
      : withCurrentHotspareTargets(read, options.ports, { signal: options.signal, onRetry: warn(options) });
  };
  const lazy = options.readAccount === 'when-needed' && options.mode !== 'sandbox';
  const env = lazy ? assumedEnvironment(runbook) : await accountEnv();
  const plan = buildPlan(runbook, env);
  if (!lazy) {
    emit({ type: 'environment', env });
    emit({ type: 'plan', steps: plan.steps, hazards: plan.hazards, strategies: plan.strategies });
  }
  const latestRun = (): RunSummary | undefined => {
    const run = latestRunIn(options.journalDir, runbook.name, {
      onSetAside: (message) => emit({ type: 'log', level: 'warn', message, at: options.ports.clock.now() }),
      mayMove: () => {
        const holder = readLock(options.journalDir, runbook.name);
        return holder === undefined || holder.pid === options.identity.pid;
      },
    });
    return run === undefined || ofThisWorld(options, env, run) ? run : undefined;
  };
  const unfinishedRun = (): RunSummary | undefined => {
    const latest = latestRun();
    return latest !== undefined && isUnfinished(latest) ? latest : undefined;
  };
  // The command running now, for the process's front end: a quit or a signal journals its interruption.
  let running: CommandHandle | undefined;
  const tracked: Tracked = {
    ...options,
    accountEnv,
    journalOpened: (j) => running?.attach(j),
    journalClosing: () => running?.detach(),
  };
  const locked = async (command: string, body: () => Promise<RunOutcome>): Promise<RunOutcome> => {
    const lock = acquireLock(options.journalDir, runbook.name, options.identity, command, options.ports.clock.now());
    running = options.inFlight?.start(command, runbook.name, () => lock.release());
    try {
      return await body();
    } finally {
      running?.finish();
      running = undefined;
      lock.release();
    }
  };
  return {
    runbook,
    mode: options.mode,
    env,
    plan,
    latestRun,
    unfinishedRun,
    lockHolder: () => readLock(options.journalDir, runbook.name),
    failover: () => locked('failover', async () => failover(tracked, await failoverEnv(), unfinishedRun())),
    resume: () => locked('resume', () => resume(tracked, unfinishedRun())),
    rollback: () => locked('rollback', () => rollback(tracked, latestRun())),
    dryRun: async (command) => {
      if (command !== 'failover') return dryRunRollback(options, latestRun());
      const read = await accountEnv();
      return dryRunFailover(options, read, read === env ? plan : buildPlan(runbook, read));
    },
    abandon: () => locked('abandon', () => abandon(tracked, unfinishedRun())),
  };
}

/**
 * Whether a run belongs to the account this session talks to. A sandbox is a new simulated account
 * in every process (other ids, other ARNs): a run journaled by another sandbox can be neither
 * resumed nor rolled back here, and must not block a new drill.
 */
function ofThisWorld(options: SessionOptions, env: RunEnvironment, run: RunSummary): boolean {
  return options.mode !== 'sandbox' || run.env === undefined || run.env.targetGroup.arn === env.targetGroup.arn;
}

/** Each retry of a read (throttling slowing it down, a network error) as a warning line: slow, never silent. */
function warn(options: SessionOptions): (message: string) => void {
  return (message) => options.emit({ type: 'log', level: 'warn', message, at: options.ports.clock.now() });
}

/** The session's options, with the running command told when its journal opens and closes. */
interface Tracked extends SessionOptions {
  /** The account's environment, read once per session (a run's journaled one is used first). */
  readonly accountEnv: () => Promise<RunEnvironment>;
  readonly journalOpened: (journal: Journal) => void;
  readonly journalClosing: () => void;
}

/** The run's journal, known to the running command's entry in `inFlight` until `closeJournal`. */
function openJournal(options: Tracked, runId: string): Journal {
  const journal = openFileJournal(options.journalDir, options.runbook.name, runId, {
    clock: options.ports.clock,
    onAppended: killAfterRecordHook(options.testHooks),
  });
  options.journalOpened(journal);
  return journal;
}

function closeJournal(options: Tracked, journal: Journal): void {
  options.journalClosing();
  journal.close();
}

/** `user@host`, as a run's starter is tagged on what it launches. */
function who(operator: OperatorIdentity): string {
  return `${operator.user}@${operator.host}`;
}

function scopeFor(
  options: SessionOptions,
  env: RunEnvironment,
  journal: Journal,
  startedBy: OperatorIdentity,
): RunScope {
  const polling = options.runbook.polling;
  return {
    runbook: options.runbook,
    runId: journal.runId,
    startedBy: who(startedBy),
    env,
    ports: options.ports,
    journal,
    emit: options.emit,
    signal: options.signal ?? new AbortController().signal,
    pollIntervalMs: pollIntervalOf(options.runbook, options.pollIntervalMs),
    healthyTimeoutMs:
      options.healthyTimeoutMs ?? (polling?.healthyTimeoutSeconds ?? DEFAULT_HEALTHY_TIMEOUT_MS / 1000) * 1000,
    outputsByType: new Map(),
    recorded: new Map(),
    afterSend: killAfterSendHook(options.testHooks),
  };
}

async function failover(
  options: Tracked,
  env: RunEnvironment,
  unfinished: RunSummary | undefined,
): Promise<RunOutcome> {
  if (unfinished !== undefined && blocksNewRun(unfinished)) throw unfinishedRefusal(unfinished);
  const runId = newRunId(options.ports.clock.now());
  const checks = await preflight(options.runbook, env, options.ports, runId, warn(options));
  for (const c of checks.filter((check) => check.warning === true))
    options.emit({
      type: 'log',
      level: 'warn',
      message: `preflight ${c.name}: ${c.detail}`,
      at: options.ports.clock.now(),
    });
  const journal = openJournal(options, runId);
  try {
    const plan = buildPlan(options.runbook, env, runId, who(options.identity));
    journal.append({
      kind: 'run-started',
      runbook: options.runbook.name,
      runbookFile: options.loaded.file,
      runbookSha256: options.loaded.sha256,
      runbookContent: options.loaded.runbook as unknown as Json,
      mode: options.mode,
      operator: options.identity,
      steps: plan.steps.map((s) => ({ id: s.id, type: s.type, mutating: s.mutating })),
    });
    journal.append({ kind: 'environment', env });
    options.emit({
      type: 'run-started',
      runId,
      runbook: options.runbook.name,
      mode: options.mode,
      at: options.ports.clock.now(),
      resumed: false,
    });
    options.emit({ type: 'plan', steps: plan.steps, hazards: plan.hazards, strategies: plan.strategies });
    return await drive(options, env, journal, undefined);
  } finally {
    closeJournal(options, journal);
  }
}

async function resume(options: Tracked, run: RunSummary | undefined): Promise<RunOutcome> {
  if (run === undefined)
    throw new RefusedError('There is no unfinished run of this runbook to resume.', { code: 'NothingToResume' });
  if (run.phase === 'rolling-back' || run.phase === 'rollback-incomplete') {
    throw new RefusedError(`Run ${run.runId} is part-way through a rollback.`, {
      code: 'RollbackInProgress',
      nextSteps: 'Finish it with `hotspare rollback RUNBOOK`.',
    });
  }
  if (run.phase === 'failed-over') return 'failed-over';
  checkSameRunbook(options, run);
  const env = run.env ?? (await options.accountEnv());
  const journal = openJournal(options, run.runId);
  try {
    journal.append({ kind: 'run-resumed', operator: options.identity });
    options.emit({
      type: 'run-started',
      runId: run.runId,
      runbook: run.runbook,
      mode: options.mode,
      at: options.ports.clock.now(),
      resumed: true,
      runStartedAt: run.startedAt,
    });
    return await drive(options, env, journal, summarize(readJournal(journal.path).records));
  } finally {
    closeJournal(options, journal);
  }
}

async function drive(
  options: SessionOptions,
  env: RunEnvironment,
  journal: Journal,
  prior: RunSummary | undefined,
): Promise<RunOutcome> {
  const starter = prior?.operator ?? options.identity;
  const scope = scopeFor(options, env, journal, starter);
  const plan = buildPlan(options.runbook, env, journal.runId, who(starter));
  const result = await executeSteps({ scope, plan, operator: options.operator, mode: options.mode, prior });
  if (result !== 'rollback-requested') {
    const notDone = manualStepsNotDone(readJournal(journal.path).records, options.runbook);
    options.emit({
      type: 'run-finished',
      runId: journal.runId,
      outcome: result,
      at: options.ports.clock.now(),
      ...(notDone.length > 0 ? { notDone } : {}),
    });
    return result;
  }
  return undoAll(options, scope, summarize(readJournal(journal.path).records));
}

async function rollback(options: Tracked, run: RunSummary | undefined): Promise<RunOutcome> {
  if (run === undefined || run.phase === 'rolled-back' || run.phase === 'abandoned') {
    throw new RefusedError('There is no run of this runbook to roll back.', {
      code: 'NothingToRollBack',
      nextSteps: 'Nothing was changed by hotspare; check `hotspare status RUNBOOK`.',
    });
  }
  const env = run.env ?? (await options.accountEnv());
  const journal = openJournal(options, run.runId);
  try {
    return await undoAll(
      options,
      scopeFor(options, env, journal, run.operator),
      summarize(readJournal(journal.path).records),
    );
  } finally {
    closeJournal(options, journal);
  }
}

async function undoAll(options: SessionOptions, scope: RunScope, summary: RunSummary): Promise<RunOutcome> {
  // The undo calls shown name what the run made (the instance it launched), from its journal.
  const outputs = new Map(
    summary.steps.filter((s) => s.state === 'succeeded').map((s) => [s.type, s.outputs ?? {}] as const),
  );
  const plan = buildPlan(options.runbook, scope.env, summary.runId, scope.startedBy, (type) => outputs.get(type));
  const result = await rollbackRun({
    scope,
    summary,
    plan,
    who: options.identity,
    operator: options.operator,
    mode: options.mode,
  });
  const at = options.ports.clock.now();
  if (result.outcome === 'declined') {
    // Nothing changed: the run stands as it was (a finished failover stays finished).
    options.emit({ type: 'run-finished', runId: summary.runId, outcome: 'declined', at });
    return 'declined';
  }
  options.emit({ type: 'run-finished', runId: summary.runId, outcome: result.outcome, failures: result.failures, at });
  return result.outcome;
}

async function abandon(options: Tracked, run: RunSummary | undefined): Promise<RunOutcome> {
  if (run === undefined)
    throw new RefusedError('There is no unfinished run of this runbook to abandon.', { code: 'NothingToAbandon' });
  const env = run.env ?? (await options.accountEnv());
  const journal = openJournal(options, run.runId);
  try {
    const outputs = new Map(
      run.steps.filter((s) => s.state === 'succeeded').map((s) => [s.type, s.outputs ?? {}] as const),
    );
    const plan = buildPlan(options.runbook, env, run.runId, who(run.operator), (type) => outputs.get(type));
    return await abandonRun(scopeFor(options, env, journal, run.operator), run, plan, options.identity);
  } finally {
    closeJournal(options, journal);
  }
}

/** Refuse to resume with a runbook other than the one the run started with, naming what changed. */
function checkSameRunbook(options: SessionOptions, run: RunSummary): void {
  const now = options.runbook.steps.map(stepIdOf).join(',');
  const then = run.steps.map((s) => s.id).join(',');
  if (now !== then) {
    throw new RefusedError(`The runbook's steps changed since run ${run.runId} started (${then} -> ${now}).`, {
      code: 'RunbookChanged',
      nextSteps: 'Restore the runbook as it was, or roll the run back (rollback works from the journal).',
    });
  }
  if (options.loaded.sha256 === run.runbookSha256) return;
  const changes =
    run.runbookContent === undefined
      ? []
      : changedFields(run.runbookContent, options.loaded.runbook as unknown as Json);
  const what =
    changes.length === 0
      ? `its file changed (sha256 ${run.runbookSha256.slice(0, 12)}… -> ${options.loaded.sha256.slice(0, 12)}…)`
      : `these fields changed: ${changes.join(', ')}`;
  throw new RefusedError(`The runbook changed since run ${run.runId} started: ${what}.`, {
    code: 'RunbookChanged',
    nextSteps: `Restore ${run.runbookFile} as it was to resume, or roll the run back (rollback works from the journal alone) and start again.`,
  });
}

function unfinishedRefusal(run: RunSummary): RefusedError {
  return new RefusedError(
    `Run ${run.runId} of ${run.runbook} (started by ${run.operator.user}@${run.operator.host}) is ${run.phase}.`,
    {
      code: 'UnfinishedRun',
      nextSteps:
        'Decide first: `hotspare resume RUNBOOK` to go on, `hotspare rollback RUNBOOK` to undo it, or `hotspare abandon RUNBOOK` to close it and list what it left in AWS.',
    },
  );
}
