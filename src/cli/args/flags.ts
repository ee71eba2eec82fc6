import { SANDBOX_FAULTS } from '../../sandbox/faults.js';

/** One flag: its type, short form, the word for its value in help, and what it does. */
export interface FlagSpec {
  readonly type: 'boolean' | 'string';
  readonly short?: string | undefined;
  /** The value's name in help (`--hold SECONDS`); string flags only. */
  readonly value?: string | undefined;
  /** May be given more than once (all values kept). */
  readonly multiple?: boolean | undefined;
  /** The values shell completion offers. */
  readonly choices?: readonly string[] | undefined;
  /** Complete the value with a directory name. */
  readonly dir?: boolean | undefined;
  /** One line for `hotspare help COMMAND` (the site commands write their help by hand). */
  readonly help?: string | undefined;
}

/**
 * Every flag of the main commands, declared once: parsing, per-command checks, help and shell
 * completion all read this table (which command takes which is in `command-table.ts`).
 */
export const FLAGS = {
  yes: { type: 'boolean', short: 'y', help: 'no prompts: confirm every step (for automation)' },
  'dry-run': { type: 'boolean', help: 'every read is real, no mutation is sent (EC2 permissions checked with DryRun)' },
  headless: { type: 'boolean', help: 'line printer instead of the dashboard (the default without a terminal)' },
  json: { type: 'boolean', help: 'JSON on stdout, times as ISO 8601 strings; errors as one JSON object' },
  'journal-dir': { type: 'string', value: 'DIR', dir: true, help: 'where runs are journaled (default $XDG_STATE_HOME/hotspare, else ~/.local/state/hotspare)' },
  region: { type: 'string', value: 'REGION', help: "the AWS region (default: the runbook's)" },
  profile: { type: 'string', value: 'NAME', help: 'a profile of the shared AWS config, as AWS_PROFILE=NAME (credentials, region, endpoint_url)' },
  'endpoint-url': { type: 'string', value: 'URL', help: 'one endpoint for every AWS service (moto, LocalStack); also AWS_ENDPOINT_URL' },
  sandbox: { type: 'boolean', help: 'the embedded simulated account, no AWS needed (journals under the state dir, sandbox/)' },
  speed: { type: 'string', value: 'N', help: 'sandbox time compression (10: ten times faster)' },
  fault: { type: 'string', value: 'FAULT', multiple: true, choices: SANDBOX_FAULTS, help: `a sandbox fault or account shape, repeatable: ${SANDBOX_FAULTS.join(', ')}` },
  'traffic-rate': { type: 'string', value: 'N', help: 'sandbox visitors per second' },
  'outage-after': { type: 'string', value: 'SECONDS', help: 'the sandbox web servers start failing after SECONDS (a scripted outage)' },
  hold: { type: 'string', value: 'SECONDS', help: 'how long the drill stays in maintenance before rolling back (default 0)' },
  discover: { type: 'boolean', help: 'read the account (target group, health checks, web servers) instead of assuming the ALB defaults' },
  debug: { type: 'boolean', help: 'print the stack of an unexpected error (it always goes to the error log)' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
  version: { type: 'boolean', short: 'V', help: "hotspare's version" },
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;
