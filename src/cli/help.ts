import { UsageError } from '../ports/errors.js';
import { closest } from '../runbook/messages.js';
import { COMMAND_TABLE, COMMANDS, type CommandName } from './command-table.js';
import { SITE_HELP, SITE_SUBCOMMANDS, type SiteSubcommand } from './commands/site-help.js';
import { FLAGS, type FlagName } from './flag-table.js';

export { COMMANDS, type CommandName } from './command-table.js';

const EXIT_CODES = 'Exit codes: 0 done; 1 a step or verification failed, or the command did not finish (journaled, resumable); 2 usage error or invalid runbook; 3 refused; 4 site publish/refresh: published, but visitors cannot reach it; 128+N interrupted by signal N (journaled).';

/** The site commands' lines of the overview (they have their own help, `hotspare help site`). */
const SITE_LINES = [
  ['site snapshot URL --out DIR', 'copy the live site into a static folder that works on S3 website hosting'],
  ['site check DIR|URL', 'every internal link and asset resolves; forms that post to the origin'],
  ['site publish DIR --bucket B', 'upload changed files only, assets before pages, index last, then delete'],
  ['site refresh RUNBOOK', 'snapshot + check + publish from the runbook, for cron or CI'],
] as const;

function overviewLines(): string[] {
  const usage = (name: string, args: string): string => `hotspare ${name}${args === '' ? '' : ` ${args}`}`;
  const rows: [string, string][] = [['hotspare [RUNBOOK]', 'the live dashboard (with --sandbox and no RUNBOOK: the bundled drill)']];
  for (const name of COMMANDS) {
    if (name === 'help') rows.push(...SITE_LINES.map(([u, s]): [string, string] => [`hotspare ${u}`, s]));
    rows.push([usage(name, COMMAND_TABLE[name].args), COMMAND_TABLE[name].summary]);
  }
  const width = Math.max(...rows.map(([u]) => u.length)) + 2;
  return rows.map(([u, s]) => `${u.padEnd(width)}${s}`);
}

/** `hotspare --help`: every command in one screen. The README's command section is this text. */
export function mainHelp(): string {
  return [
    'hotspare — keep the site up on its worst day',
    '',
    'Usage: hotspare COMMAND [ARGUMENTS] [flags]   (`hotspare help COMMAND` for one command)',
    '',
    ...overviewLines(),
    '',
    'RUNBOOK is a YAML file; the .yaml may be left out (hotspare plan runbooks/emergency-mode).',
    'Flags (each command takes its own; `hotspare help COMMAND` lists them):',
    '  -y, --yes   --dry-run   --headless   --json   --journal-dir DIR   --debug   -h, --help   -V, --version',
    '  AWS:      --region REGION   --profile NAME   --endpoint-url URL',
    '  Sandbox:  --sandbox   --speed N   --fault FAULT   --traffic-rate N   --outage-after SECONDS',
    EXIT_CODES,
  ].join('\n');
}

function flagUsage(name: FlagName): string {
  const spec = FLAGS[name];
  const short = 'short' in spec ? `-${spec.short}, ` : '';
  return `${short}--${name}${'value' in spec ? ` ${spec.value}` : ''}`;
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
export function commandHelp(name: CommandName): string {
  const spec = COMMAND_TABLE[name];
  const flags = spec.flags.map((f) => [flagUsage(f), FLAGS[f].help] as const);
  const width = Math.max(...flags.map(([u]) => u.length)) + 2;
  return [
    `Usage: hotspare ${name} ${spec.args} [flags]`,
    '',
    ...wrap(spec.details),
    '',
    'Flags:',
    ...flags.map(([u, h]) => `  ${u.padEnd(width)}${h}`),
    '',
    EXIT_CODES,
  ].join('\n');
}

/** The help for `hotspare help WORDS...` (`[]`: the overview; `['site', 'publish']`: a site command). */
export function helpFor(words: readonly string[]): string {
  const [first, second] = words;
  if (first === undefined) return mainHelp();
  if (first === 'site') {
    if (second === undefined) return SITE_HELP.site;
    if ((SITE_SUBCOMMANDS as readonly string[]).includes(second)) return SITE_HELP[second as SiteSubcommand];
    throw unknownTopic(`site ${second}`, closest(second, SITE_SUBCOMMANDS), 'hotspare help site');
  }
  if ((COMMANDS as readonly string[]).includes(first)) return commandHelp(first as CommandName);
  throw unknownTopic(first, closest(first, [...COMMANDS, 'site']), 'hotspare --help');
}

function unknownTopic(topic: string, near: string | undefined, list: string): UsageError {
  return new UsageError(`No help for "${topic}": there is no such command.${near === undefined ? '' : ` Did you mean "${near}"?`}`, { code: 'BadCommand', nextSteps: `\`${list}\` lists the commands.` });
}
