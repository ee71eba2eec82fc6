import { openSession } from '../engine/session.js';
import type { CliOptions } from './args.js';
import type { CliContext } from './context.js';
import { sessionOptions, type RunCommand } from './commands/run.js';
import { maintenanceRefreshKey } from './sandbox-site-key.js';

/**
 * The dashboard in a real terminal: one store that the engine, the monitor and the sandbox's
 * traffic feed; ink renders it. React, ink and the store are imported only here, lazily.
 */
export async function runInTerminal(command: RunCommand, ctx: CliContext, opts: CliOptions, env: NodeJS.ProcessEnv): Promise<number> {
  const [{ createAppStore, createStoreOperator }, { runTui }, { startMonitor }] = await Promise.all([
    import('../store/index.js'),
    import('../ui/run-tui.js'),
    import('../engine/monitor.js'),
  ]);
  const store = createAppStore({ runbook: ctx.runbook.name, mode: ctx.mode, region: ctx.region });
  const dispatch = store.getState().dispatch;
  const operator = opts.yes ? createStoreOperator(store, { autoConfirm: true, autoFailure: command === 'drill' ? 'rollback' : 'stop' }) : createStoreOperator(store);
  const session = await openSession(sessionOptions(ctx, dispatch, operator, env));
  const monitor = startMonitor({ ports: ctx.ports, runbook: ctx.runbook, env: session.env, emit: dispatch, intervalMs: ctx.pollIntervalMs });
  const traffic = ctx.sandbox?.traffic;
  const unsubscribe = traffic?.subscribe((s) => {
    const failed = s.counts['5xx'] + s.counts.error;
    dispatch({ type: 'traffic', sample: { second: s.second, ok: s.total - failed, failed } });
    const totals = traffic?.totals();
    if (totals !== undefined) dispatch({ type: 'traffic-summary', total: totals.total, failed: totals.failed });
  });
  traffic?.start();
  const sandbox = ctx.sandbox;
  let broken = false;
  const extraKeys =
    sandbox === undefined
      ? []
      : [{ key: 'o', label: 'break/fix origins', run: () => sandbox.origins.setMode('all', (broken = !broken) ? 'error' : 'ok') }, maintenanceRefreshKey(sandbox, dispatch)];
  try {
    return await runTui({ store, session, command, yes: opts.yes, extraKeys });
  } finally {
    monitor.stop();
    unsubscribe?.();
    await traffic?.stop();
  }
}
