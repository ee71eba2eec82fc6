import type { FlagName } from './flags.js';

/** What a command's words after its name are, for checks and shell completion. */
export type ArgKind = 'runbook' | 'run' | 'command' | 'shell' | 'none';

/** One command: its arguments, one line for the overview, the details, and the flags it takes. */
export interface CommandSpec {
  /** The arguments as help writes them (`RUNBOOK`, `RUNBOOK...`, `[RUN]`). */
  readonly args: string;
  readonly argKind: ArgKind;
  /** How many arguments it takes at least and at most. */
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly summary: string;
  readonly details: string;
  readonly flags: readonly FlagName[];
}

const ALWAYS: readonly FlagName[] = ['help', 'debug'];
const AWS: readonly FlagName[] = ['region', 'profile', 'endpoint-url'];
/** The simulated account, as a read-only command builds it. */
const SANDBOX_WORLD: readonly FlagName[] = ['sandbox', 'fault', 'speed'];
const SANDBOX: readonly FlagName[] = [...SANDBOX_WORLD, 'traffic-rate', 'outage-after'];
/** What every command that runs a session takes. */
const SESSION: readonly FlagName[] = ['yes', 'dry-run', 'headless', 'json', 'journal-dir', ...AWS, ...SANDBOX, ...ALWAYS];

const RUNBOOK_ARG = { args: 'RUNBOOK', argKind: 'runbook', minArgs: 0, maxArgs: 1 } as const;

/** Every command but `site` (whose subcommands parse their own flags, see `commands/site.ts`). */
export const COMMAND_TABLE = {
  validate: {
    args: 'RUNBOOK...',
    argKind: 'runbook',
    minArgs: 1,
    maxArgs: Infinity,
    summary: 'check runbook files; errors name file:line:col and the field',
    details: 'Validates each runbook and prints file:line:col for every problem. Exit 0 when all are valid, 2 otherwise. With --json: one object, {"valid", "files": [{"file", "valid", "runbook", "steps"} or {"file", "valid", "problems"}]}.',
    flags: ['json', ...ALWAYS],
  },
  plan: {
    ...RUNBOOK_ARG,
    summary: 'steps, the exact API calls, undo, hazards, strategy comparison',
    details: 'Prints each step with the exact API calls it will make and how rollback reverses it, the hazards (zero-healthy-target windows with their expected length, steps without undo) and a comparison of strategies. Reads the account with --discover, --sandbox, --endpoint-url or --profile; otherwise assumes the ALB defaults.',
    flags: ['discover', 'json', ...AWS, ...SANDBOX_WORLD, ...ALWAYS],
  },
  failover: {
    ...RUNBOOK_ARG,
    summary: 'run the runbook, confirming each mutating step',
    details: "Runs the runbook step by step. Each mutating step is confirmed (live mode: type the runbook's name for the first one); --yes confirms all. --dry-run reads everything and sends no mutation.",
    flags: SESSION,
  },
  resume: {
    ...RUNBOOK_ARG,
    summary: 'go on with an unfinished run (in-doubt steps verified first)',
    details: 'Goes on with the unfinished run: finished steps are skipped, a step whose outcome was never journaled is verified against AWS first.',
    flags: SESSION,
  },
  rollback: {
    ...RUNBOOK_ARG,
    summary: 'undo the latest run in reverse, from its journal alone',
    details: "Undoes the latest run's steps in reverse from its journal: re-registers the web servers and waits until healthy, deregisters and terminates the redirect instance (every instance tagged with the run), restores listener actions and DNS records. Shows what will be undone and the web servers' health first and asks to confirm (live mode: type the runbook's name, then confirm each undo). Every undo reads the current state first, so running it again finishes an incomplete rollback. Without a terminal a live rollback needs --yes. --dry-run lists the undo calls and sends nothing. With --sandbox it finds the latest sandbox run and explains: its simulated account ended with the process that ran it, so there is nothing left to undo (roll back in the dashboard with b, or run a drill).",
    flags: SESSION,
  },
  abandon: {
    ...RUNBOOK_ARG,
    summary: 'close a run that cannot be rolled back; lists what it left in AWS',
    details: 'Closes the unfinished run when a rollback cannot finish: reads what the run left in AWS (the state of every step not undone), journals it and prints it. Nothing is changed in AWS; the next failover is then accepted. `status` and `timeline` keep showing what was left.',
    flags: SESSION,
  },
  status: {
    ...RUNBOOK_ARG,
    summary: 'targets (id, Name, AZ, port, state, reason), listener, latest run',
    details: "Origin health from AWS: each target with instance id, Name tag, AZ, port, state and reason; counts; the listener's default action; the latest run (with --sandbox: the latest sandbox run).",
    flags: ['json', 'journal-dir', ...AWS, ...SANDBOX_WORLD, ...ALWAYS],
  },
  drill: {
    ...RUNBOOK_ARG,
    summary: 'failover, verify, --hold SECONDS, rollback: a game day',
    details: 'A game day in one process: failover, verification, a hold, then rollback. With --sandbox it ends with the traffic served and failed.',
    flags: [...SESSION, 'hold'],
  },
  timeline: {
    args: '[RUN]',
    argKind: 'run',
    minArgs: 0,
    maxArgs: 1,
    summary: "Markdown incident timeline from a run's journal (default: the latest run)",
    details: "Prints a Markdown incident timeline (who, what, when, request ids) from a run's journal. RUN is a run id, a journal file or a runbook file (its latest run); left out, the latest run of all. With --sandbox the sandbox runs are searched (newest first). With --json: one object with the run and its entries, times as ISO 8601 strings.",
    flags: ['json', 'journal-dir', 'sandbox', ...ALWAYS],
  },
  'iam-policy': {
    args: 'RUNBOOK',
    argKind: 'runbook',
    minArgs: 1,
    maxArgs: 1,
    summary: 'the least-privilege IAM policy the runbook needs',
    details: 'Prints the least-privilege IAM policy document the runbook needs (indented; one line with --json).',
    flags: ['json', ...ALWAYS],
  },
  prepare: {
    ...RUNBOOK_ARG,
    summary: 'keep a stopped spare redirect instance ready',
    details: 'Before an incident: launches the redirect instance for the target group as it is now, with its server installed and configured; the instance checks its own health answer and powers itself off. At incident time launch-redirect starts this stopped spare (no install, no way out needed) and rollback stops it again. Run it again after changing the target group, the maintenance URL or the server: a spare made for another config is not used, and is replaced.',
    flags: ['dry-run', ...AWS, ...SANDBOX_WORLD, ...ALWAYS],
  },
  help: {
    args: '[COMMAND]',
    argKind: 'command',
    minArgs: 0,
    maxArgs: 2,
    summary: "this help, or one command's flags and details",
    details: 'Prints the overview, or the usage, details and flags of one command (`hotspare help site publish` for a site command).',
    flags: ALWAYS,
  },
  completion: {
    args: 'bash|zsh',
    argKind: 'shell',
    minArgs: 1,
    maxArgs: 1,
    summary: 'shell completion, e.g. source <(hotspare completion bash)',
    details: 'Prints a completion script for bash or zsh: commands, each command\'s own flags, fault names, runbook files. Add `source <(hotspare completion bash)` to ~/.bashrc, or `source <(hotspare completion zsh)` to ~/.zshrc (after compinit).',
    flags: ALWAYS,
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMAND_TABLE;
export const COMMANDS = Object.keys(COMMAND_TABLE) as CommandName[];

/** `hotspare RUNBOOK`: the dashboard, which is no command word. */
export const DASHBOARD: CommandSpec = {
  ...RUNBOOK_ARG,
  args: '[RUNBOOK]',
  summary: 'the live dashboard (with --sandbox and no RUNBOOK: the bundled drill)',
  details: "Opens the live dashboard for RUNBOOK: origin health, probes, the plan; f fails over, b rolls back, ? shows every key. With --sandbox and no RUNBOOK: the bundled drill. Without a terminal (or with --headless / --json) it prints the status once.",
  flags: [...SESSION, 'version'],
};

export function commandSpec(command: CommandName | 'dashboard'): CommandSpec {
  return command === 'dashboard' ? DASHBOARD : COMMAND_TABLE[command];
}
