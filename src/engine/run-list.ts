import { listJournals, readJournal } from './journal.js';
import { readLock } from './lock.js';
import { hasStarted, summarize, type RunSummary } from './run-summary.js';

/**
 * Every run journaled in some directories, newest first, for `hotspare runs` (after `gh run list`):
 * id, runbook, who, when, what state it is in and by which strategy. Read only: nothing is moved,
 * repaired or locked; a journal that cannot be read is listed as such, never fatal.
 */

/** A run's state in words a list can show (`--json` keeps these ids). */
export type RunListState =
  | 'running'
  | 'interrupted'
  | 'stopped'
  | 'failed-over'
  | 'rolling-back'
  | 'rollback-interrupted'
  | 'rolled-back'
  | 'rollback-incomplete'
  | 'abandoned'
  | 'preparing'
  | 'prepared'
  | 'prepare-failed'
  | 'unreadable';

/** How the run takes the site to maintenance, from its steps; `spare` for a preparation. */
export type RunStrategy =
  | 'redirect-instance'
  | 'spare'
  | 'listener-redirect'
  | 'listener-fixed-response'
  | 'dns-failover'
  | 'manual'
  | 'unknown';

export interface RunListing {
  readonly runId: string;
  readonly runbook: string;
  /** `user@host` who started it. */
  readonly who: string;
  /** Epoch ms (ISO 8601 in `--json`). */
  readonly startedAt: number;
  readonly state: RunListState;
  readonly strategy: RunStrategy;
  readonly mode: string;
  /** Mutating steps done of all mutating steps. */
  readonly stepsDone: number;
  readonly steps: number;
  readonly journal: string;
  /** Why the journal could not be read (state `unreadable`). */
  readonly problem?: string | undefined;
}

/** The strategy its steps use: the first step that takes the site to maintenance decides. */
export function strategyOf(run: Pick<RunSummary, 'purpose' | 'steps'>): RunStrategy {
  if (run.purpose === 'prepare') return 'spare';
  for (const step of run.steps) {
    switch (step.type) {
      case 'launch-redirect':
        return step.outputs?.['spare'] === true ? 'spare' : 'redirect-instance';
      case 'set-listener-redirect':
        return 'listener-redirect';
      case 'set-listener-fixed-response':
        return 'listener-fixed-response';
      case 'dns-failover':
        return 'dns-failover';
      default:
        break;
    }
  }
  return run.steps.length > 0 && run.steps.every((s) => s.type === 'manual') ? 'manual' : 'unknown';
}

/**
 * The state a list shows. A run whose journal ends mid-failover (or mid-rollback) is `running` while
 * its runbook's lock is held by a live process and it is the newest run of that runbook there;
 * otherwise that process is gone without an end record (killed): `interrupted`.
 */
export function listState(run: RunSummary, inProgress: boolean): RunListState {
  if (run.purpose === 'prepare') {
    const step = run.steps[0];
    if (step?.state === 'succeeded') return 'prepared';
    if (step?.state === 'failed') return 'prepare-failed';
    return inProgress ? 'preparing' : 'interrupted';
  }
  switch (run.phase) {
    case 'failing-over':
      return inProgress ? 'running' : 'interrupted';
    case 'rolling-back':
      return inProgress ? 'rolling-back' : 'rollback-interrupted';
    case 'stopped':
    case 'failed-over':
    case 'rolled-back':
    case 'rollback-incomplete':
    case 'abandoned':
      return run.phase;
  }
}

/** The runbook name a journal file belongs to (`NAME--RUN.jsonl`; a preparation's is `NAME.spare--RUN.jsonl`). */
function lockNameOf(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base.slice(0, base.lastIndexOf('--'));
}

function listing(dir: string, file: string, newestOfRunbook: boolean): RunListing | undefined {
  let run: RunSummary;
  try {
    const { records } = readJournal(file);
    if (!hasStarted(records)) return undefined; // never started: nothing ran
    run = summarize(records);
  } catch (error) {
    const base = file.slice(file.lastIndexOf('/') + 1);
    const runId = base.slice(base.lastIndexOf('--') + 2).replace(/\.jsonl$/, '');
    const problem = error instanceof Error ? error.message : String(error);
    return {
      runId,
      runbook: lockNameOf(file),
      who: '?',
      startedAt: 0,
      state: 'unreadable',
      strategy: 'unknown',
      mode: '?',
      stepsDone: 0,
      steps: 0,
      journal: file,
      problem,
    };
  }
  const lock = newestOfRunbook ? readLock(dir, lockNameOf(file)) : undefined;
  const mutating = run.steps.filter((s) => s.mutating);
  return {
    runId: run.runId,
    runbook: run.runbook,
    who: `${run.operator.user}@${run.operator.host}`,
    startedAt: run.startedAt,
    state: listState(run, lock !== undefined),
    strategy: strategyOf(run),
    mode: run.mode,
    stepsDone: mutating.filter((s) => s.state === 'succeeded').length,
    steps: mutating.length,
    journal: file,
  };
}

export interface ListRunsOptions {
  /** Only this runbook's runs (its preparations too). */
  readonly runbook?: string | undefined;
  /** At most this many, the newest (default all). */
  readonly limit?: number | undefined;
}

/** The runs journaled in `dirs`, newest first (run ids sort by time). */
export function listRuns(dirs: readonly string[], options: ListRunsOptions = {}): RunListing[] {
  const files = dirs.flatMap((dir) => listJournals(dir).map((file) => ({ dir, file })));
  const runId = (f: string): string => f.slice(f.lastIndexOf('--') + 2);
  files.sort((a, b) => runId(b.file).localeCompare(runId(a.file)));
  const seen = new Set<string>();
  const out: RunListing[] = [];
  for (const { dir, file } of files) {
    const name = lockNameOf(file);
    if (options.runbook !== undefined && name !== options.runbook && name !== `${options.runbook}.spare`) continue;
    const newest = !seen.has(`${dir}\n${name}`);
    seen.add(`${dir}\n${name}`);
    const entry = listing(dir, file, newest);
    if (entry !== undefined) out.push(entry);
    if (options.limit !== undefined && out.length >= options.limit) break;
  }
  return out;
}
