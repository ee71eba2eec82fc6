import { ALWAYS, AWS, journalDir, json, SANDBOX_WORLD } from '../args/flags.js';
import { defineCommand, type FlagValues } from '../args/tree.js';
import type { Io } from '../output/io.js';
import { jsonText } from '../output/json-out.js';
import { stateDir } from '../session/state-dir.js';

const flags = { json, journalDir, ...AWS, ...SANDBOX_WORLD, ...ALWAYS };

/** One line about the runbook's latest run, from its journal. */
async function latestRunText(journalDir: string, runbook: string): Promise<string> {
  const notes: string[] = [];
  // Read only: status never moves a file (a run may be starting in another process).
  const run = (await import('../../engine/runs.js')).latestRun(journalDir, runbook, { mayMove: () => false });
  if (run === undefined) return `No run of ${runbook} in ${journalDir}.`;
  const done = run.steps.filter((s) => s.state === 'succeeded').length;
  const line = `Latest run ${run.runId}: ${run.phase} (${done}/${run.steps.length} steps done), started by ${run.operator.user}@${run.operator.host} at ${new Date(run.startedAt).toISOString()}`;
  for (const left of run.leftovers ?? []) notes.push(`  left in AWS: ${left}`);
  return [line, ...notes].join('\n');
}

/** ` (healthy: 0 of 16 checkers failing)`, from the health check's report. */
function checkersText(report: unknown): string {
  if (typeof report !== 'object' || report === null) return '';
  const r = report as { healthy: boolean; checkers: number; failing: number };
  return ` (${r.healthy ? 'healthy' : 'UNHEALTHY'}: ${r.failing} of ${r.checkers} checkers failing)`;
}

/** `hotspare status RUNBOOK`: origin health now. */
async function statusCommand(
  file: string | undefined,
  opts: FlagValues<typeof flags>,
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const [
    { openContext },
    { discoverEnvironment },
    { statusJson, statusText },
    { latestSandboxJournal },
    { latestRun },
    { ownRunOf },
  ] = await Promise.all([
    import('../session/context.js'),
    import('../../plan/environment.js'),
    import('../output/status-text.js'),
    import('../sandbox/journal-dirs.js'),
    import('../../engine/runs.js'),
    import('../../engine/own-run.js'),
  ]);
  const ctx = await openContext(opts, env, file);
  try {
    const environment = await discoverEnvironment(ctx.runbook, ctx.ports);
    // A sandbox has a fresh journal directory per process: its latest run is in an earlier one.
    const runs =
      opts.sandbox && opts.journalDir === undefined
        ? (latestSandboxJournal(stateDir(env), ctx.runbook.name)?.dir ?? ctx.journalDir)
        : ctx.journalDir;
    const latest = latestRun(runs, ctx.runbook.name, { mayMove: () => false });
    // AWS's tags are the truth: a tagged instance this journal's run does not account for is a danger.
    const own = ownRunOf(latest);
    const armed = opts.sandbox
      ? undefined
      : await (await import('./arm-common.js')).armedStatus(opts, env, ctx.runbook);
    if (opts.json)
      io.out(
        jsonText({
          ...(await statusJson(ctx, environment, own)),
          latestRun: latest ?? null,
          ...(armed === undefined ? {} : { armed }),
        }),
      );
    else {
      io.out(await statusText(ctx, environment, own));
      io.out(await latestRunText(runs, ctx.runbook.name));
      if (armed !== undefined)
        io.out(
          armed['armed'] === true
            ? `Armed: health check ${String(armed['healthCheckId'])}${checkersText(armed['checkers'])}; fails over by itself in ${String(armed['estimate'])}`
            : armed['armed'] === false
              ? 'Not armed (`hotspare arm RUNBOOK` arms the automatic failover).'
              : `Armed state unknown: ${String(armed['problem'])}`,
        );
    }
    return 0;
  } finally {
    await ctx.close();
  }
}

export const status = defineCommand({
  name: 'status',
  args: { usage: 'RUNBOOK', kind: 'runbook', max: 1 },
  summary: 'targets (id, Name, AZ, port, state, reason), listener, latest run',
  details:
    "Origin health from AWS: each target with instance id, role (web, redirect, spare, other), Name tag, AZ, port, state and reason; counts by role; the hotspare runs in effect as AWS's tags show them (a DANGER line when no run in progress in this journal directory accounts for a tagged instance); the listener's default action; the latest run (with --sandbox: the latest sandbox run); for a runbook with an armed section, whether `hotspare arm` armed it (the health check id, the records, the time to fail over; --json: `armed`).",
  flags,
  run: ({ args, flags, io, env }) => statusCommand(args[0], flags, io, env),
});
