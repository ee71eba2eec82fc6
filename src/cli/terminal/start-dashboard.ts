import { openSession } from '../../engine/session.js';
import { systemClock } from '../../domain/clock.js';
import type { ContextHeading, CliContext } from '../session/context.js';
import type { AppStore } from '../../store/app-store.js';
import type { TuiScreen } from '../../ui/render-screen.js';
import { commandOptions, refuseUnconfirmedRollback, sessionOptions } from '../session/headless.js';
import type { SessionCommand, SessionLine } from '../session/session-line.js';
import type { Io } from '../output/io.js';
import { exitCodeOf } from '../output/exit-codes.js';
import { colorEnabled } from '../output/color.js';
import { feedTraffic } from '../sandbox/traffic-feed.js';
import { maintenanceRefreshKey } from '../sandbox/maintenance-key.js';
import { httpsProvisionKey } from '../sandbox/provision-key.js';
import { READINESS_INTERVAL_MS } from '../../engine/maintenance-watch.js';
import { invocationOf, leftRunHint, nextCommandsOf, timelineCommand } from '../output/next-commands.js';
import type { InterruptionWatch } from '../session/interruptions.js';
import { rollbackLeftHint } from '../process-guard.js';

type TerminalUi = [
  typeof import('../../store/index.js'),
  typeof import('../../ui/render-screen.js'),
  typeof import('../../engine/monitor.js'),
];
let terminalUi: Promise<TerminalUi> | undefined;

/**
 * Starts loading React, ink, the store and the monitor (the largest part of start-up) so it overlaps
 * with opening the runbook and the account; `runInTerminal` waits for the same load.
 */
export function preloadTerminalUi(): Promise<TerminalUi> {
  terminalUi ??= Promise.all([
    import('../../store/index.js'),
    import('../../ui/render-screen.js'),
    import('../../engine/monitor.js'),
  ]);
  terminalUi.catch(() => undefined);
  return terminalUi;
}

/** The dashboard's store and screen, drawn before the account or the sandbox is opened. */
export interface EarlyScreen {
  readonly store: AppStore;
  readonly screen: TuiScreen;
}

/**
 * The first frame (the header, and what is being read), as soon as the runbook is loaded: the
 * sandbox starts and the account is read behind it. `close` it if the context cannot be opened.
 */
export async function openEarlyScreen(
  heading: ContextHeading,
  opts: SessionLine,
  env: NodeJS.ProcessEnv,
): Promise<EarlyScreen> {
  const [{ createAppStore }, { openTuiScreen }] = await preloadTerminalUi();
  // The ports' clock is the real clock, in the sandbox too (its own timers run faster).
  const inv = invocationOf(opts.runbook, opts);
  // The quit question's words are the ones printed after the quit (process-guard.ts).
  const store = createAppStore({
    ...heading,
    now: systemClock.now,
    color: colorEnabled(env, process.stdout),
    quitHint: leftRunHint(inv),
    rollbackQuitHint: rollbackLeftHint(inv),
    nextCommands: nextCommandsOf(inv),
  });
  return { store, screen: openTuiScreen({ store }) };
}

/**
 * The dashboard in a real terminal: one store that the engine, the monitor and the sandbox's
 * traffic feed; ink renders it. React, ink and the store are imported only here, lazily. The first
 * frame is drawn before the account is read (it can take seconds against AWS; see
 * `openEarlyScreen`); keys typed meanwhile wait in the terminal and reach the dashboard when it
 * starts. Quitting while a command runs exits 1 (the run stays journaled and resumable).
 */
export async function runInTerminal(
  command: SessionCommand,
  ctx: CliContext,
  opts: SessionLine,
  io: Io,
  env: NodeJS.ProcessEnv,
  early?: EarlyScreen,
  watch?: InterruptionWatch,
): Promise<number> {
  if (command === 'abandon') throw new Error('abandon runs headless');
  try {
    refuseUnconfirmedRollback(command, ctx, opts, io);
  } catch (error) {
    await early?.screen.close();
    throw error;
  }
  const [{ createStoreOperator }, , { startMonitor }] = await preloadTerminalUi();
  const inv = invocationOf(opts.runbook, opts);
  const { store, screen } =
    early ?? (await openEarlyScreen({ runbook: ctx.runbook.name, mode: ctx.mode, region: ctx.regionLabel }, opts, env));
  // A signal takes the dashboard down first, so the report lands on a restored terminal.
  watch?.setScreen(() => screen.close());
  const dispatch = store.getState().dispatch;
  const operator = opts.yes
    ? createStoreOperator(store, { autoConfirm: true, autoFailure: command === 'drill' ? 'rollback' : 'stop' })
    : createStoreOperator(store);
  const session = await openSession(sessionOptions(ctx, dispatch, operator, env)).catch(async (error: unknown) => {
    await screen.close();
    throw error;
  });
  const monitor = startMonitor({
    ports: ctx.ports,
    shared: ctx.shared,
    runbook: ctx.runbook,
    env: session.env,
    emit: dispatch,
    intervalMs: ctx.pollIntervalMs,
    ...(ctx.sandbox === undefined ? {} : { readinessIntervalMs: READINESS_INTERVAL_MS / ctx.sandbox.speed }),
  });
  const traffic = ctx.sandbox?.traffic;
  const unsubscribe = traffic === undefined ? undefined : feedTraffic(traffic, dispatch, true);
  traffic?.start();
  const sandbox = ctx.sandbox;
  let broken = false;
  const extraKeys =
    sandbox === undefined
      ? []
      : [
          {
            key: 'o',
            label: 'break/fix origins',
            run: () => sandbox.origins.setMode('all', (broken = !broken) ? 'error' : 'ok'),
          },
          maintenanceRefreshKey(sandbox, dispatch),
          httpsProvisionKey(sandbox, dispatch, ctx.journalDir),
        ];
  const log = (message: string): void => dispatch({ type: 'log', level: 'info', message, at: ctx.ports.clock.now() });
  try {
    // Quitting while a command runs is journaled at the moment of the quit, and reported below the dashboard.
    const onQuit = (running: boolean): void => void (running && watch?.operatorQuit('quit from the dashboard'));
    const ended = await screen.run({
      session,
      command,
      yes: opts.yes,
      extraKeys,
      commandOptions: commandOptions(ctx, opts, log),
      onQuit,
    });
    watch?.setScreen(undefined);
    watch?.reportQuit();
    if (ctx.mode === 'sandbox')
      process.stdout.write(
        `hotspare: the sandbox journal is in ${ctx.journalDir} (\`${timelineCommand(inv)}\` shows the latest run).\n`,
      );
    return exitCodeOf(ended);
  } finally {
    monitor.stop();
    unsubscribe?.();
    await traffic?.stop();
  }
}
