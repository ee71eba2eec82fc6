// Time to mitigation of each way of bringing up the redirect instance, measured on the sandbox:
// from "go" (the failover starts) until every visitor's request gets the redirect to the maintenance
// site. The sandbox runs at --speed 10 and the wall times are multiplied back to realistic seconds;
// its durations are the model in src/sandbox/timing.ts (printed below), not a real AWS account.
// Median of 3 runs per way. Run `npm run build` first.
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSession } from '../dist/engine/session.js';
import { discoverEnvironment } from '../dist/plan/environment.js';
import { loadRunbook } from '../dist/runbook/load.js';
import { REALISTIC, startSandbox } from '../dist/sandbox/index.js';
import { prepareSpare } from '../dist/steps/prepare-spare.js';

const SPEED = 10;
const RUNS = 3;
const loaded = await loadRunbook('runbooks/sandbox.yaml');
const operator = { confirmStep: async () => 'run', onFailure: async () => 'stop' };
const identity = { user: 'bench', host: 'bench', pid: process.pid };

function get(url) {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, location: res.headers.location }));
    });
    req.on('error', () => resolve({ status: 0 }));
    req.end();
  });
}

/** One failover; resolves with the realistic seconds until every answer is the redirect, or the outcome when it is refused. */
async function measure({ server, faults = [], spare = false }) {
  const runbook = { ...loaded.runbook, redirectServer: { ...loaded.runbook.redirectServer, server } };
  const sandbox = await startSandbox(runbook, { speed: SPEED, faults });
  try {
    if (spare) {
      const env = await discoverEnvironment(sandbox.runbook, sandbox.ports);
      await prepareSpare({ runbook: sandbox.runbook, env, ports: sandbox.ports, pollIntervalMs: 20, timeoutMs: 60_000, progress: () => undefined });
    }
    const session = await openSession({
      loaded: { ...loaded, runbook },
      runbook: sandbox.runbook,
      ports: sandbox.ports,
      mode: 'sandbox',
      journalDir: mkdtempSync(join(tmpdir(), 'hotspare-ttm-')),
      emit: () => undefined,
      operator,
      identity,
      pollIntervalMs: sandbox.pollIntervalMs,
      healthyTimeoutMs: sandbox.healthyTimeoutMs,
    });
    const answers = [];
    let probing = true;
    const probe = (async () => {
      while (probing) answers.push({ at: performance.now(), ...(await get(sandbox.runbook.site.url)) });
    })();
    const go = performance.now();
    const outcome = await session.failover().catch((error) => `refused: ${error.code ?? error.message}`);
    probing = false;
    await probe;
    if (outcome !== 'failed-over') return { outcome };
    const redirected = (a) => a.status === 302 && a.location === sandbox.runbook.maintenance.url;
    const lastOther = answers.findLastIndex((a) => !redirected(a));
    const first = answers[lastOther + 1];
    if (first === undefined) return { outcome: 'not mitigated when the failover ended' };
    return { outcome, seconds: ((first.at - go) / 1000) * SPEED };
  } finally {
    await sandbox.stop();
  }
}

const WAYS = [
  ['launch, install nginx at boot (needs a way out)', { server: 'nginx' }],
  ['launch, builtin server (python3, nothing installed)', { server: 'builtin' }],
  ['start a spare prepared ahead (hotspare prepare)', { server: 'builtin', spare: true }],
  ['launch, install nginx, subnet with no way out', { server: 'nginx', faults: ['no-route-out'] }],
];

console.log(`sandbox model (realistic seconds): boot ${REALISTIC.bootSeconds}, install ${REALISTIC.installSeconds}, start a stopped spare ${REALISTIC.startSeconds}, ` +
  `first health check ${REALISTIC.firstCheckSeconds} after registration, then every ${REALISTIC.healthCheckIntervalSeconds}; measured at --speed ${SPEED}, median of ${RUNS}`);
for (const [label, way] of WAYS) {
  const results = [];
  for (let i = 0; i < RUNS; i++) results.push(await measure(way));
  const seconds = results.filter((r) => r.seconds !== undefined).map((r) => r.seconds).sort((a, b) => a - b);
  const figure = seconds.length === RUNS ? `${seconds[Math.floor(RUNS / 2)].toFixed(1)} s (runs: ${seconds.map((s) => s.toFixed(1)).join(', ')})` : results.map((r) => r.outcome).join('; ');
  console.log(`${label}: ${figure}`);
}
