#!/usr/bin/env node
// How long `npm start` takes before hotspare runs, in a copy of the project (so the repository's
// own dist/ is never rebuilt under other work): with the bundle up to date, after one source file
// changed, and the way it was before (`npm run build` on every start: tsc, then the bundle).
// Each `npm start -- --version` is timed from spawn to exit; --version itself takes ~0.1 s.
//   node bench/start.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conditions, median, ms, ROOT } from './lib.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 5) || 5;

const copy = mkdtempSync(join(tmpdir(), 'hotspare-bench-start-'));
for (const part of [
  'src',
  'scripts',
  'runbooks',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
]) {
  cpSync(join(ROOT, part), join(copy, part), { recursive: true, preserveTimestamps: true });
}
symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
mkdirSync(join(copy, 'dist', 'cli'), { recursive: true });

function timed(command, args) {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, {
    cwd: copy,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const start = () => timed('npm', ['start', '--silent', '--', '--version']);
const touch = () => {
  const later = new Date(Date.now() + 1000);
  utimesSync(join(copy, 'src', 'ui', 'format.ts'), later, later);
};

try {
  console.log(`npm start before the CLI runs (${runs} runs each, medians; ${await conditions()})`);
  start(); // the first bundle
  const upToDate = Array.from({ length: runs }, start);
  const changed = Array.from({ length: runs }, () => (touch(), start()));
  const before = Array.from(
    { length: Math.min(runs, 3) },
    () => timed('npm', ['run', 'build', '--silent']) + timed('node', ['dist/cli/bin.js', '--version']),
  );
  console.log(`  sources unchanged (no build):          ${ms(median(upToDate))}`);
  console.log(`  one source changed (bundle only):      ${ms(median(changed))}`);
  console.log(`  before: npm run build on every start:  ${ms(median(before))} (median of ${before.length})`);
} finally {
  rmSync(copy, { recursive: true, force: true });
}
