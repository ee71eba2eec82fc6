import { renameSync } from 'node:fs';
import { listJournals, readJournal } from './journal.js';
import { hasStarted, summarize, type RunSummary } from './run-summary.js';
import { stateFileError } from './state-files.js';

/** Suffix of a journal set aside because it holds no run (it no longer ends in `.jsonl`, so no listing finds it). */
export const NEVER_STARTED_SUFFIX = '.never-started';

export interface SetAsideOptions {
  /** Told when a journal is set aside, with a sentence for the operator. */
  readonly onSetAside?: ((message: string) => void) | undefined;
  /**
   * Whether an empty journal may be moved now. False while another process holds the runbook's
   * lock: it may have just created the file and be about to write its first record.
   */
  readonly mayMove?: (() => boolean) | undefined;
}

/**
 * A run's summary from its journal file, or undefined when the file holds no `run-started` record:
 * a crash between creating the file and writing its first record, or a full disk, leaves an empty or
 * torn journal, and that is a run that never started. Such a file is renamed aside (kept, not
 * deleted) and `onSetAside` says so; nothing else blocks on it.
 */
export function loadRun(file: string, options: SetAsideOptions = {}): RunSummary | undefined {
  const { records } = readJournal(file);
  if (hasStarted(records)) return summarize(records);
  if (records.length > 0) return summarize(records); // throws: records without a start are corrupt, not empty
  if (options.mayMove?.() === false) return undefined;
  const aside = `${file}${NEVER_STARTED_SUFFIX}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    throw stateFileError(error, file, 'setting aside the empty journal');
  }
  options.onSetAside?.(
    `${file} holds no run (a crash or a full disk before its first record): the run never started. Set aside as ${aside}.`,
  );
  return undefined;
}

/** The latest run of a runbook in `dir` that did start, setting aside newer journals that hold none. */
export function latestRun(dir: string, runbook: string, options: SetAsideOptions = {}): RunSummary | undefined {
  const files = listJournals(dir, runbook);
  for (let i = files.length - 1; i >= 0; i--) {
    const run = loadRun(files[i]!, options);
    if (run !== undefined) return run;
  }
  return undefined;
}
