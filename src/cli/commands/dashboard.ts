import { SESSION, version } from '../args/flags.js';
import { defineCommand } from '../args/tree.js';

/** `hotspare [RUNBOOK]`: the live dashboard (no command word: the root's default). */
export const dashboard = defineCommand({
  name: '',
  args: { usage: 'RUNBOOK', kind: 'runbook', max: 1 },
  summary: 'the live dashboard (with --sandbox and no RUNBOOK: the bundled drill)',
  details:
    'Opens the live dashboard for RUNBOOK: origin health, probes, the plan; f fails over, b rolls back, ? shows every key. With --sandbox and no RUNBOOK: the bundled drill. Without a terminal (or with --headless / --json) it prints the status once.',
  flags: { ...SESSION, version },
  run: async ({ args, flags, io, env }) =>
    (await import('../session/session-command.js')).executeSessionCommand(
      'dashboard',
      { ...flags, runbook: args[0] },
      io,
      env,
    ),
});
