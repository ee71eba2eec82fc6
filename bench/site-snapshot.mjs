// A snapshot of the sandbox's shop (`hotspare site snapshot --sandbox`): pages per second of the
// snapshot itself (crawl over local HTTP, rewrite, write) and its size, median of 5 runs; then the
// wall time of the whole periodic job, `hotspare site refresh runbooks/sandbox.yaml --sandbox`
// (process start, sandbox start, snapshot, check, publish to the simulated bucket, exit), median
// of 5. Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(process.cwd(), 'dist/cli/bin.js');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function run(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`hotspare ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  return { ms, json: JSON.parse(r.stdout) };
}

const snapshots = [];
for (let i = 0; i < 5; i++) {
  const out = join(mkdtempSync(join(tmpdir(), 'hotspare-bench-site-')), 'copy');
  snapshots.push(
    run(['site', 'snapshot', '--sandbox', '--out', out, '--dynamic', '/search', '--dynamic', '/account', '--json'])
      .json,
  );
}
const first = snapshots[0];
console.log(
  `snapshot runs: ${snapshots.map((s) => `${s.pagesPerSecond.toFixed(1)} pages/s in ${s.tookMs} ms`).join(', ')}`,
);
console.log(
  `sandbox shop snapshot: ${first.pages} pages, ${first.assets} assets, ${first.bytes} bytes; ${median(snapshots.map((s) => s.pagesPerSecond)).toFixed(1)} pages/s median (${median(snapshots.map((s) => s.tookMs))} ms)`,
);

const refreshes = [];
for (let i = 0; i < 5; i++) {
  const out = join(mkdtempSync(join(tmpdir(), 'hotspare-bench-site-')), 'copy');
  refreshes.push(run(['site', 'refresh', 'runbooks/sandbox.yaml', '--sandbox', '--out', out, '--json']).ms);
}
console.log(
  `site refresh --sandbox (whole process): ${Math.round(median(refreshes))} ms median of ${refreshes.map((ms) => Math.round(ms)).join(', ')}`,
);
