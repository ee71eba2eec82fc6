import { UsageError } from '../../domain/errors.js';
import { closest } from '../../runbook/closest.js';
import { SANDBOX_FAULTS } from '../../sandbox/faults.js';
import type { Flag, RawFlag } from './tree.js';

/**
 * The flags more than one command takes, each declared once: a command lists the ones it takes (a
 * flag of one command alone is declared in that command's file). A flag means the same wherever it
 * is taken; `withHelp` only says it in the words of one command's help.
 */

function bad(message: string, nextSteps?: string): UsageError {
  return new UsageError(message, { code: 'BadFlag', ...(nextSteps === undefined ? {} : { nextSteps }) });
}

const text = (raw: RawFlag): string | undefined => (typeof raw === 'string' ? raw : undefined);

/** A flag that takes no value. */
export function booleanFlag(name: string, help: string, short?: string): Flag<boolean> {
  return { name, short, help, read: (raw) => raw === true };
}

/** A flag with a string value, as given. */
export function stringFlag(
  name: string,
  value: string,
  help: string,
  extra: Pick<Flag<unknown>, 'dir'> = {},
): Flag<string | undefined> {
  return { name, value, help, ...extra, read: text };
}

/**
 * A string flag that may not be empty: `--region ''` would reach the SDK as a region it cannot
 * use. `message` says what to do instead.
 */
export function nonEmptyFlag(name: string, value: string, help: string, message: string): Flag<string | undefined> {
  return {
    name,
    value,
    help,
    read: (raw) => {
      const given = text(raw);
      if (given !== undefined && given.trim() === '') throw bad(message, `See \`hotspare --help\` for --${name}.`);
      return given;
    },
  };
}

/** A number of at least 0 (`positive`: more than 0). */
export function numberFlag(name: string, value: string, help: string, positive = false): Flag<number | undefined> {
  return {
    name,
    value,
    help,
    read: (raw) => {
      const given = text(raw);
      if (given === undefined) return undefined;
      const n = Number(given);
      if (!Number.isFinite(n) || n < 0 || (positive && n === 0))
        throw bad(`--${name} expects a ${positive ? 'positive' : 'non-negative'} number, got "${given}".`);
      return n;
    },
  };
}

/** A whole number of at least `min`. */
export function countFlag(name: string, value: string, help: string, min: number): Flag<number | undefined> {
  return {
    name,
    value,
    help,
    read: (raw) => {
      const given = text(raw);
      if (given === undefined) return undefined;
      const n = Number(given);
      if (!Number.isInteger(n) || n < min)
        throw bad(`--${name} expects a whole number of at least ${min}, got "${given}".`);
      return n;
    },
  };
}

/** A flag that may be given more than once; every value kept. */
export function listFlag(name: string, value: string, help: string): Flag<readonly string[]> {
  return { name, value, help, multiple: true, read: (raw) => (Array.isArray(raw) ? raw : []) };
}

/** The same flag, said in the words of one command's help. */
export function withHelp<T>(flag: Flag<T>, help: string): Flag<T> {
  return { ...flag, help };
}

/** Every --fault must be one the sandbox knows. */
function faults(raw: RawFlag): readonly string[] {
  const names: readonly string[] = Array.isArray(raw) ? raw : [];
  for (const name of names) {
    if ((SANDBOX_FAULTS as readonly string[]).includes(name)) continue;
    const near = closest(name, SANDBOX_FAULTS);
    throw bad(
      `Unknown fault "${name}".${near === undefined ? '' : ` Did you mean "${near}"?`} Faults: ${SANDBOX_FAULTS.join(', ')}.`,
    );
  }
  return names;
}

export const yes = booleanFlag('yes', 'no prompts: confirm every step (for automation)', 'y');
export const dryRun = booleanFlag(
  'dry-run',
  'every read is real, no mutation is sent (EC2 permissions checked with DryRun)',
);
export const headless = booleanFlag(
  'headless',
  'line printer instead of the dashboard (the default without a terminal)',
);
export const json = booleanFlag('json', 'JSON on stdout, times as ISO 8601 strings; errors as one JSON object');
export const journalDir = stringFlag(
  'journal-dir',
  'DIR',
  'where runs are journaled (default $XDG_STATE_HOME/hotspare, else ~/.local/state/hotspare)',
  { dir: true },
);
export const region = nonEmptyFlag(
  'region',
  'REGION',
  "the AWS region (default: the runbook's)",
  "The AWS region is empty: name one with --region (e.g. us-east-1), or leave the flag out to use the runbook's region.",
);
export const profile = nonEmptyFlag(
  'profile',
  'NAME',
  'a profile of the shared AWS config, as AWS_PROFILE=NAME (credentials, region, endpoint_url)',
  'The profile name is empty: name one with --profile, or leave the flag out to use AWS_PROFILE or the default profile.',
);
export const endpointUrl = nonEmptyFlag(
  'endpoint-url',
  'URL',
  'one endpoint for every AWS service (moto, LocalStack); also AWS_ENDPOINT_URL',
  "The endpoint URL is empty: leave --endpoint-url out to use AWS's own endpoints.",
);
export const sandbox = booleanFlag(
  'sandbox',
  'the embedded simulated account, no AWS needed (journals under the state dir, sandbox/)',
);
// The sandbox divides its durations by the speed: 0 would be a crash, not a usage error.
export const speed = numberFlag('speed', 'N', 'sandbox time compression (10: ten times faster)', true);
export const fault: Flag<readonly string[]> = {
  name: 'fault',
  value: 'FAULT',
  multiple: true,
  choices: SANDBOX_FAULTS,
  help: `a sandbox fault or account shape, repeatable: ${SANDBOX_FAULTS.join(', ')}`,
  read: faults,
};
export const trafficRate = numberFlag('traffic-rate', 'N', 'sandbox visitors per second');
export const outageAfter = numberFlag(
  'outage-after',
  'SECONDS',
  'the sandbox web servers start failing after SECONDS (a scripted outage)',
);
export const debug = booleanFlag('debug', 'print the stack of an unexpected error (it always goes to the error log)');
export const help = booleanFlag('help', 'this help', 'h');
export const version = booleanFlag('version', "hotspare's version", 'V');

/** What every command but the site commands takes. */
export const ALWAYS = { help, debug } as const;
export const AWS = { region, profile, endpointUrl } as const;
/** The simulated account, as a read-only command builds it. */
export const SANDBOX_WORLD = { sandbox, faults: fault, speed } as const;
export const SANDBOX = { ...SANDBOX_WORLD, trafficRate, outageAfter } as const;
/** What every command that runs a session takes. */
export const SESSION = { yes, dryRun, headless, json, journalDir, ...AWS, ...SANDBOX, ...ALWAYS } as const;

/** The site commands' crawl limits. */
export const depth = countFlag('depth', 'N', 'links followed from the start page (default 8)', 0);
export const maxPages = countFlag('max-pages', 'N', 'pages fetched at most (default 2000)', 1);
export const maxAssets = countFlag(
  'max-assets',
  'N',
  'images, CSS, scripts, fonts, feeds fetched at most (default 10000)',
  1,
);
export const maxMegabytes = countFlag(
  'max-megabytes',
  'N',
  'bytes downloaded at most, all files together (default 1024)',
  1,
);
export const maxHops = countFlag(
  'max-hops',
  'N',
  'redirects and CSS @import steps followed from one reference (default 5)',
  0,
);
export const maxSeconds = countFlag('max-seconds', 'N', 'the crawl stops fetching after this long (default 600)', 1);
/** The crawl limits beyond depth and pages, as snapshot and refresh take them. */
export const CRAWL_LIMITS = { maxAssets, maxMegabytes, maxHops, maxSeconds } as const;
export const concurrency = countFlag('concurrency', 'N', 'requests at once (default 4)', 1);
export const timeout = countFlag('timeout', 'SECONDS', 'per request (default 15)', 1);
export const out = stringFlag('out', 'DIR', 'the folder to write', { dir: true });
export const website = booleanFlag(
  'website',
  'turn on static website hosting (index.html; error document 404.html or index.html)',
);
