import { SESSION } from '../args/flags.js';
import { defineCommand } from '../args/tree.js';

/** `hotspare failover RUNBOOK`: run the runbook, each mutating step confirmed. */
export const failover = defineCommand({
  name: 'failover',
  args: { usage: 'RUNBOOK', kind: 'runbook', max: 1 },
  summary: 'run the runbook, confirming each mutating step',
  details:
    "Runs the runbook step by step. Each mutating step is confirmed (live mode: type the runbook's name for the first one); --yes confirms all. --dry-run reads everything and sends no mutation.",
  flags: SESSION,
  run: async ({ args, flags, io, env }) =>
    (await import('../session/session-command.js')).executeSessionCommand(
      'failover',
      { ...flags, runbook: args[0] },
      io,
      env,
    ),
});
