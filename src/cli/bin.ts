#!/usr/bin/env node
import { main } from './main.js';
import type { Io } from './commands/run.js';

const io: Io = { stdin: process.stdin, out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };
main(process.argv.slice(2), io, process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // main reports every error itself; this is the last guard, one line and no stack.
    process.stderr.write(`hotspare: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
