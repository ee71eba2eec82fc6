import { ALWAYS, countFlag, journalDir, json, sandbox } from '../args/flags.js';
import { defineCommand, type FlagValues } from '../args/tree.js';
import type { Io } from '../output/io.js';
import { jsonText } from '../output/json-out.js';
import { stateDir } from '../session/state-dir.js';

const limit = countFlag('limit', 'N', 'the newest N runs (default 20)', 1);
const flags = { json, journalDir, sandbox, limit, ...ALWAYS };

/** How many runs are listed without --limit, as `gh run list`. */
const DEFAULT_LIMIT = 20;

/**
 * `hotspare runs [RUNBOOK]`: the journaled runs, newest first, with id, runbook, who, when, state
 * and strategy; preparations of a spare (`hotspare prepare`) too. Read only.
 */
async function runsCommand(
  file: string | undefined,
  opts: FlagValues<typeof flags>,
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const [{ listRuns }, { journalDirsToRead, sandboxRoot }, { runsText }] = await Promise.all([
    import('../../engine/run-list.js'),
    import('../sandbox/journal-dirs.js'),
    import('../output/runs-text.js'),
  ]);
  const dirs = journalDirsToRead(opts, stateDir(env));
  const runbook =
    file === undefined ? undefined : (await (await import('../../runbook/load.js')).loadRunbook(file)).runbook.name;
  const runs = listRuns(dirs, { runbook, limit: opts.limit ?? DEFAULT_LIMIT });
  const where =
    opts.journalDir === undefined && opts.sandbox
      ? `the sandbox runs (${sandboxRoot(stateDir(env))})`
      : dirs.join(', ');
  io.out(
    opts.json
      ? jsonText({ journalDirs: dirs, runs })
      : runsText(runs, runbook === undefined ? where : `${where} for ${runbook}`),
  );
  return 0;
}

export const runs = defineCommand({
  name: 'runs',
  args: { usage: '[RUNBOOK]', kind: 'runbook', max: 1 },
  summary: 'the journaled runs, newest first: id, runbook, who, started, state, strategy',
  details:
    "Lists the runs journaled in --journal-dir (default: the state directory; with --sandbox: the sandbox runs), newest first: state, run id, runbook, strategy, who started it, when (UTC) and the mode; preparations of a spare (hotspare prepare) too. With RUNBOOK, that runbook's runs only. A run id goes to `hotspare timeline RUN`. With --json: one object, `runs` with each run's journal file, times as ISO 8601 strings. Reads only: nothing is locked, moved or repaired.",
  flags,
  run: ({ args, flags, io, env }) => runsCommand(args[0], flags, io, env),
});
