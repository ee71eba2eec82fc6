#!/usr/bin/env node
import { errorText, main } from './main.js';
import type { Io } from './commands/run.js';

const io: Io = { stdin: process.stdin, out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };
main(process.argv.slice(2), io, process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${errorText(error)}\n`);
    process.exitCode = 1;
  },
);
