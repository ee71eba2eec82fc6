import { discoverEnvironment } from '../../plan/environment.js';
import { UsageError } from '../../ports/errors.js';
import { prepareSpare } from '../../steps/prepare-spare.js';
import type { CliOptions } from '../args/parse.js';
import { openContext } from '../session/context.js';
import type { Io } from '../session/headless.js';

/** The default wait for a spare to install, check itself and power off. */
const DEFAULT_PREPARE_TIMEOUT_SECONDS = 600;

/**
 * `hotspare prepare RUNBOOK`: keep a stopped spare ready for the runbook's launch-redirect step, so
 * the failover is a StartInstances and a registration (see `steps/prepare-spare.ts`). With
 * --dry-run only the launch permission is checked.
 */
export async function prepareCommand(file: string | undefined, opts: CliOptions, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  if (file === undefined && !opts.sandbox) throw new UsageError('Name a runbook: hotspare prepare RUNBOOK', { code: 'MissingRunbook' });
  const ctx = await openContext(opts, env, file);
  try {
    if (!ctx.runbook.steps.some((s) => s.type === 'launch-redirect')) {
      throw new UsageError(`Runbook ${ctx.runbook.name} has no launch-redirect step: there is no spare to prepare.`, { code: 'NoLaunchStep' });
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
      io.out(`Spare ${result.instanceId} ${how} and stopped: launch-redirect starts it instead of launching (no install, no way out needed).`);
    }
    return 0;
  } finally {
    await ctx.close();
  }
}
