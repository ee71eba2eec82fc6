import { UsageError } from '../../domain/errors.js';
import { closest } from '../../runbook/closest.js';
import type { Line } from './parse.js';
import type { AnyCommand, Flag, Group, Node } from './tree.js';

/** Help, written by walking the command tree (`commands/index.ts`). */

export const EXIT_CODES =
  'Exit codes: 0 done; 1 a step or verification failed, or the command did not finish (journaled, resumable); 2 usage error or invalid runbook; 3 refused; 4 site publish/refresh: published, but visitors cannot reach it; 128+N interrupted by signal N (journaled).';

const usageOf = (path: readonly string[], args: string): string =>
  ['hotspare', ...path, ...(args === '' ? [] : [args])].join(' ');

/** Each command's line of the overview, a group's commands in its place. */
function overviewRows(group: Group, path: readonly string[] = []): [string, string][] {
  const rows: [string, string][] =
    group.fallback === undefined ? [] : [[usageOf(path, `[${group.fallback.args.usage}]`), group.fallback.summary]];
  for (const node of group.children) {
    if (node.kind === 'group') rows.push(...overviewRows(node, [...path, node.name]));
    else rows.push([usageOf([...path, node.name], node.args.usage), node.summary]);
  }
  return rows;
}

function table(rows: readonly (readonly [string, string])[], indent = ''): string[] {
  const width = Math.max(...rows.map(([u]) => u.length)) + 2;
  return rows.map(([u, s]) => `${indent}${u.padEnd(width)}${s}`);
}

/** `hotspare --help`: every command in one screen. The README's command section is this text. */
export function mainHelp(root: Group): string {
  return [
    'hotspare — keep the site up on its worst day',
    '',
    'Usage: hotspare COMMAND [ARGUMENTS] [flags]   (`hotspare help COMMAND` for one command)',
    '',
    ...table(overviewRows(root)),
    '',
    'RUNBOOK is a YAML file; the .yaml may be left out (hotspare plan runbooks/emergency-mode).',
    'Flags (each command takes its own; `hotspare help COMMAND` lists them):',
    '  -y, --yes   --dry-run   --headless   --json   --journal-dir DIR   --debug   -h, --help   -V, --version',
    '  AWS:      --region REGION   --profile NAME   --endpoint-url URL',
    '  Sandbox:  --sandbox   --speed N   --fault FAULT   --traffic-rate N   --outage-after SECONDS',
    root.exitCodes ?? EXIT_CODES,
  ].join('\n');
}

function flagUsage(flag: Flag<unknown>): string {
  const short = flag.short === undefined ? '' : `-${flag.short}, `;
  return `${short}--${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`}`;
}

/** Wrap `text` to `width` columns (help is read in an 80-column terminal too). */
function wrap(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return line === '' ? lines : [...lines, line];
}

/** `hotspare help COMMAND`: usage, what it does, its own flags, exit codes. */
export function commandHelp(command: AnyCommand, path: readonly string[], exitCodes = EXIT_CODES): string {
  const flags = Object.values(command.flags).map((f) => [flagUsage(f), f.help] as const);
  return [
    `Usage: ${usageOf(path, command.args.usage)} [flags]`,
    '',
    ...wrap(command.details),
    '',
    'Flags:',
    ...table(flags, '  '),
    '',
    command.exitCodes ?? exitCodes,
  ].join('\n');
}

/** `hotspare help site`: what the group is for, its commands. */
export function groupHelp(group: Group, path: readonly string[], exitCodes = EXIT_CODES): string {
  const rows = group.children.map((n): [string, string] => [
    n.kind === 'group' ? `${n.name} COMMAND` : usageOf([n.name], n.args.usage).replace(/^hotspare /, ''),
    n.summary,
  ]);
  return [
    `Usage: ${usageOf(path, 'COMMAND ...')}`,
    '',
    ...wrap(group.details),
    '',
    'Commands:',
    ...table(rows, '  '),
    '',
    `\`${usageOf(path, 'COMMAND --help')}\` for each.`,
    group.exitCodes ?? exitCodes,
  ].join('\n');
}

/** The help of a node: the overview for the root (the dashboard), a group's, a command's. */
export function helpOf(node: Node, path: readonly string[], root: Group): string {
  if (path.length === 0) return mainHelp(root);
  const exitCodes = exitCodesOn(root, path);
  return node.kind === 'group' ? groupHelp(node, path, exitCodes) : commandHelp(node, path, exitCodes);
}

/** The exit codes a group says for its commands (the site commands have their own), down the path. */
function exitCodesOn(root: Group, path: readonly string[]): string {
  let group: Group | undefined = root;
  let codes = root.exitCodes ?? EXIT_CODES;
  for (const word of path) {
    const child: Node | undefined = group?.children.find((n) => n.name === word);
    group = child?.kind === 'group' ? child : undefined;
    codes = group?.exitCodes ?? codes;
  }
  return codes;
}

/** The help a line asks for with --help. */
export function helpFor(line: Line, root: Group): string {
  return helpOf(line.node, line.path, root);
}

/** The help for `hotspare help WORDS...` (`[]`: the overview; `['site', 'publish']`: a site command). */
export function helpForWords(words: readonly string[], root: Group): string {
  let node: Node = root;
  const path: string[] = [];
  for (const word of words) {
    if (node.kind !== 'group') break;
    const child: Node | undefined = node.children.find((n) => n.name === word);
    if (child === undefined) {
      const topic = [...path, word].join(' ');
      const list = path.length === 0 ? 'hotspare --help' : `hotspare help ${path.join(' ')}`;
      throw unknownTopic(
        topic,
        closest(
          word,
          node.children.map((n) => n.name),
        ),
        list,
      );
    }
    node = child;
    path.push(word);
  }
  return helpOf(node, path, root);
}

function unknownTopic(topic: string, near: string | undefined, list: string): UsageError {
  return new UsageError(
    `No help for "${topic}": there is no such command.${near === undefined ? '' : ` Did you mean "${near}"?`}`,
    { code: 'BadCommand', nextSteps: `\`${list}\` lists the commands.` },
  );
}
