import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../../ports/errors.js';
import { closest } from '../../runbook/messages.js';
import { COMMANDS, commandSpec, type CommandName } from './command-table.js';
import { FLAGS } from './flags.js';
import { readFlags, type FlagValues } from './read-flags.js';

/** Every flag, parsed. Only the CLI reads argv and the environment. */
export interface CliOptions {
  readonly command: CommandName | 'dashboard';
  readonly positionals: readonly string[];
  readonly yes: boolean;
  readonly dryRun: boolean;
  readonly headless: boolean;
  readonly json: boolean;
  readonly journalDir?: string | undefined;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  readonly endpointUrl?: string | undefined;
  readonly sandbox: boolean;
  readonly speed?: number | undefined;
  readonly faults: readonly string[];
  readonly trafficRate?: number | undefined;
  /** Sandbox: the web servers start answering 500 this many seconds after start (an outage scenario). */
  readonly outageAfter?: number | undefined;
  readonly holdSeconds: number;
  readonly discover: boolean;
  readonly help: boolean;
  readonly version: boolean;
  /** Stacks of unexpected errors on stderr (they always go to the error log). */
  readonly debug: boolean;
}

/** The command words, `site` included (it parses its own flags), for "did you mean". */
export const COMMAND_WORDS: readonly string[] = [...COMMANDS, 'site'];

function positiveNumber(flag: string, value: string | undefined, allowZero = true): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new UsageError(`--${flag} expects a ${allowZero ? 'non-negative' : 'positive'} number, got "${value}".`, { code: 'BadFlag' });
  }
  return n;
}

/** Every --fault must be one the sandbox knows. */
function faults(names: readonly string[] | undefined): readonly string[] {
  const known = FLAGS.fault.choices;
  for (const name of names ?? []) {
    if ((known as readonly string[]).includes(name)) continue;
    const near = closest(name, known);
    throw new UsageError(`Unknown fault "${name}".${near === undefined ? '' : ` Did you mean "${near}"?`} Faults: ${known.join(', ')}.`, { code: 'BadFlag' });
  }
  return names ?? [];
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** A runbook named without its `.yaml` (or `.yml`): the file that exists, else the name as given. */
export function runbookPath(name: string): string {
  if (isFile(name) || /\.ya?ml$/.test(name)) return name;
  return [`${name}.yaml`, `${name}.yml`].find(isFile) ?? name;
}

function unknownCommand(word: string): UsageError {
  const near = closest(word, COMMAND_WORDS);
  const hint = near === undefined ? '' : ` Did you mean "${near}"?`;
  return new UsageError(`Unknown command "${word}".${hint} Commands: ${COMMAND_WORDS.join(', ')}; or a runbook file.`, {
    code: 'BadCommand',
    nextSteps: '`hotspare --help` lists them; a runbook opens the dashboard (`hotspare runbooks/emergency-mode`).',
  });
}

/** The command a line names, and its arguments: a runbook file alone opens the dashboard. */
function commandOf(positionals: readonly string[]): { command: CommandName | 'dashboard'; args: readonly string[] } {
  const [first, ...rest] = positionals;
  if (first === undefined) return { command: 'dashboard', args: [] };
  if ((COMMANDS as readonly string[]).includes(first)) return { command: first as CommandName, args: rest };
  if (runbookPath(first) !== first || isFile(first) || /\.ya?ml$/.test(first)) return { command: 'dashboard', args: positionals };
  throw unknownCommand(first);
}

/** The commands that take a flag. */
function owners(flag: string): string[] {
  return COMMANDS.filter((c) => (commandSpec(c).flags as readonly string[]).includes(flag)).map((c) => `hotspare ${c}`);
}

const label = (command: CommandName | 'dashboard'): string => (command === 'dashboard' ? 'hotspare' : `hotspare ${command}`);

/** Parse argv (without node and the script). Throws UsageError on unknown flags or commands. */
export function parseCli(argv: readonly string[]): CliOptions {
  // First every flag, to tell flag values from the command word; then the command's own.
  const all = readFlags(argv, { known: FLAGS, allowed: [], command: 'hotspare', helpCommand: 'hotspare --help', lenient: true });
  const { command } = commandOf(all.positionals);
  const spec = commandSpec(command);
  const helpCommand = command === 'dashboard' ? 'hotspare --help' : `hotspare help ${command}`;
  const { values: v, positionals } = readFlags(argv, { known: FLAGS, allowed: spec.flags, command: label(command), helpCommand, owners });
  const args = commandOf(positionals).args;
  if (args.length > spec.maxArgs && v['help'] !== true) {
    throw new UsageError(`\`${label(command)}\` takes ${spec.maxArgs === 1 ? 'one argument' : `at most ${spec.maxArgs} arguments`} (${spec.args}); got also "${args[spec.maxArgs]}".`, { code: 'BadArgument', nextSteps: `See \`${helpCommand}\`.` });
  }
  return optionsFrom(command, spec.argKind === 'runbook' ? args.map(runbookPath) : args, v);
}

/** A flag given an empty value (`--region ''`) would reach the SDK as a region it cannot use. */
function nonEmpty(flag: string, value: string | undefined, message: string): string | undefined {
  if (value !== undefined && value.trim() === '') throw new UsageError(message, { code: 'BadFlag', nextSteps: `See \`hotspare --help\` for --${flag}.` });
  return value;
}

function optionsFrom(command: CommandName | 'dashboard', positionals: readonly string[], v: FlagValues): CliOptions {
  const str = (name: keyof typeof FLAGS): string | undefined => v[name] as string | undefined;
  const on = (name: keyof typeof FLAGS): boolean => v[name] === true;
  return {
    command,
    positionals,
    yes: on('yes'),
    dryRun: on('dry-run'),
    headless: on('headless'),
    json: on('json'),
    journalDir: str('journal-dir'),
    region: nonEmpty('region', str('region'), "The AWS region is empty: name one with --region (e.g. us-east-1), or leave the flag out to use the runbook's region."),
    profile: nonEmpty('profile', str('profile'), 'The profile name is empty: name one with --profile, or leave the flag out to use AWS_PROFILE or the default profile.'),
    endpointUrl: nonEmpty('endpoint-url', str('endpoint-url'), "The endpoint URL is empty: leave --endpoint-url out to use AWS's own endpoints."),
    sandbox: on('sandbox'),
    // The sandbox divides its durations by the speed: 0 would be a crash, not a usage error.
    speed: positiveNumber('speed', str('speed'), false),
    faults: faults(v['fault'] as readonly string[] | undefined),
    trafficRate: positiveNumber('traffic-rate', str('traffic-rate')),
    outageAfter: positiveNumber('outage-after', str('outage-after')),
    holdSeconds: positiveNumber('hold', str('hold')) ?? 0,
    discover: on('discover'),
    help: on('help'),
    version: on('version'),
    debug: on('debug'),
  };
}
