#!/usr/bin/env node
import module from 'node:module';
import type { Io } from './output/io.js';

// Node 22.1 and later keep V8's compiled code of the bundle between runs (in the OS's temporary
// directory, or NODE_COMPILE_CACHE); Node 20 has no such cache. It must be on before the bundle's
// chunks load, so main is imported after it (docs/performance.md).
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// From here until main returns, the exit code says "did not finish" (see process-guard.ts).
const guard = (await import('./process-guard.js')).installProcessGuard();
const io: Io = {
  stdin: process.stdin,
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};
import('./main.js')
  .then(({ main }) => main(process.argv.slice(2), io, process.env))
  .then(
    (code) => guard.finish(code),
    (error: unknown) => {
      // main reports every error itself; this is the last guard, one line and no stack.
      process.stderr.write(`hotspare: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      guard.finish(1);
    },
  );
