import { SESSION } from '../args/flags.js';
import { defineCommand } from '../args/tree.js';

/** `hotspare rollback RUNBOOK`: undo the latest run in reverse, from its journal. */
export const rollback = defineCommand({
  name: 'rollback',
  args: { usage: 'RUNBOOK', kind: 'runbook', max: 1 },
  summary: 'undo the latest run in reverse, from its journal alone',
  details:
    "Undoes the latest run's steps in reverse from its journal: re-registers the web servers and waits until healthy, deregisters and terminates the redirect instance (every instance tagged with the run), restores listener actions and DNS records. Shows what will be undone and the web servers' health first and asks to confirm (live mode: type the runbook's name, then confirm each undo). Every undo reads the current state first, so running it again finishes an incomplete rollback. Without a terminal a live rollback needs --yes. --dry-run lists the undo calls and sends nothing. With --sandbox it finds the latest sandbox run and explains: its simulated account ended with the process that ran it, so there is nothing left to undo (roll back in the dashboard with b, or run a drill).",
  flags: SESSION,
  run: async ({ args, flags, io, env }) =>
    (await import('../session/session-command.js')).executeSessionCommand(
      'rollback',
      { ...flags, runbook: args[0] },
      io,
      env,
    ),
});
