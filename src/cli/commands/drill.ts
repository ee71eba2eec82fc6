import { numberFlag, SESSION } from '../args/flags.js';
import { defineCommand } from '../args/tree.js';

const hold = numberFlag('hold', 'SECONDS', 'how long the drill stays in maintenance before rolling back (default 0)');

/** `hotspare drill RUNBOOK`: failover, verify, hold, rollback in one process. */
export const drill = defineCommand({
  name: 'drill',
  args: { usage: 'RUNBOOK', kind: 'runbook', max: 1 },
  summary: 'failover, verify, --hold SECONDS, rollback: a game day',
  details:
    'A game day in one process: failover, verification, a hold, then rollback. With --sandbox it ends with the traffic served and failed.',
  flags: { ...SESSION, holdSeconds: hold },
  run: async ({ args, flags, io, env }) =>
    (await import('../session/session-command.js')).executeSessionCommand(
      'drill',
      { ...flags, runbook: args[0] },
      io,
      env,
    ),
});
