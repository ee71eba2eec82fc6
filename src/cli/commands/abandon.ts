import { SESSION } from '../args/flags.js';
import { defineCommand } from '../args/tree.js';

/** `hotspare abandon RUNBOOK`: close a run that cannot be rolled back. */
export const abandon = defineCommand({
  name: 'abandon',
  args: { usage: 'RUNBOOK', kind: 'runbook', max: 1 },
  summary: 'close a run that cannot be rolled back; lists what it left in AWS',
  details:
    'Closes the unfinished run when a rollback cannot finish: reads what the run left in AWS (the state of every step not undone), journals it and prints it. Nothing is changed in AWS; the next failover is then accepted. `status` and `timeline` keep showing what was left.',
  flags: SESSION,
  run: async ({ args, flags, io, env }) =>
    (await import('../session/session-command.js')).executeSessionCommand(
      'abandon',
      { ...flags, runbook: args[0] },
      io,
      env,
    ),
});
