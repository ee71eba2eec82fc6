#!/usr/bin/env node
// Time from spawning `hotspare --sandbox` to its first rendered frame (the header), median of 5 runs.
// Runs the CLI in a pseudo-terminal via `script` (util-linux) when available, so Ink renders as it
// would for a person; otherwise plain pipes (the CLI may then choose its headless printer, and the
// figure is the time to its first output naming the runbook). Run `npm run build` first.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = 5;
const TIMEOUT_MS = 30_000;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The executable entry (bin.js calls main()); main.js in builds where it is the entry itself.
const cli = [join(root, 'dist', 'cli', 'bin.js'), join(root, 'dist', 'cli', 'main.js')].find((p) => existsSync(p)) ?? join(root, 'dist', 'cli', 'main.js');
const ANSI = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007]*\u0007|\u001B[@-Z\\-_]/g;
// The header always starts with the tool's name; the headless printer names it too.
const FIRST_FRAME = /hotspare/;

function hasScript() {
  return spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
}

function command(usePty) {
  const node = JSON.stringify(process.execPath);
  const target = JSON.stringify(cli);
  if (usePty) {
    const inner = `stty cols 100 rows 30 2>/dev/null; exec ${node} ${target} --sandbox`;
    return { file: 'script', args: ['-qfec', inner, '/dev/null'] };
  }
  return { file: process.execPath, args: [cli, '--sandbox'] };
}

function once(usePty) {
  return new Promise((resolve, reject) => {
    const { file, args } = command(usePty);
    const started = process.hrtime.bigint();
    const child = spawn(file, args, { cwd: root, detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '1' } });
    let seen = '';
    let settled = false;
    const finish = (error, ms) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stop(child);
      if (error) reject(error);
      else resolve(ms);
    };
    const timer = setTimeout(() => finish(new Error(`no frame within ${TIMEOUT_MS} ms; output so far:\n${seen.slice(-500)}`)), TIMEOUT_MS);
    child.stdout.on('data', (chunk) => {
      seen += chunk.toString('utf8');
      if (FIRST_FRAME.test(seen.replace(ANSI, ''))) finish(undefined, Number(process.hrtime.bigint() - started) / 1e6);
    });
    child.on('error', (error) => finish(error));
    child.on('exit', (code) => finish(new Error(`exited with ${code} before the first frame; output:\n${seen.slice(-500)}`)));
  });
}

// Quit politely (q), then make sure the whole process group (script, node, sandbox servers) is gone.
function stop(child) {
  try {
    child.stdin.write('q');
    child.stdin.end();
  } catch {
    // Already gone.
  }
  setTimeout(() => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already exited.
    }
  }, 300).unref();
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main() {
  if (!existsSync(cli)) {
    console.error(`${cli} not found: run \`npm run build\` first.`);
    process.exit(2);
  }
  const usePty = hasScript();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    times.push(await once(usePty));
    await new Promise((r) => setTimeout(r, 400));
  }
  console.log(`runs (${usePty ? 'pty via script' : 'pipes'}): ${times.map((t) => Math.round(t)).join(', ')} ms`);
  console.log(`first frame: ${Math.round(median(times))} ms`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
