#!/usr/bin/env node
// Time to mitigation of every shipped runbook, on the sandbox, beside its physical limit.
//
// For each runbooks/*.yaml: a sandbox shaped like the runbook's account, the failover started
// ("go"), and a visitor asking for the site every 20 ms of wall time (resolved like a visitor's
// DNS, so a DNS failover counts). Measured: the seconds from go until every answer is the
// maintenance answer (the redirect to the maintenance URL, or its page with the marker), and the
// failed answers on the way (connection errors and 5xx). Then the same for the rollback: from its
// go until every answer is the site again. Wall times are multiplied by --speed back to realistic
// seconds; the sandbox's durations are the model in src/sandbox/timing.ts (printed first), not a
// real account. The physical limit is what AWS itself takes in that model: the instance's boot
// (and install) plus the first health check; one ModifyListener (0 s); Route 53 propagation (the
// sandbox's resolvers keep no TTL: on AWS add the old record's TTL). Overhead = measured - limit.
//
// --ways also times each way of bringing up the redirect instance (install at boot, builtin,
// prepared spare, no way out). Run `npm run build` first.
// Usage: node bench/time-to-mitigation.mjs [--speed N] [--runs N] [--only NAME] [--ways]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { automaticOperator } from '../dist/engine/operator.js';
import { openSession } from '../dist/engine/session.js';
import { createSharedReads } from '../dist/engine/shared-reads.js';
import { discoverEnvironment } from '../dist/plan/environment.js';
import { loadRunbook } from '../dist/runbook/load.js';
import { REALISTIC, startSandbox } from '../dist/sandbox/index.js';
import { prepareSpare } from '../dist/steps/prepare-spare.js';
import { conditions, median, sleep } from './lib.mjs';

const { values: flags } = parseArgs({
  options: { speed: { type: 'string' }, runs: { type: 'string' }, only: { type: 'string' }, ways: { type: 'boolean' } },
});
const SPEED = Number(flags.speed ?? 1);
const RUNS = Number(flags.runs ?? 3);
const RUNBOOKS = ['emergency-mode', 'sandbox', 'classic-order', 'listener-redirect', 'dns-failover'].filter(
  (n) => flags.only === undefined || n === flags.only,
);
const PROBE_EVERY_MS = 20;

const operator = automaticOperator('stop');
const identity = { user: 'bench', host: 'bench', pid: process.pid };

/** Realistic seconds AWS itself needs in the sandbox's model, failover and rollback. */
function physicalLimit(runbook) {
  const types = new Set(runbook.steps.map((s) => (typeof s === 'string' ? s : s.type)));
  if (types.has('launch-redirect')) {
    const installs =
      (runbook.redirectServer?.server ?? 'builtin') !== 'builtin' && runbook.redirectServer?.preinstalled !== true;
    const boot =
      runbook.redirectServer?.bootSeconds ?? REALISTIC.bootSeconds + (installs ? REALISTIC.installSeconds : 0);
    return {
      failover: boot + REALISTIC.firstCheckSeconds,
      failoverWhat: `boot${installs ? ' and install' : ''} ${boot} s + first health check ${REALISTIC.firstCheckSeconds} s`,
      rollback: REALISTIC.firstCheckSeconds,
      rollbackWhat: `first health check of the web servers ${REALISTIC.firstCheckSeconds} s`,
    };
  }
  if (types.has('dns-failover')) {
    const what = `Route 53 propagation ${REALISTIC.dnsPropagationSeconds} s (+ TTL ${runbook.dns?.ttl ?? '?'} s on AWS)`;
    return {
      failover: REALISTIC.dnsPropagationSeconds,
      failoverWhat: what,
      rollback: REALISTIC.dnsPropagationSeconds,
      rollbackWhat: what,
    };
  }
  return { failover: 0, failoverWhat: 'one ModifyListener', rollback: 0, rollbackWhat: 'one ModifyListener' };
}

/** One visitor, asking every PROBE_EVERY_MS until stopped; answers classified as they come. */
function visitor(sandbox) {
  const { site, maintenance } = sandbox.runbook;
  const answers = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const at = performance.now();
      const r = await sandbox.ports.probe.check({ url: site.url, expectText: maintenance.expectText, timeoutMs: 5000 });
      const redirected = r.status >= 300 && r.status < 400 && r.location === maintenance.url;
      const kind =
        redirected || (r.status === 200 && r.markerFound === true)
          ? 'maintenance'
          : r.status === undefined || r.status >= 500
            ? 'failed'
            : 'site';
      answers.push({ at, kind });
      await sleep(Math.max(0, PROBE_EVERY_MS - (performance.now() - at)));
    }
  })();
  return {
    /** Realistic seconds from `go` until every answer is `kind`, and the failed answers after `go`. */
    async until(kind, go, settleMs) {
      await sleep(settleMs);
      running = false;
      await done;
      const after = answers.filter((a) => a.at >= go);
      const lastOther = after.findLastIndex((a) => a.kind !== kind);
      const first = after[lastOther + 1];
      const failed = after.filter((a) => a.kind === 'failed').length;
      return {
        seconds: first === undefined ? undefined : ((first.at - go) / 1000) * SPEED,
        failed,
        total: after.length,
      };
    },
  };
}

async function measure(name) {
  const loaded = await loadRunbook(`runbooks/${name}.yaml`);
  const sandbox = await startSandbox(loaded.runbook, { speed: SPEED });
  try {
    await sandbox.maintenanceReady;
    const shared = createSharedReads(sandbox.ports);
    const journalDir = mkdtempSync(join(tmpdir(), 'hotspare-ttm-'));
    const session = await openSession({
      loaded,
      runbook: sandbox.runbook,
      ports: shared.ports,
      mode: 'sandbox',
      journalDir,
      emit: () => undefined,
      operator,
      identity,
      pollIntervalMs: sandbox.pollIntervalMs,
      healthyTimeoutMs: sandbox.healthyTimeoutMs,
    });
    // Answers keep being read a little after each command ends, so a late failure would count.
    const settle = 2000 / SPEED;
    let probe = visitor(sandbox);
    await sleep(200);
    let go = performance.now();
    const outcome = await session.failover();
    const failover = { outcome, ...(await probe.until('maintenance', go, settle)) };
    probe = visitor(sandbox);
    await sleep(200);
    go = performance.now();
    const back = await session.rollback();
    const rollback = { outcome: back, ...(await probe.until('site', go, settle)) };
    return { failover, rollback };
  } finally {
    await sandbox.stop();
  }
}

function figure(results, limit, what) {
  const seconds = results.map((r) => r.seconds).filter((s) => s !== undefined);
  const outcomes = [...new Set(results.map((r) => r.outcome))].join('/');
  if (seconds.length < results.length)
    return `not reached in ${results.length - seconds.length} of ${results.length} runs (${outcomes})`;
  const m = median(seconds);
  const failed = results.map((r) => `${r.failed}/${r.total}`).join(', ');
  return `${m.toFixed(1)} s (runs ${seconds.map((s) => s.toFixed(1)).join(', ')}); limit ${limit.toFixed(1)} s (${what}); overhead ${(m - limit).toFixed(1)} s; failed requests ${failed}`;
}

console.log(`conditions: ${await conditions()}; --speed ${SPEED}, ${RUNS} runs each, median`);
console.log(
  `sandbox model (realistic s): boot ${REALISTIC.bootSeconds}, install ${REALISTIC.installSeconds}, first health check ${REALISTIC.firstCheckSeconds} after registration then every ${REALISTIC.healthCheckIntervalSeconds}, Route 53 INSYNC ${REALISTIC.dnsPropagationSeconds}, polling every ${REALISTIC.pollSeconds}`,
);
for (const name of RUNBOOKS) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure(name));
  const limit = physicalLimit((await loadRunbook(`runbooks/${name}.yaml`)).runbook);
  console.log(`${name}`);
  console.log(
    `  failover: ${figure(
      runs.map((r) => r.failover),
      limit.failover,
      limit.failoverWhat,
    )}`,
  );
  console.log(
    `  rollback: ${figure(
      runs.map((r) => r.rollback),
      limit.rollback,
      limit.rollbackWhat,
    )}`,
  );
}

if (flags.ways) await ways();

/** Each way of bringing up the redirect instance, on the sandbox's own runbook (failover only). */
async function ways() {
  const loaded = await loadRunbook('runbooks/sandbox.yaml');
  const WAYS = [
    ['launch, install nginx at boot (needs a way out)', { server: 'nginx' }],
    ['launch, builtin server (python3, nothing installed)', { server: 'builtin' }],
    ['start a spare prepared ahead (hotspare prepare)', { server: 'builtin', spare: true }],
    ['launch, install nginx, subnet with no way out', { server: 'nginx', faults: ['no-route-out'] }],
  ];
  for (const [label, way] of WAYS) {
    const results = [];
    for (let i = 0; i < RUNS; i++) results.push(await wayOnce(loaded, way));
    const seconds = results.filter((r) => r.seconds !== undefined).map((r) => r.seconds);
    console.log(
      `${label}: ${seconds.length === RUNS ? `${median(seconds).toFixed(1)} s (runs: ${seconds.map((s) => s.toFixed(1)).join(', ')})` : results.map((r) => r.outcome).join('; ')}`,
    );
  }
}

async function wayOnce(loaded, { server, faults = [], spare = false }) {
  const runbook = { ...loaded.runbook, redirectServer: { ...loaded.runbook.redirectServer, server } };
  const sandbox = await startSandbox(runbook, { speed: SPEED, faults });
  try {
    if (spare) {
      const env = await discoverEnvironment(sandbox.runbook, sandbox.ports);
      await prepareSpare({
        runbook: sandbox.runbook,
        env,
        ports: sandbox.ports,
        pollIntervalMs: 20,
        timeoutMs: 600_000,
        progress: () => undefined,
      });
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
    const probe = visitor(sandbox);
    const go = performance.now();
    const outcome = await session.failover().catch((error) => `refused: ${error.code ?? error.message}`);
    const measured = await probe.until('maintenance', go, 0);
    return outcome === 'failed-over' ? { outcome, ...measured } : { outcome };
  } finally {
    await sandbox.stop();
  }
}
