// The dashboard with 10, 100 and 1000 targets, in the sandbox and on moto: API requests per refresh
// (counted where they are sent: at an HTTP proxy in front of moto, at the ports in the sandbox),
// CPU ms per refresh (the reads, both probes, the store and the frame), the time from a `targets`
// event to its frame (React's render and commit, the layout, ink's output), and the peak RSS (of
// this process under tsx, and of the built CLI's dashboard on moto). Each size runs in a process of its own. Then, on moto, a
// failover and rollback of the emergency runbook's steps with 1000 web servers: the requests of
// each operation (DeregisterTargets and RegisterTargets take every target in one call).
// Run with tsx (React in its production build, as in the bundle):
//   npx tsx bench/scale.ts [--sizes 10,100,1000] [--where sandbox,moto] [--refreshes 10] [--no-run]
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countingProxy } from './counting-proxy.js';

process.env['NODE_ENV'] ??= 'production';

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string' },
    where: { type: 'string' },
    refreshes: { type: 'string' },
    child: { type: 'string' },
    n: { type: 'string' },
    'no-run': { type: 'boolean' },
  },
});
const REFRESHES = Number(flags.refreshes ?? 10);

interface Result {
  readonly where: string;
  readonly n: number;
  readonly perRefresh: Record<string, number>;
  readonly cpuMs: number;
  readonly renderMs: number;
  readonly frameMs: number;
  readonly peakRssMb: number;
  readonly run?: Record<string, number> | undefined;
  /** The built CLI's dashboard on this account, in a pseudo-terminal: its peak RSS once every target is shown. */
  readonly cliPeakRssMb?: number | undefined;
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function localSite(): Promise<{ siteUrl: string; maintenanceUrl: string; close(): void }> {
  const maintenance = createServer((_, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end("<h1>We'll be right back</h1>"),
  );
  const site = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>shop</h1>'));
  const listen = async (s: Server): Promise<string> => {
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}/`;
  };
  return {
    siteUrl: await listen(site),
    maintenanceUrl: await listen(maintenance),
    close: () => (site.close(), maintenance.close()),
  };
}

/** Whatever `child` started (moto, servers, the sandbox), stopped even when it fails. */
const cleanup: (() => unknown)[] = [];

/** One size in this process: build the world, open the session and the dashboard, refresh REFRESHES times. */
async function child(where: string, n: number): Promise<Result> {
  const { createSharedReads } = await import('../src/engine/shared-reads.js');
  const { openSession } = await import('../src/engine/session.js');
  const { startMonitor } = await import('../src/engine/monitor.js');
  const { automaticOperator } = await import('../src/engine/operator.js');
  const { createAppStore } = await import('../src/store/index.js');
  const { StoreProvider } = await import('../src/store/context.js');
  const { App } = await import('../src/ui/App.js');
  const { render } = await import('ink');
  const { createElement } = await import('react');
  const { loadRunbook } = await import('../src/runbook/load.js');
  const { systemClock } = await import('../src/domain/clock.js');
  const { createHttpProbe } = await import('../src/probe/http-probe.js');

  let moto: { endpoint: string; stop(): Promise<void> } | undefined;
  let ports;
  let runbook;
  let loaded;
  let count: () => Record<string, number>;
  if (where === 'sandbox') {
    const { startSandbox } = await import('../src/sandbox/index.js');
    loaded = await loadRunbook('runbooks/sandbox.yaml');
    const sandbox = await startSandbox(loaded.runbook, { webServers: n, speed: 1 });
    cleanup.push(() => sandbox.stop());
    await sandbox.maintenanceReady;
    ports = sandbox.ports;
    runbook = sandbox.runbook;
    count = () => ({});
  } else {
    const { startMoto, useFakeAwsCredentials } = await import('../test/helpers/moto.js');
    const { buildFixture, fixtureClients, FIXTURE_REGION } = await import('../test/aws/fixture.js');
    const { createAwsPorts } = await import('../src/aws/index.js');
    useFakeAwsCredentials();
    moto = await startMoto();
    cleanup.push(() => moto!.stop());
    const site = await localSite();
    cleanup.push(() => site.close());
    const fixture = await buildFixture(fixtureClients(moto!.endpoint), {
      webServers: n,
      siteUrl: site.siteUrl,
      maintenanceUrl: site.maintenanceUrl,
      server: 'builtin',
      steps: ['launch-redirect', 'register-redirect', 'wait-redirect-healthy', 'deregister-web', 'verify-maintenance'],
    });
    const proxy = await countingProxy(moto!.endpoint);
    cleanup.push(() => proxy.close());
    ports = {
      ...createAwsPorts({ region: FIXTURE_REGION, endpointUrl: proxy.endpoint }),
      probe: createHttpProbe(),
      clock: systemClock,
    };
    runbook = fixture.runbook;
    loaded = { file: 'fixture', sha256: 'fixture', runbook };
    count = () => Object.fromEntries(proxy.counts);
  }

  const shared = createSharedReads(ports);
  const store = createAppStore({
    runbook: runbook.name,
    mode: where === 'sandbox' ? 'sandbox' : 'live',
    region: runbook.region,
    color: true,
  });
  let renderStarted = 0;
  const renderTimes: number[] = [];
  const frameTimes: number[] = [];
  const dispatch = store.getState().dispatch;
  const emit = (e: Parameters<typeof dispatch>[0]): void => {
    if (e.type !== 'targets') return dispatch(e);
    renderStarted = performance.now();
    dispatch(e);
  };
  const session = await openSession({
    loaded,
    runbook,
    ports: shared.ports,
    mode: where === 'sandbox' ? 'sandbox' : 'live',
    journalDir: mkdtempSync(join(tmpdir(), 'hotspare-scale-')),
    emit,
    operator: automaticOperator(),
    identity: { user: 'bench', host: 'bench', pid: process.pid },
  });
  const stdout = Object.assign(
    new Writable({
      write(_chunk, _encoding, done) {
        done();
      },
    }),
    { columns: 120, rows: 40, isTTY: true },
  ) as unknown as NodeJS.WriteStream;
  const app = render(
    createElement(
      StoreProvider,
      { store },
      createElement(App, {
        session,
        command: 'dashboard',
        yes: false,
        commandOptions: { dryRun: false, holdSeconds: 0, clock: systemClock, log: () => undefined },
        onExit: () => undefined,
      }),
    ),
    {
      stdout,
      stdin: Object.assign(new (await import('node:stream')).PassThrough(), {
        isTTY: true,
        setRawMode: () => undefined,
        ref: () => undefined,
        unref: () => undefined,
      }) as unknown as NodeJS.ReadStream,
      patchConsole: false,
      exitOnCtrlC: false,
      maxFps: 1000,
      // Called once ink has the frame (after React's commit and the layout); an unchanged frame is not written, so the write is no clock.
      onRender: ({ renderTime }) => {
        renderTimes.push(renderTime);
        if (renderStarted > 0) frameTimes.push(performance.now() - renderStarted);
        renderStarted = 0;
      },
    },
  );
  // What the dashboard sends when no step polls: target health and the listener every refresh, instances once a minute.
  const monitor = startMonitor({
    ports: shared.readerPorts({ maxAgeMs: 0, instanceMaxAgeMs: 60_000 }),
    runbook,
    env: session.env,
    emit,
    intervalMs: 3_600_000,
  });
  await monitor.refresh();
  await sleep(200);
  const before = count();
  const sentBefore = { ...shared.sent };
  const cpu: number[] = [];
  frameTimes.length = 0;
  renderTimes.length = 0;
  for (let i = 0; i < REFRESHES; i++) {
    const c0 = process.cpuUsage();
    await monitor.refresh();
    await new Promise((r) => setImmediate(r));
    const c1 = process.cpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1000);
    await sleep(100);
  }
  const after = count();
  const perRefresh: Record<string, number> = {};
  const source = where === 'moto' ? [after, before] : [shared.sent, sentBefore];
  for (const [op, v] of Object.entries(source[0]!)) {
    const d = (v - ((source[1] as Record<string, number>)[op] ?? 0)) / REFRESHES;
    if (d > 0) perRefresh[op] = d;
  }
  monitor.stop();
  app.unmount();
  let run: Record<string, number> | undefined;
  let cliPeakRssMb: number | undefined;
  if (where === 'moto') cliPeakRssMb = await cliDashboardRss(runbook, moto!.endpoint, n);
  if (where === 'moto' && n === 1000 && flags['no-run'] !== true) run = await failoverAndBack(session, count);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  return {
    where,
    n,
    perRefresh,
    cpuMs: median(cpu),
    renderMs: median(renderTimes),
    frameMs: median(frameTimes),
    peakRssMb,
    run,
    cliPeakRssMb,
  };
}

/** Peak RSS (VmHWM) of the built CLI's dashboard for this runbook, read once it shows every target healthy. */
async function cliDashboardRss(runbook: object, endpoint: string, n: number): Promise<number | undefined> {
  const { stringify } = await import('yaml');
  const { writeFileSync, readFileSync } = await import('node:fs');
  const { spawn } = await import('node:child_process');
  const { motoChildEnv } = await import('../test/helpers/moto.js');
  const file = join(mkdtempSync(join(tmpdir(), 'hotspare-scale-cli-')), 'runbook.yaml');
  const doc = runbook as { steps: { type: string }[] };
  writeFileSync(file, stringify({ ...doc, steps: doc.steps.map((st) => st.type) }));
  const inner = `stty cols 120 rows 40 2>/dev/null; exec ${process.execPath} dist/cli/bin.js ${file} --endpoint-url ${endpoint} --journal-dir ${join(tmpdir(), `hotspare-scale-j-${process.pid}`)}`;
  const child = spawn('script', ['-qfec', inner, '/dev/null'], {
    env: { ...motoChildEnv(), FORCE_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  let seen = '';
  child.stdout.on('data', (c: Buffer) => (seen += c.toString()));
  const shown = new RegExp(`Targets ${n}/${n} healthy`);
  const deadline = Date.now() + 60_000;
  while (!shown.test(seen.replace(/\u001B\[[0-?]*[ -/]*[@-~]/g, '')) && Date.now() < deadline) await sleep(200);
  await sleep(3000);
  let rss: number | undefined;
  try {
    const node = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0];
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${node}/status`, 'utf8'))?.[1];
    rss = hwm === undefined ? undefined : Number(hwm) / 1024;
  } catch {
    rss = undefined;
  }
  child.stdin.write('q');
  await sleep(500);
  child.kill('SIGKILL');
  return rss;
}

/** The emergency steps on moto (targets healthy at once there), failover then rollback: requests by operation. */
async function failoverAndBack(
  session: { failover(): Promise<unknown>; rollback(): Promise<unknown> },
  count: () => Record<string, number>,
): Promise<Record<string, number>> {
  const before = count();
  await session.failover();
  await session.rollback();
  const after = count();
  const pick = [
    'DeregisterTargets',
    'RegisterTargets',
    'DescribeTargetHealth',
    'DescribeInstances',
    'RunInstances',
    'TerminateInstances',
  ];
  return Object.fromEntries(pick.map((op) => [op, (after[op] ?? 0) - (before[op] ?? 0)]));
}

function fmt(r: Result): string {
  const calls = Object.entries(r.perRefresh)
    .map(([op, v]) => `${op} ${Number.isInteger(v) ? v : v.toFixed(1)}`)
    .join(', ');
  const run =
    r.run === undefined
      ? ''
      : `\n    failover + rollback with ${r.n} web servers: ${Object.entries(r.run)
          .map(([op, v]) => `${op} ${v}`)
          .join(', ')}`;
  const cli =
    r.cliPeakRssMb === undefined ? '' : `; the built CLI's dashboard: peak RSS ${Math.round(r.cliPeakRssMb)} MB`;
  return `  ${r.where.padEnd(7)} ${String(r.n).padStart(4)} targets: per refresh ${calls || 'none'}; CPU ${r.cpuMs.toFixed(1)} ms/refresh; frame ${r.frameMs.toFixed(1)} ms from the event (of which ink's output ${r.renderMs.toFixed(1)} ms); peak RSS ${Math.round(r.peakRssMb)} MB (in-process, under tsx)${cli}${run}`;
}

if (flags.child !== undefined) {
  try {
    const result = await child(flags.child, Number(flags.n));
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    for (const c of cleanup.reverse()) await c();
  }
  process.exit(0);
} else {
  const sizes = (flags.sizes ?? '10,100,1000').split(',').map(Number);
  const wheres = (flags.where ?? 'sandbox,moto').split(',');
  console.log(
    `load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${REFRESHES} refreshes each, medians; in-process under tsx (React production build)`,
  );
  for (const where of wheres) {
    for (const n of sizes) {
      const args = [
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        '--child',
        where,
        '--n',
        String(n),
        '--refreshes',
        String(REFRESHES),
        ...(flags['no-run'] === true ? ['--no-run'] : []),
      ];
      const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
      const line = r.stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .at(-1);
      if (r.status !== 0 || line === undefined) {
        console.log(`  ${where} ${n}: failed (exit ${r.status}): ${r.stderr.slice(-800)}`);
        continue;
      }
      console.log(fmt(JSON.parse(line) as Result));
    }
  }
}
