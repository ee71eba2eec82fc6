import { listJournals } from '../../engine/journal.js';
import { loadRun } from '../../engine/runs.js';
import { RefusedError } from '../../domain/errors.js';
import { loadRunbook } from '../../runbook/load.js';
import { BUNDLED_SANDBOX_RUNBOOK } from '../paths.js';
import { latestSandboxJournal, sandboxRoot } from './journal-dirs.js';
import { shellWord } from '../output/next-commands.js';

/** The latest run of `runbook`: in --journal-dir, else in the newest sandbox directory that has one. */
function latestJournal(
  journalDir: string | undefined,
  stateDir: string,
  runbook: string,
): { readonly dir: string; readonly file: string } | undefined {
  if (journalDir === undefined) return latestSandboxJournal(stateDir, runbook);
  const file = listJournals(journalDir, runbook).at(-1);
  return file === undefined ? undefined : { dir: journalDir, file };
}

/**
 * `hotspare rollback|resume|abandon RUNBOOK --sandbox`: a sandbox's simulated account lived in the
 * process that ran it and ended with it (a new one has other instance ids and ARNs), so a new
 * process has nothing to act on. Finds the latest sandbox run of the runbook (in --journal-dir, else
 * in the sandbox directories) and says so, with where its journal is and how to rehearse the command
 * instead. Always throws (exit 3).
 */
export async function explainEndedSandbox(
  command: 'rollback' | 'resume' | 'abandon',
  opts: { readonly runbook?: string | undefined; readonly journalDir?: string | undefined },
  stateDir: string,
): Promise<never> {
  const runbookArg = opts.runbook;
  const { runbook } = await loadRunbook(runbookArg ?? BUNDLED_SANDBOX_RUNBOOK);
  const rb = runbookArg === undefined ? '' : ` ${shellWord(runbookArg)}`;
  const rehearse = `Rehearse it in one process: the dashboard (\`hotspare${rb} --sandbox\`: f fails over, b rolls back) or \`hotspare drill${rb} --sandbox\`.`;
  const found = latestJournal(opts.journalDir, stateDir, runbook.name);
  const run = found === undefined ? undefined : loadRun(found.file, { mayMove: () => false });
  if (found === undefined || run === undefined) {
    throw new RefusedError(
      `No sandbox run of ${runbook.name} in ${opts.journalDir ?? sandboxRoot(stateDir)}: there is nothing to ${command === 'resume' ? 'resume' : 'roll back'}.`,
      {
        code: 'NoSandboxRun',
        nextSteps: rehearse,
      },
    );
  }
  const done = run.steps.filter((s) => s.state === 'succeeded').length;
  const verb = command === 'resume' ? 'resume' : command === 'abandon' ? 'close' : 'roll back';
  throw new RefusedError(
    `The latest sandbox run of ${runbook.name} (${run.runId}: ${run.phase}, ${done}/${run.steps.length} steps done) ended with the process that ran it, and its simulated account with it: there is nothing left to ${verb}, and nothing in AWS was ever changed.`,
    {
      code: 'SandboxRunEnded',
      nextSteps: `Its journal is in ${found.dir}: \`${opts.journalDir === undefined ? `hotspare timeline ${run.runId} --sandbox` : `hotspare timeline ${run.runId} --journal-dir ${shellWord(found.dir)}`}\` shows what it did. ${rehearse}`,
    },
  );
}
