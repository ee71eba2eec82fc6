import { ALWAYS } from '../args/flags.js';
import { helpForWords } from '../args/help.js';
import { defineCommand } from '../args/tree.js';

/** `hotspare help [COMMAND]`: the overview, or one command's help. */
export const help = defineCommand({
  name: 'help',
  args: { usage: '[COMMAND]', kind: 'command', max: 2 },
  summary: "this help, or one command's flags and details",
  details:
    'Prints the overview, or the usage, details and flags of one command (`hotspare help site publish` for a site command).',
  flags: ALWAYS,
  run: async ({ args, io, root }) => (io.out(helpForWords(args, root)), 0),
});
