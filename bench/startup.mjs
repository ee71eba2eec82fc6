#!/usr/bin/env node
// Start-up of the built CLI (the published `bin`), median of RUNS runs each:
// - `hotspare --help` and `hotspare validate runbooks/*.yaml`: spawn to exit;
// - process start to the first AWS request: `hotspare status runbooks/emergency-mode.yaml` against a
//   local HTTP endpoint (--endpoint-url) that records when the first request arrives, then the
//   process is stopped. The time includes Node's own start (`node -e 0`, printed for reference).
// Run `npm run build` first. Usage: node bench/startup.mjs [runs]
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { BIN, ROOT, conditions, median, ms, requireBuild, sleep, timeCli } from './lib.mjs';

const RUNS = Number(process.argv[2] ?? 9);

const AWS_ENV = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
};
delete AWS_ENV.AWS_PROFILE;
delete AWS_ENV.AWS_ENDPOINT_URL;

async function series(label, fn) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    times.push(await fn());
    await sleep(100);
  }
  console.log(`${label}: ${ms(median(times))} median of ${RUNS} (min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))})`);
  return median(times);
}

async function exitTime(args) {
  const r = await timeCli(args);
  if (r.code !== 0) throw new Error(`hotspare ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.ms;
}

/** Spawn to the first request at a local endpoint; the endpoint answers 503 and the child is killed. */
function firstRequest(args) {
  return new Promise((resolve, reject) => {
    let started = 0n;
    let child;
    const server = createServer((req, res) => {
      const at = process.hrtime.bigint();
      res.writeHead(503, { 'content-type': 'text/xml' }).end('<ErrorResponse><Error><Code>ServiceUnavailable</Code></Error></ErrorResponse>');
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
      child = spawn(process.execPath, [BIN, ...args, '--endpoint-url', endpoint], { cwd: ROOT, env: AWS_ENV, stdio: 'ignore' });
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
});
await series('hotspare --help', () => exitTime(['--help']));
await series('hotspare validate runbooks/*.yaml (5 files)', () =>
  exitTime(['validate', 'runbooks/classic-order.yaml', 'runbooks/dns-failover.yaml', 'runbooks/emergency-mode.yaml', 'runbooks/listener-redirect.yaml', 'runbooks/sandbox.yaml']),
);
await series('process start to the first AWS request (status runbooks/emergency-mode.yaml)', () => firstRequest(['status', 'runbooks/emergency-mode.yaml']));
