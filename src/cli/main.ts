import { readFileSync } from 'node:fs';
import { reportError } from './report-error.js';
import { parseCli, type CliOptions } from './args.js';
import { openContext, stateDir } from './context.js';
import { commandHelp, helpFor, mainHelp } from './help.js';
import { runHeadless, type Io, type RunCommand } from './commands/run.js';
import { iamPolicyCommand, planCommand, statusCommand, validateCommand } from './commands/simple.js';
import { siteArgv, siteCommand } from './commands/site.js';
import { prepareCommand } from './commands/prepare.js';
import { timelineCommand } from './commands/timeline.js';
import { runInTerminal } from './tui.js';
import { explainEndedSandbox } from './commands/sandbox-ended.js';
import { pruneSandboxJournals } from './sandbox-runs.js';
import { invocationOf, withRealCommands, type Invocation } from './next-commands.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function useTerminal(opts: CliOptions): boolean {
  return !opts.headless && !opts.json && process.stdout.isTTY === true && process.stdin.isTTY === true;
}

async function runSessionCommand(command: RunCommand, opts: CliOptions, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  if (opts.sandbox && (command === 'rollback' || command === 'resume' || command === 'abandon')) return explainEndedSandbox(command, opts, stateDir(env));
  // A sandbox run journals in a directory of its own: make room for it, keeping the last ones.
  if (opts.sandbox && opts.journalDir === undefined) pruneSandboxJournals(stateDir(env));
  const ctx = await openContext(opts, env, opts.positionals[0]);
  const onSignal = (): void => void ctx.close().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return useTerminal(opts) && command !== 'abandon' ? await runInTerminal(command, ctx, opts, io, env) : await runHeadless(command, ctx, opts, io, env);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
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
        return await validateCommand(opts.positionals, io, opts.json);
      case 'plan':
        return await planCommand(file, opts, io, env);
      case 'iam-policy':
        return await iamPolicyCommand(file, io, opts.json);
      case 'timeline':
        return await timelineCommand(file, opts, env, io);
      case 'status':
        return await statusCommand(file, opts, io, env);
      case 'prepare':
        return await prepareCommand(file, opts, io, env);
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
    return reportError(error, options, io.out, io.err);
  }
}

function journalDirIn(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--journal-dir');
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith('--journal-dir='))?.slice('--journal-dir='.length);
}
