import { UsageError } from '../../domain/errors.js';
import { ALWAYS, AWS, dryRun, SANDBOX_WORLD } from '../args/flags.js';
import { defineCommand, type FlagValues } from '../args/tree.js';
import type { Io } from '../output/io.js';

const flags = { dryRun, ...AWS, ...SANDBOX_WORLD, ...ALWAYS };

/** The default wait for a spare to install, check itself and power off. */
const DEFAULT_PREPARE_TIMEOUT_SECONDS = 600;

/**
 * `hotspare prepare RUNBOOK`: keep a stopped spare ready for the runbook's launch-redirect step, so
 * the failover is a StartInstances and a registration (see `steps/prepare-spare.ts`). With
 * --dry-run only the launch permission is checked.
 */
async function prepareCommand(
  file: string | undefined,
  opts: FlagValues<typeof flags>,
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  if (file === undefined && !opts.sandbox)
    throw new UsageError('Name a runbook: hotspare prepare RUNBOOK', { code: 'MissingRunbook' });
  const [{ openContext }, { discoverEnvironment }, { prepareSpare }] = await Promise.all([
    import('../session/context.js'),
    import('../../plan/environment.js'),
    import('../../steps/prepare-spare.js'),
  ]);
  const ctx = await openContext(opts, env, file);
  try {
    if (!ctx.runbook.steps.some((s) => s.type === 'launch-redirect')) {
      throw new UsageError(`Runbook ${ctx.runbook.name} has no launch-redirect step: there is no spare to prepare.`, {
        code: 'NoLaunchStep',
      });
    }
    const environment = await discoverEnvironment(ctx.runbook, ctx.ports);
    const timeoutSeconds = ctx.runbook.polling?.healthyTimeoutSeconds ?? DEFAULT_PREPARE_TIMEOUT_SECONDS;
    const result = await prepareSpare({
      runbook: ctx.runbook,
      env: environment,
      ports: ctx.ports,
      pollIntervalMs: ctx.pollIntervalMs ?? (ctx.runbook.polling?.intervalSeconds ?? 2) * 1000,
      timeoutMs: ctx.healthyTimeoutMs ?? timeoutSeconds * 1000,
      progress: (line) => io.out(line),
      dryRun: opts.dryRun,
      signal: ctx.signal,
    });
    if (result.outcome !== 'dry-run') {
      const how = result.outcome === 'ready' ? 'was already prepared' : 'is prepared';
      io.out(
        `Spare ${result.instanceId} ${how} and stopped: launch-redirect starts it instead of launching (no install, no way out needed).`,
      );
    }
    return 0;
  } finally {
    await ctx.close();
  }
}

export const prepare = defineCommand({
  name: 'prepare',
  args: { usage: 'RUNBOOK', kind: 'runbook', max: 1 },
  summary: 'keep a stopped spare redirect instance ready',
  details:
    'Before an incident: launches the redirect instance for the target group as it is now, with its server installed and configured; the instance checks its own health answer and powers itself off. At incident time launch-redirect starts this stopped spare (no install, no way out needed) and rollback stops it again. Run it again after changing the target group, the maintenance URL or the server: a spare made for another config is not used, and is replaced.',
  flags,
  run: ({ args, flags, io, env }) => prepareCommand(args[0], flags, io, env),
});
