import type { Io } from '../output/io.js';
import { invocationOf } from '../output/next-commands.js';
import { watchInterruptions } from './interruptions.js';
import type { ContextHeading } from './context.js';
import type { SessionCommand, SessionLine } from './session-line.js';
import { stateDir } from './state-dir.js';
import type { EarlyScreen } from '../terminal/start-dashboard.js';

function useTerminal(opts: SessionLine): boolean {
  return !opts.headless && !opts.json && process.stdout.isTTY === true && process.stdin.isTTY === true;
}

/**
 * A command that runs against a session (failover, resume, rollback, drill, abandon) or the
 * dashboard: in the terminal's dashboard, else headless. Resolves with the exit code.
 */
export async function executeSessionCommand(
  command: SessionCommand,
  opts: SessionLine,
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  if (opts.sandbox && (command === 'rollback' || command === 'resume' || command === 'abandon')) {
    return (await import('../sandbox/ended-run.js')).explainEndedSandbox(command, opts, stateDir(env));
  }
  // The dashboard's modules load while the runbook and the account are opened.
  const terminal =
    useTerminal(opts) && command !== 'abandon'
      ? import('../terminal/start-dashboard.js').then((tui) => (void tui.preloadTerminalUi(), tui))
      : undefined;
  const [{ openContext }, { pruneSandboxJournals }] = await Promise.all([
    import('./context.js'),
    import('../sandbox/journal-dirs.js'),
  ]);
  // A sandbox run journals in a directory of its own: make room for it, keeping the last ones.
  if (opts.sandbox && opts.journalDir === undefined) pruneSandboxJournals(stateDir(env));
  // In a terminal the first frame is drawn as soon as the runbook is loaded.
  let early: Promise<EarlyScreen> | undefined;
  const onLoaded =
    terminal === undefined
      ? undefined
      : (heading: ContextHeading): void =>
          void (early = terminal.then((tui) => tui.openEarlyScreen(heading, opts, env)));
  const ctx = await openContext(opts, env, opts.runbook, onLoaded).catch(async (error: unknown) => {
    await (await early)?.screen.close();
    throw error;
  });
  // Ctrl-C, SIGTERM, a closed terminal: journaled, reported with the next commands (interruptions.ts).
  const watch = watchInterruptions({ invocation: invocationOf(opts.runbook, opts), json: opts.json });
  try {
    if (terminal !== undefined)
      return await (await terminal).runInTerminal(command, ctx, opts, io, env, await early, watch);
    return await (await import('./headless.js')).runHeadless(command, ctx, opts, io, env);
  } finally {
    watch.dispose();
    await ctx.close();
  }
}
