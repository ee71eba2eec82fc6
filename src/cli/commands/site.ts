import { UsageError } from '../../ports/errors.js';
import { closest } from '../../runbook/messages.js';
import { runbookPath } from '../args.js';
import { readFlags } from '../read-flags.js';
import type { Io } from './run.js';
import { SITE_HELP, type SiteSubcommand, SITE_SUBCOMMANDS } from './site-help.js';

/**
 * `hotspare site ...`: every flag of the site commands is declared and parsed here, in one place,
 * apart from the rest of the CLI's flags (see `siteArgv`).
 */

export const SITE_FLAGS = {
  out: { type: 'string' },
  depth: { type: 'string' },
  'max-pages': { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  dynamic: { type: 'string', multiple: true },
  'start-path': { type: 'string', multiple: true },
  'max-assets': { type: 'string' },
  'max-megabytes': { type: 'string' },
  'max-hops': { type: 'string' },
  'max-seconds': { type: 'string' },
  'allow-redirect': { type: 'string', multiple: true },
  banner: { type: 'string' },
  external: { type: 'boolean' },
  'external-limit': { type: 'string' },
  origin: { type: 'string' },
  bucket: { type: 'string' },
  website: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'delete-unknown': { type: 'boolean' },
  force: { type: 'boolean' },
  region: { type: 'string' },
  profile: { type: 'string' },
  'endpoint-url': { type: 'string' },
  sandbox: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flag = keyof typeof SITE_FLAGS;
const COMMON: readonly Flag[] = ['json', 'help', 'sandbox'];
const AWS: readonly Flag[] = ['region', 'profile', 'endpoint-url'];
const CRAWL: readonly Flag[] = ['depth', 'max-pages', 'concurrency', 'timeout', 'max-assets', 'max-megabytes', 'max-hops', 'max-seconds'];
/** The flags each site command takes (help and shell completion read this too). */
export const SITE_ALLOWED: Readonly<Record<SiteSubcommand, readonly Flag[]>> = {
  snapshot: [...COMMON, ...CRAWL, 'out', 'dynamic', 'start-path', 'banner', 'allow-redirect'],
  check: [...COMMON, 'max-pages', 'concurrency', 'timeout', 'external', 'external-limit', 'origin'],
  publish: [...COMMON, ...AWS, 'bucket', 'website', 'dry-run', 'delete-unknown'],
  refresh: [...COMMON, ...AWS, ...CRAWL, 'out', 'website', 'dry-run', 'force'],
};

/** Every site flag, parsed and typed. */
export interface SiteOptions {
  readonly sub: SiteSubcommand;
  /** URL, DIR or RUNBOOK, as the subcommand takes. */
  readonly target?: string | undefined;
  readonly out?: string | undefined;
  readonly maxDepth?: number | undefined;
  readonly maxPages?: number | undefined;
  readonly concurrency?: number | undefined;
  readonly timeoutMs?: number | undefined;
  readonly maxAssets?: number | undefined;
  readonly maxMegabytes?: number | undefined;
  readonly maxHops?: number | undefined;
  readonly maxSeconds?: number | undefined;
  readonly allowRedirect: readonly string[];
  readonly dynamicPrefixes: readonly string[];
  readonly startPaths: readonly string[];
  readonly banner?: string | undefined;
  readonly external: boolean;
  readonly externalLimit?: number | undefined;
  readonly origin?: string | undefined;
  readonly bucket?: string | undefined;
  readonly website: boolean;
  readonly dryRun: boolean;
  readonly deleteUnknown: boolean;
  readonly force: boolean;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  readonly endpointUrl?: string | undefined;
  readonly sandbox: boolean;
  readonly json: boolean;
}

/**
 * The arguments of a `site` command, without the word `site`, when argv is one (`site` is the first
 * word that is not a flag: `hotspare --sandbox site refresh X` counts, as `npm start -- site ...`
 * runs it); undefined otherwise.
 */
export function siteArgv(argv: readonly string[]): string[] | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('-')) return arg === 'site' ? [...argv.slice(0, i), ...argv.slice(i + 1)] : undefined;
    const flag = SITE_FLAGS[arg.replace(/^--?/, '') as Flag] as { type: string } | undefined;
    if (flag?.type === 'string' && !arg.includes('=')) i++;
  }
  return undefined;
}

function count(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} expects a whole number of at least ${min}, got "${value}".`, { code: 'BadFlag' });
  return n;
}

/** The site commands that take a flag. */
function siteOwners(flag: string): string[] {
  return SITE_SUBCOMMANDS.filter((s) => (SITE_ALLOWED[s] as readonly string[]).includes(flag)).map((s) => `hotspare site ${s}`);
}

/** The subcommand named in argv (the first word), if any. */
function subOf(argv: readonly string[]): string | undefined {
  return readFlags(argv, { known: SITE_FLAGS, allowed: [], command: 'hotspare site', helpCommand: 'hotspare help site', lenient: true }).positionals[0];
}

function parse(argv: readonly string[]): { values: Record<string, unknown>; positionals: readonly string[] } {
  const sub = subOf(argv);
  const known = sub !== undefined && (SITE_SUBCOMMANDS as readonly string[]).includes(sub) ? (sub as SiteSubcommand) : undefined;
  // An unknown subcommand is reported before its flags.
  const scope = known === undefined
    ? { allowed: sub === undefined ? ['help', 'json', 'sandbox'] : Object.keys(SITE_FLAGS), command: 'hotspare site', helpCommand: 'hotspare help site' }
    : { allowed: SITE_ALLOWED[known], command: `hotspare site ${known}`, helpCommand: `hotspare help site ${known}`, owners: siteOwners };
  return readFlags(argv, { known: SITE_FLAGS, ...scope });
}

/** Parses the site arguments; undefined for `hotspare site` / `site --help` (general help). */
export function parseSiteArgs(argv: readonly string[]): SiteOptions | undefined {
  const { values: v, positionals } = parse(argv);
  const [sub, target, extra] = positionals;
  if (sub === undefined) return undefined;
  if (!(SITE_SUBCOMMANDS as readonly string[]).includes(sub)) {
    const near = closest(sub, SITE_SUBCOMMANDS);
    throw new UsageError(`Unknown site command "${sub}".${near === undefined ? '' : ` Did you mean "${near}"?`} Site commands: ${SITE_SUBCOMMANDS.join(', ')}.`, { code: 'BadCommand' });
  }
  const name = sub as SiteSubcommand;
  if (extra !== undefined) throw new UsageError(`\`hotspare site ${name}\` takes one argument; got also "${extra}".`, { code: 'BadArgument' });
  const str = (flag: Flag): string | undefined => v[flag] as string | undefined;
  const on = (flag: Flag): boolean => v[flag] === true;
  const timeout = count('timeout', str('timeout'), 1);
  return {
    sub: name,
    target: name === 'refresh' && target !== undefined ? runbookPath(target) : target,
    out: str('out'),
    maxDepth: count('depth', str('depth'), 0),
    maxPages: count('max-pages', str('max-pages'), 1),
    concurrency: count('concurrency', str('concurrency'), 1),
    timeoutMs: timeout === undefined ? undefined : timeout * 1000,
    maxAssets: count('max-assets', str('max-assets'), 1),
    maxMegabytes: count('max-megabytes', str('max-megabytes'), 1),
    maxHops: count('max-hops', str('max-hops'), 0),
    maxSeconds: count('max-seconds', str('max-seconds'), 1),
    allowRedirect: (v['allow-redirect'] as string[] | undefined) ?? [],
    dynamicPrefixes: (v['dynamic'] as string[] | undefined) ?? [],
    startPaths: (v['start-path'] as string[] | undefined) ?? [],
    banner: str('banner'),
    external: on('external'),
    externalLimit: count('external-limit', str('external-limit'), 1),
    origin: str('origin'),
    bucket: str('bucket'),
    website: on('website'),
    dryRun: on('dry-run'),
    deleteUnknown: on('delete-unknown'),
    force: on('force'),
    region: str('region'),
    profile: str('profile'),
    endpointUrl: str('endpoint-url'),
    sandbox: on('sandbox'),
    json: on('json'),
  };
}

/** `hotspare site ...` (argv without the word `site`). Resolves with the exit code. */
export async function siteCommand(argv: readonly string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const wantsHelp = parse(argv).values['help'] === true;
  const opts = parseSiteArgs(argv);
  if (opts === undefined || wantsHelp) {
    // `hotspare site` alone is a usage error: the help goes to stderr with exit 2.
    (wantsHelp ? io.out : io.err)(SITE_HELP[opts?.sub ?? 'site']);
    return wantsHelp ? 0 : 2;
  }
  const { runSite } = await import('./site-commands.js');
  return runSite(opts, io, env);
}
