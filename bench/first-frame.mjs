#!/usr/bin/env node
// Time from spawning `hotspare --sandbox` to what the operator sees, median of RUNS runs:
// - first output: the line saying which runbook is being opened;
// - first frame: the dashboard's header (`hotspare sandbox-drill  SANDBOX`);
// - first complete frame: every target with its state (`Targets web 3/3 healthy`), and both probes
//   answered (`site 200`, `maintenance 200 … marker`);
// - the process's peak RSS (VmHWM) 3 s later, with the drill's traffic running.
// Runs the CLI in a pseudo-terminal via `script` (util-linux), so Ink renders as it would for a
// person. With --against OTHER_BIN (another checkout's dist/cli/bin.js) both are measured, runs
// interleaved. Run `npm run build` first. Usage: node bench/first-frame.mjs [runs] [--against OTHER_BIN]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 7);
const AGAINST = process.argv.includes('--against') ? process.argv[process.argv.indexOf('--against') + 1] : undefined;
const TIMEOUT_MS = 30_000;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The executable entry (bin.js calls main()); main.js in builds where it is the entry itself.
const cli =
  [join(root, 'dist', 'cli', 'bin.js'), join(root, 'dist', 'cli', 'main.js')].find((p) => existsSync(p)) ??
  join(root, 'dist', 'cli', 'main.js');
const ANSI = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007]*\u0007|\u001B[@-Z\\-_]/g;
const FIRST_OUTPUT = /hotspare/;
const FIRST_FRAME = /hotspare \S+ +SANDBOX/;
const COMPLETE = [/Targets (?:web )?([1-9]\d*)\/\1 healthy/, /site +\d{3} /, /maintenance +\d{3} .*marker/];

function hasScript() {
  return spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
}

function command(usePty, bin = cli) {
  const node = JSON.stringify(process.execPath);
  const target = JSON.stringify(bin);
  if (usePty) {
    const inner = `stty cols 100 rows 30 2>/dev/null; exec ${node} ${target} --sandbox`;
    return { file: 'script', args: ['-qfec', inner, '/dev/null'] };
  }
  return { file: process.execPath, args: [cli, '--sandbox'] };
}

function once(usePty, bin) {
  return new Promise((resolve, reject) => {
    const { file, args } = command(usePty, bin);
    const started = process.hrtime.bigint();
    const child = spawn(file, args, {
      cwd: join(dirname(bin ?? cli), '..', '..'),
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '1' },
    });
    let seen = '';
    let settled = false;
    const marks = {};
    const finish = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stop(child);
      if (error) reject(error);
      else resolve(marks);
    };
    const timer = setTimeout(
      () => finish(new Error(`no complete frame within ${TIMEOUT_MS} ms; output so far:\n${seen.slice(-500)}`)),
      TIMEOUT_MS,
    );
    child.stdout.on('data', (chunk) => {
      const at = Number(process.hrtime.bigint() - started) / 1e6;
      seen += chunk.toString('utf8');
      const text = seen.replace(ANSI, '');
      if (marks.output === undefined && FIRST_OUTPUT.test(text)) marks.output = at;
      if (marks.frame === undefined && FIRST_FRAME.test(text)) marks.frame = at;
      if (marks.frame !== undefined && marks.complete === undefined && COMPLETE.every((re) => re.test(text))) {
        marks.complete = at;
        // The dashboard's peak RSS, a few seconds into the drill's traffic.
        setTimeout(() => {
          marks.rssMb = peakRssMb(child.pid);
          finish();
        }, 3000);
      }
    });
    child.on('error', (error) => finish(error));
    child.on('exit', (code) =>
      finish(new Error(`exited with ${code} before the first complete frame; output:\n${seen.slice(-500)}`)),
    );
  });
}

/** VmHWM of the node process `script` runs (its only child), in MB. */
function peakRssMb(scriptPid) {
  try {
    const node = readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').trim().split(/\s+/)[0];
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${node}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
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
  if (!usePty) throw new Error('`script` (util-linux) is needed to run the dashboard in a pseudo-terminal.');
  const bins = AGAINST === undefined ? [cli] : [cli, AGAINST];
  const runs = bins.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    for (const [b, bin] of bins.entries()) {
      runs[b].push(await once(usePty, bin));
      await new Promise((r) => setTimeout(r, 400));
    }
  }
  const { loadavg } = await import('node:os');
  console.log(
    `load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; pty via script; median of ${RUNS}${bins.length > 1 ? ', runs interleaved' : ''}`,
  );
  for (const [b, bin] of bins.entries()) {
    const r = runs[b];
    const which = bins.length > 1 ? ` [${b === 0 ? 'this build' : bin}]` : '';
    const m = (key) => Math.round(median(r.map((x) => x[key])));
    const rss = r.map((x) => x.rssMb).filter((v) => v !== undefined);
    console.log(
      `dashboard${which}: first output ${m('output')} ms, first frame ${m('frame')} ms, first complete frame ${m('complete')} ms` +
        (rss.length > 0 ? `, peak RSS ${Math.round(median(rss))} MB (max ${Math.round(Math.max(...rss))})` : ''),
    );
    console.log(
      `  runs (output/frame/complete ms): ${r.map((x) => `${Math.round(x.output)}/${Math.round(x.frame)}/${Math.round(x.complete)}`).join(', ')}`,
    );
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
