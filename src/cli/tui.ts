import { openSession } from '../engine/session.js';
import type { CliOptions } from './args.js';
import type { CliContext } from './context.js';
import { commandOptions, refuseUnconfirmedRollback, sessionOptions, type Io, type RunCommand } from './commands/run.js';
import { exitCodeOf } from './exit-codes.js';
import { colorEnabled } from './color.js';
import { feedTraffic } from './traffic-feed.js';
import { maintenanceRefreshKey } from './sandbox-site-key.js';
import { invocationOf, leftRunHint, timelineCommand } from './next-commands.js';

/**
 * The dashboard in a real terminal: one store that the engine, the monitor and the sandbox's
 * traffic feed; ink renders it. React, ink and the store are imported only here, lazily. Quitting
 * while a command runs exits 1 (the run stays journaled and resumable).
 */
export async function runInTerminal(command: RunCommand, ctx: CliContext, opts: CliOptions, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  refuseUnconfirmedRollback(command, ctx, opts, io);
  if (command === 'abandon') throw new Error('abandon runs headless');
  const [{ createAppStore, createStoreOperator }, { runTui }, { startMonitor }] = await Promise.all([
    import('../store/index.js'),
    import('../ui/run-tui.js'),
    import('../engine/monitor.js'),
  ]);
  const color = colorEnabled(env, process.stdout);
  const inv = invocationOf(opts);
  const store = createAppStore({ now: () => ctx.ports.clock.now(), runbook: ctx.runbook.name, mode: ctx.mode, region: ctx.regionLabel, color, quitHint: leftRunHint(inv) });
  // Reading the account can take seconds against AWS; say so rather than show nothing. Keys typed
  // meanwhile wait in the terminal and reach the dashboard when it starts.
  process.stdout.write(`hotspare: opening ${ctx.runbook.name} (${ctx.mode}, ${ctx.regionLabel}): reading the load balancer and the web servers…\n`);
  const dispatch = store.getState().dispatch;
  const operator = opts.yes ? createStoreOperator(store, { autoConfirm: true, autoFailure: command === 'drill' ? 'rollback' : 'stop' }) : createStoreOperator(store);
  const session = await openSession(sessionOptions(ctx, dispatch, operator, env));
  const monitor = startMonitor({ ports: ctx.ports, runbook: ctx.runbook, env: session.env, emit: dispatch, intervalMs: ctx.pollIntervalMs });
  const traffic = ctx.sandbox?.traffic;
  const unsubscribe = traffic === undefined ? undefined : feedTraffic(traffic, dispatch, true);
  traffic?.start();
  const sandbox = ctx.sandbox;
  let broken = false;
  const extraKeys =
    sandbox === undefined
      ? []
      : [{ key: 'o', label: 'break/fix origins', run: () => sandbox.origins.setMode('all', (broken = !broken) ? 'error' : 'ok') }, maintenanceRefreshKey(sandbox, dispatch)];
  const log = (message: string): void => dispatch({ type: 'log', level: 'info', message, at: ctx.ports.clock.now() });
  try {
    const ended = await runTui({ store, session, command, yes: opts.yes, extraKeys, commandOptions: commandOptions(ctx, opts, log) });
    if (ctx.mode === 'sandbox') process.stdout.write(`hotspare: the sandbox journal is in ${ctx.journalDir} (\`${timelineCommand(inv)}\` shows the latest run).\n`);
    return exitCodeOf(ended);
  } finally {
    monitor.stop();
    unsubscribe?.();
    await traffic?.stop();
  }
}
