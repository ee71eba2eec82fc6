import { ALWAYS } from '../args/flags.js';
import { defineCommand } from '../args/tree.js';

/** `hotspare completion bash|zsh`: a static completion script, written from the tree. */
export const completion = defineCommand({
  name: 'completion',
  args: { usage: 'bash|zsh', kind: 'shell', max: 1 },
  summary: 'shell completion, e.g. source <(hotspare completion bash)',
  details:
    "Prints a completion script for bash or zsh: commands, each command's own flags, fault names, runbook files. Add `source <(hotspare completion bash)` to ~/.bashrc, or `source <(hotspare completion zsh)` to ~/.zshrc (after compinit).",
  flags: ALWAYS,
  run: async ({ args, io, root }) => (
    io.out((await import('../args/completion.js')).completionScript(args[0], root)), 0
  ),
});
