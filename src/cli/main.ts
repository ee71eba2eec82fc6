import { readFileSync } from 'node:fs';
import { parseCli, type CliOptions } from './args.js';
import type { ContextHeading } from './context.js';
import { commandHelp, helpFor, mainHelp } from './help.js';
import type { Io, RunCommand } from './commands/run.js';
import { siteArgv, siteCommand } from './commands/site.js';
import type { EarlyScreen } from './tui.js';
import { invocationOf, withRealCommands, type Invocation } from './next-commands.js';
import { stateDir } from './state-dir.js';
import { watchInterruptions } from './interruptions.js';

// Each command's modules are imported when it runs: `--help` and `validate` never load the engine,
// the dashboard or the AWS SDK (see README, Performance).

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function useTerminal(opts: CliOptions): boolean {
  return !opts.headless && !opts.json && process.stdout.isTTY === true && process.stdin.isTTY === true;
}

async function runSessionCommand(command: RunCommand, opts: CliOptions, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  if (opts.sandbox && (command === 'rollback' || command === 'resume' || command === 'abandon')) {
    return (await import('./commands/sandbox-ended.js')).explainEndedSandbox(command, opts, stateDir(env));
  }
  // The dashboard's modules load while the runbook and the account are opened.
  const terminal = useTerminal(opts) && command !== 'abandon' ? import('./tui.js').then((tui) => (void tui.preloadTerminalUi(), tui)) : undefined;
  const [{ openContext }, { pruneSandboxJournals }] = await Promise.all([import('./context.js'), import('./sandbox-runs.js')]);
  // A sandbox run journals in a directory of its own: make room for it, keeping the last ones.
  if (opts.sandbox && opts.journalDir === undefined) pruneSandboxJournals(stateDir(env));
  // In a terminal the first frame is drawn as soon as the runbook is loaded.
  let early: Promise<EarlyScreen> | undefined;
  const onLoaded = terminal === undefined ? undefined : (heading: ContextHeading): void => void (early = terminal.then((tui) => tui.openEarlyScreen(heading, opts, env)));
  const ctx = await openContext(opts, env, opts.positionals[0], onLoaded).catch(async (error: unknown) => {
    await (await early)?.screen.close();
    throw error;
  });
  // Ctrl-C, SIGTERM, a closed terminal: journaled, reported with the next commands (interruptions.ts).
  const watch = watchInterruptions({ invocation: invocationOf(opts), json: opts.json });
  try {
    if (terminal !== undefined) return await (await terminal).runInTerminal(command, ctx, opts, io, env, await early, watch);
    return await (await import('./commands/run.js')).runHeadless(command, ctx, opts, io, env);
  } finally {
    watch.dispose();
    await ctx.close();
  }
}

/** Run the CLI; resolves with the exit code. */
export async function main(argv: readonly string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  let invocation: Invocation | undefined;
  try {
    const site = siteArgv(argv);
    if (site !== undefined) return await siteCommand(site, io, env);
    const opts = parseCli(argv);
    invocation = invocationOf(opts);
    if (opts.version) return (io.out(version()), 0);
    if (opts.help) return (io.out(opts.command === 'dashboard' ? mainHelp() : commandHelp(opts.command)), 0);
    const file = opts.positionals[0];
    switch (opts.command) {
      case 'help':
        return (io.out(helpFor(opts.positionals)), 0);
      case 'completion':
        return (io.out((await import('./completion.js')).completionScript(file)), 0);
      case 'validate':
        return await (await import('./commands/validate.js')).validateCommand(opts.positionals, io, opts.json);
      case 'plan':
        return await (await import('./commands/simple.js')).planCommand(file, opts, io, env);
      case 'iam-policy':
        return await (await import('./commands/simple.js')).iamPolicyCommand(file, io, opts.json);
      case 'timeline':
        return await (await import('./commands/timeline.js')).timelineCommand(file, opts, env, io);
      case 'status':
        return await (await import('./commands/simple.js')).statusCommand(file, opts, io, env);
      case 'prepare':
        return await (await import('./commands/prepare.js')).prepareCommand(file, opts, io, env);
      case 'failover':
      case 'resume':
      case 'rollback':
      case 'drill':
      case 'abandon':
      case 'dashboard':
        return await runSessionCommand(opts.command, opts, io, env);
    }
  } catch (error) {
    // The flags may be what failed to parse: read the two that shape the report from argv itself.
    const inv = invocation;
    const options = {
      json: argv.includes('--json'),
      debug: argv.includes('--debug'),
      stateDir: journalDirIn(argv) ?? stateDir(env),
      argv,
      now: Date.now(),
      realCommands: inv === undefined ? undefined : (text: string) => withRealCommands(text, inv),
    };
    const { reportError } = await import('./report-error.js');
    return reportError(error, options, io.out, io.err);
  }
}

function journalDirIn(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--journal-dir');
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith('--journal-dir='))?.slice('--journal-dir='.length);
}
