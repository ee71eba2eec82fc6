import { SESSION } from '../args/flags.js';
import { defineCommand } from '../args/tree.js';

/** `hotspare resume RUNBOOK`: go on with an unfinished run. */
export const resume = defineCommand({
  name: 'resume',
  args: { usage: 'RUNBOOK', kind: 'runbook', max: 1 },
  summary: 'go on with an unfinished run (in-doubt steps verified first)',
  details:
    'Goes on with the unfinished run: finished steps are skipped, a step whose outcome was never journaled is verified against AWS first.',
  flags: SESSION,
  run: async ({ args, flags, io, env }) =>
    (await import('../session/session-command.js')).executeSessionCommand(
      'resume',
      { ...flags, runbook: args[0] },
      io,
      env,
    ),
});
