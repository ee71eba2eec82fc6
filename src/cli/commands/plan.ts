import { discoverEnvironment, assumedEnvironment } from '../../plan/environment.js';
import { buildPlan } from '../../plan/build.js';
import { loadRunbook } from '../../runbook/load.js';
import { UsageError } from '../../ports/errors.js';
import { latestRun } from '../../engine/runs.js';
import type { CliOptions } from '../args/parse.js';
import { openContext, stateDir } from '../session/context.js';
import { jsonText } from '../output/json-out.js';
import { planText } from '../output/plan-text.js';
import type { Io } from '../session/headless.js';
import { statusJson, statusText } from '../output/status-text.js';
import { latestSandboxJournal } from '../sandbox/journal-dirs.js';

export { validateCommand } from './validate.js';

function wantsDiscovery(opts: CliOptions, env: NodeJS.ProcessEnv): boolean {
  return opts.discover || opts.sandbox || opts.endpointUrl !== undefined || opts.profile !== undefined || env['AWS_ENDPOINT_URL'] !== undefined;
}

/** `hotspare plan RUNBOOK`: steps, calls, undo, hazards, strategies. Reads the account only when asked. */
export async function planCommand(file: string | undefined, opts: CliOptions, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  if (wantsDiscovery(opts, env) || file === undefined) {
    const ctx = await openContext(opts, env, file);
    try {
      const environment = await discoverEnvironment(ctx.runbook, ctx.ports, { maintenanceSite: true });
      const plan = buildPlan(ctx.runbook, environment);
      io.out(opts.json ? jsonText({ plan, environment }) : planText(plan, environment));
    } finally {
      await ctx.close();
    }
    return 0;
  }
  const { runbook } = await loadRunbook(file);
  const environment = assumedEnvironment(runbook);
  const plan = buildPlan(runbook, environment);
  io.out(opts.json ? jsonText({ plan, environment }) : planText(plan, environment));
  return 0;
}

/** `hotspare iam-policy RUNBOOK`: the least-privilege policy document. */
export async function iamPolicyCommand(file: string | undefined, io: Io, json = false): Promise<number> {
  if (file === undefined) throw new UsageError('Name a runbook: hotspare iam-policy RUNBOOK', { code: 'MissingRunbook' });
  const { runbook } = await loadRunbook(file);
  const { iamPolicyFor } = await import('../../aws/index.js');
  io.out(jsonText(iamPolicyFor(runbook), json ? undefined : 2));
  return 0;
}

/** `hotspare status RUNBOOK`: origin health now. */
export async function statusCommand(file: string | undefined, opts: CliOptions, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const ctx = await openContext(opts, env, file);
  try {
    const environment = await discoverEnvironment(ctx.runbook, ctx.ports);
    // A sandbox has a fresh journal directory per process: its latest run is in an earlier one.
    const runs = opts.sandbox && opts.journalDir === undefined ? (latestSandboxJournal(stateDir(env), ctx.runbook.name)?.dir ?? ctx.journalDir) : ctx.journalDir;
    if (opts.json) io.out(jsonText({ ...(await statusJson(ctx, environment)), latestRun: latestRun(runs, ctx.runbook.name, { mayMove: () => false }) ?? null }));
    else {
      io.out(await statusText(ctx, environment));
      io.out(latestRunText(runs, ctx.runbook.name));
    }
    return 0;
  } finally {
    await ctx.close();
  }
}

/** One line about the runbook's latest run, from its journal. */
export function latestRunText(journalDir: string, runbook: string): string {
  const notes: string[] = [];
  // Read only: status never moves a file (a run may be starting in another process).
  const run = latestRun(journalDir, runbook, { mayMove: () => false });
  if (run === undefined) return `No run of ${runbook} in ${journalDir}.`;
  const done = run.steps.filter((s) => s.state === 'succeeded').length;
  const line = `Latest run ${run.runId}: ${run.phase} (${done}/${run.steps.length} steps done), started by ${run.operator.user}@${run.operator.host} at ${new Date(run.startedAt).toISOString()}`;
  for (const left of run.leftovers ?? []) notes.push(`  left in AWS: ${left}`);
  return [line, ...notes].join('\n');
}
