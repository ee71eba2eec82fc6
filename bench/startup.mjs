#!/usr/bin/env node
// Start-up of the built CLI (the published `bin`), median of RUNS runs each:
// - `hotspare --help` and `hotspare validate runbooks/*.yaml`: spawn to exit;
// - process start to the first AWS request: `hotspare status runbooks/emergency-mode.yaml` against a
//   local HTTP endpoint (--endpoint-url) that records when the first request arrives, then the
//   process is stopped. The time includes Node's own start (`node -e 0`, printed for reference).
// With --against OTHER_BIN (e.g. another checkout's dist/cli/bin.js; may be given more than once)
// every figure is measured for each, runs interleaved, so a busy machine weighs on all alike. With
// --cpu, `--help` and `validate` are also measured in CPU time (user + system, from bash's `time`): on a machine others are using,
// it varies far less than the wall-clock time.
// Run `npm run build` first. Usage: node bench/startup.mjs [--runs N] [--against OTHER_BIN] [--cpu]
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { BIN, conditions, median, ms, requireBuild, sleep } from './lib.mjs';

const { values: flags } = parseArgs({
  options: { runs: { type: 'string' }, against: { type: 'string', multiple: true }, cpu: { type: 'boolean' } },
});
const RUNS = Number(flags.runs ?? 9);
const BINS = [BIN, ...(flags.against ?? [])];
/** The package root of a bin (dist/cli/bin.js): commands run there, as `npm start` would. */
const rootOf = (bin) => join(dirname(bin), '..', '..');

const AWS_ENV = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
};
delete AWS_ENV.AWS_PROFILE;
delete AWS_ENV.AWS_ENDPOINT_URL;

/** `fn(bin)` RUNS times for each bin, interleaved; one line per bin. */
async function series(label, fn, bins = BINS) {
  const times = bins.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    for (const [b, bin] of bins.entries()) {
      times[b].push(await fn(bin));
      await sleep(100);
    }
  }
  for (const [b, bin] of bins.entries()) {
    const t = times[b];
    const which = bins.length > 1 ? ` [${b === 0 ? 'this build' : bin}]` : '';
    console.log(
      `${label}${which}: ${ms(median(t))} median of ${RUNS} (min ${ms(Math.min(...t))}, max ${ms(Math.max(...t))})`,
    );
  }
}

function exitTime(bin, args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, ...args], { cwd: rootOf(bin), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(Number(process.hrtime.bigint() - started) / 1e6)
        : reject(new Error(`${bin} ${args.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
}

/** User + system CPU milliseconds of one run of the bin, as bash's `time` reports them. */
function cpuTime(bin, args) {
  return new Promise((resolve, reject) => {
    const script = 'TIMEFORMAT="%3U %3S"; { time "$0" "$@" >/dev/null 2>/dev/null; } 2>&1';
    const child = spawn('bash', ['-c', script, process.execPath, bin, ...args], {
      cwd: rootOf(bin),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', () => {
      const [user, sys] = out.trim().split(/\s+/).map(Number);
      Number.isFinite(user) && Number.isFinite(sys)
        ? resolve((user + sys) * 1000)
        : reject(new Error(`no time for ${bin} ${args.join(' ')}: ${out}`));
    });
  });
}

/** Spawn to the first request at a local endpoint; the endpoint answers 503 and the child is killed. */
function firstRequest(bin, args) {
  return new Promise((resolve, reject) => {
    let started = 0n;
    let child;
    const server = createServer((_req, res) => {
      const at = process.hrtime.bigint();
      res
        .writeHead(503, { 'content-type': 'text/xml' })
        .end('<ErrorResponse><Error><Code>ServiceUnavailable</Code></Error></ErrorResponse>');
      if (started === 0n) return;
      const took = Number(at - started) / 1e6;
      started = 0n;
      child.kill('SIGKILL');
      server.close();
      server.closeAllConnections();
      resolve(took);
    });
    server.listen(0, '127.0.0.1', () => {
      const endpoint = `http://127.0.0.1:${server.address().port}`;
      started = process.hrtime.bigint();
      child = spawn(process.execPath, [bin, ...args, '--endpoint-url', endpoint], {
        cwd: rootOf(bin),
        env: AWS_ENV,
        stdio: 'ignore',
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        if (started !== 0n) {
          server.close();
          reject(new Error(`exited (${code ?? signal}) before any AWS request`));
        }
      });
    });
  });
}

requireBuild();
console.log(`conditions: ${await conditions()}`);
await series('node -e 0 (for reference)', async () => {
  const t = process.hrtime.bigint();
  await new Promise((r) => spawn(process.execPath, ['-e', '0']).on('exit', r));
  return Number(process.hrtime.bigint() - t) / 1e6;
}, [BIN]);
await series('hotspare --help', (bin) => exitTime(bin, ['--help']));
const VALIDATE = [
  'validate',
  'runbooks/classic-order.yaml',
  'runbooks/dns-failover.yaml',
  'runbooks/emergency-mode.yaml',
  'runbooks/listener-redirect.yaml',
  'runbooks/sandbox.yaml',
];
await series('hotspare validate runbooks/*.yaml (5 files)', (bin) => exitTime(bin, VALIDATE));
if (flags.cpu) {
  await series('hotspare --help, CPU time', (bin) => cpuTime(bin, ['--help']));
  await series('hotspare validate runbooks/*.yaml (5 files), CPU time', (bin) => cpuTime(bin, VALIDATE));
}
await series('process start to the first AWS request (status runbooks/emergency-mode.yaml)', (bin) =>
  firstRequest(bin, ['status', 'runbooks/emergency-mode.yaml']),
);
