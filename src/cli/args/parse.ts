import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../../domain/errors.js';
import { closest } from '../../runbook/closest.js';
import { readFlags } from './read-flags.js';
import { allFlags, commandsOf, type AnyCommand, type Flags, type Group, type Node, type RawFlag } from './tree.js';

/** A command line, read against the tree. Only the CLI reads argv. */
export interface Line {
  /** The command, or the group named without one of its commands (`hotspare site`). */
  readonly node: Node;
  /** Its words (`['site', 'publish']`; `[]` for the dashboard). */
  readonly path: readonly string[];
  /** The words after them; a command's runbook arguments resolved to their files. */
  readonly args: readonly string[];
  /** The typed values of the node's own flags, by the property its run function reads. */
  readonly flags: Readonly<Record<string, unknown>>;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** A runbook named without its `.yaml` (or `.yml`): the file that exists, else the name as given. */
export function runbookPath(name: string): string {
  if (isFile(name) || /\.ya?ml$/.test(name)) return name;
  return [`${name}.yaml`, `${name}.yml`].find(isFile) ?? name;
}

/** Whether a word that names no command is a runbook (it opens the dashboard). */
function looksLikeRunbook(word: string): boolean {
  return runbookPath(word) !== word || isFile(word) || /\.ya?ml$/.test(word);
}

/** `hotspare plan`, `hotspare site publish`, `hotspare` for the dashboard. */
export function label(path: readonly string[]): string {
  return ['hotspare', ...path].join(' ');
}

/** Where a node's flags are listed. */
export function helpCommand(path: readonly string[]): string {
  return path.length === 0 ? 'hotspare --help' : `hotspare help ${path.join(' ')}`;
}

const capitalized = (s: string): string => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

function unknownCommand(word: string, group: Group, path: readonly string[]): UsageError {
  const words = group.children.map((n) => n.name);
  const near = closest(word, words);
  const hint = near === undefined ? '' : ` Did you mean "${near}"?`;
  if (path.length > 0) {
    const name = path.join(' ');
    return new UsageError(
      `Unknown ${name} command "${word}".${hint} ${capitalized(name)} commands: ${words.join(', ')}.`,
      { code: 'BadCommand' },
    );
  }
  return new UsageError(`Unknown command "${word}".${hint} Commands: ${words.join(', ')}; or a runbook file.`, {
    code: 'BadCommand',
    nextSteps: '`hotspare --help` lists them; a runbook opens the dashboard (`hotspare runbooks/emergency-mode`).',
  });
}

/** The node the line's words name, its words, and how many words that took. */
function find(root: Group, words: readonly string[]): { node: Node; path: string[]; used: number } {
  let group = root;
  const path: string[] = [];
  for (;;) {
    const word = words[path.length];
    if (word === undefined) return { node: group.fallback ?? group, path, used: path.length };
    const child = group.children.find((n) => n.name === word);
    if (child === undefined) {
      if (group.fallback !== undefined && looksLikeRunbook(word))
        return { node: group.fallback, path, used: path.length };
      throw unknownCommand(word, group, path);
    }
    path.push(word);
    if (child.kind === 'command') return { node: child, path, used: path.length };
    group = child;
  }
}

/** The commands of the tree that take a flag, for "--hold is not a flag of `hotspare plan` (it is one of …)". */
function ownersIn(root: Group): (flag: string) => string[] {
  const commands = commandsOf(root);
  return (flag) =>
    commands
      .filter(({ command }) => Object.values(command.flags).some((f) => f.name === flag))
      .map(({ path }) => label(path));
}

/** The node's flags read by their own readers, by the property its run function reads. */
function typed(flags: Flags, raw: Readonly<Record<string, RawFlag>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(flags).map(([key, flag]) => [key, flag.read(raw[flag.name])]));
}

function tooMany(command: AnyCommand, path: readonly string[], extra: string): UsageError {
  const { max, usage } = command.args;
  const takes = max === 1 ? 'one argument' : max === 0 ? 'no argument' : `at most ${max} arguments`;
  return new UsageError(`\`${label(path)}\` takes ${takes} (${usage}); got also "${extra}".`, {
    code: 'BadArgument',
    nextSteps: `See \`${helpCommand(path)}\`.`,
  });
}

/**
 * Read argv against the tree: the command its first words name (a runbook file alone opens the
 * dashboard), then its own flags anywhere on the line, typed by each flag's own reader. Throws a
 * UsageError for an unknown command or flag, a flag of another command, a bad value, or more
 * arguments than the command takes (unless --help).
 */
export function parseLine(argv: readonly string[], root: Group): Line {
  const known = allFlags(root);
  // First every flag, to tell flag values from the command's words; then the command's own.
  const lenient = readFlags(argv, {
    known,
    allowed: [],
    command: 'hotspare',
    helpCommand: 'hotspare --help',
    lenient: true,
  });
  const { node, path, used } = find(root, lenient.positionals);
  const allowed = Object.values(node.flags).map((f) => f.name);
  const owners = ownersIn(root);
  const { values, positionals } = readFlags(argv, {
    known,
    allowed,
    command: label(path),
    helpCommand: helpCommand(path),
    owners,
  });
  const args = positionals.slice(used);
  if (node.kind === 'group') return { node, path, args, flags: typed(node.flags, values) };
  const extra = args[node.args.max];
  if (extra !== undefined && values['help'] !== true) throw tooMany(node, path, extra);
  return {
    node,
    path,
    args: node.args.kind === 'runbook' ? args.map(runbookPath) : args,
    flags: typed(node.flags, values),
  };
}
