// Helpers shared by the bench scripts: medians, the built CLI, timed child processes.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The executable the package publishes (`bin` in package.json). */
export const BIN = join(ROOT, 'dist', 'cli', 'bin.js');

export function requireBuild() {
  if (!existsSync(BIN)) {
    console.error(`${BIN} not found: run \`npm run build\` first.`);
    process.exit(2);
  }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const ms = (v) => `${Math.round(v)} ms`;

/** Runs the CLI to its exit; resolves with the wall time in ms (spawn to exit), stdout and the exit code. */
export function timeCli(args, { env = process.env, cwd = ROOT } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, stdout, stderr }));
  });
}

/** The machine's load, printed with every figure: the benches share 2 cores with other work. */
export async function conditions() {
  const { loadavg, cpus } = await import('node:os');
  return `${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, node ${process.version}`;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
