import { readFileSync } from 'node:fs';
import { helpFor } from './args/help.js';
import { parseLine, type Line } from './args/parse.js';
import { ROOT } from './commands/index.js';
import type { Io } from './output/io.js';
import { invocationOf, withRealCommands, type Invocation, type LocatingFlags } from './output/next-commands.js';
import { PACKAGE_JSON } from './paths.js';
import { stateDir } from './session/state-dir.js';

// Each command's modules are imported when it runs: `--help` and `validate` never load the engine,
// the dashboard or the AWS SDK (see docs/performance.md).

function version(): string {
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string };
  return pkg.version;
}

/** How a command on a runbook was started, so the commands its messages name can be pasted as they are. */
function invocationOfLine(line: Line): Invocation | undefined {
  if (line.node.kind !== 'command' || line.node.args.kind !== 'runbook') return undefined;
  return invocationOf(line.args[0], line.flags as LocatingFlags);
}

/** Run the CLI; resolves with the exit code. */
export async function main(argv: readonly string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  let invocation: Invocation | undefined;
  try {
    const line = parseLine(argv, ROOT);
    invocation = invocationOfLine(line);
    if (line.flags['version'] === true) return (io.out(version()), 0);
    if (line.flags['help'] === true) return (io.out(helpFor(line, ROOT)), 0);
    // A group named without one of its commands (`hotspare site`) is a usage error: its help goes to stderr.
    if (line.node.kind === 'group') return (io.err(helpFor(line, ROOT)), 2);
    return await line.node.run({ args: line.args, flags: line.flags, io, env, root: ROOT });
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
    const { reportError } = await import('./output/report-error.js');
    return reportError(error, options, io.out, io.err);
  }
}

function journalDirIn(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--journal-dir');
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith('--journal-dir='))?.slice('--journal-dir='.length);
}
