import { parseArgs } from 'node:util';
import { UsageError } from '../ports/errors.js';
import { COMMANDS, type CommandName } from './help.js';

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

const FLAGS = {
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean' },
  headless: { type: 'boolean' },
  json: { type: 'boolean' },
  'journal-dir': { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  'endpoint-url': { type: 'string' },
  sandbox: { type: 'boolean' },
  speed: { type: 'string' },
  fault: { type: 'string', multiple: true },
  'traffic-rate': { type: 'string' },
  'outage-after': { type: 'string' },
  hold: { type: 'string' },
  discover: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  debug: { type: 'boolean' },
} as const;

function positiveNumber(flag: string, value: string | undefined, allowZero = true): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new UsageError(`--${flag} expects a ${allowZero ? 'non-negative' : 'positive'} number, got "${value}".`, { code: 'BadFlag' });
  }
  return n;
}

/** Parse argv (without node and the script). Throws UsageError on unknown flags or commands. */
export function parseCli(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    // Some of Node's messages already end with a full stop.
    throw new UsageError(`${(error as Error).message.replace(/\.$/, '')}. See \`hotspare --help\`.`, { code: 'BadFlag' });
  }
  const { values: v, positionals } = parsed;
  const [first, ...rest] = positionals;
  const isCommand = first !== undefined && (COMMANDS as readonly string[]).includes(first);
  if (first !== undefined && !isCommand && !first.endsWith('.yaml') && !first.endsWith('.yml')) {
    throw new UsageError(`Unknown command "${first}". Commands: ${COMMANDS.join(', ')}.`, { code: 'BadCommand' });
  }
  return {
    command: isCommand ? (first as CommandName) : 'dashboard',
    positionals: isCommand ? rest : positionals,
    yes: v.yes ?? false,
    dryRun: v['dry-run'] ?? false,
    headless: v.headless ?? false,
    json: v.json ?? false,
    journalDir: v['journal-dir'],
    region: v.region,
    profile: v.profile,
    endpointUrl: v['endpoint-url'],
    sandbox: v.sandbox ?? false,
    // The sandbox divides its durations by the speed: 0 would be a crash, not a usage error.
    speed: positiveNumber('speed', v.speed, false),
    faults: v.fault ?? [],
    trafficRate: positiveNumber('traffic-rate', v['traffic-rate']),
    outageAfter: positiveNumber('outage-after', v['outage-after']),
    holdSeconds: positiveNumber('hold', v.hold) ?? 0,
    discover: v.discover ?? false,
    help: v.help ?? false,
    version: v.version ?? false,
    debug: v.debug ?? false,
  };
}
