// Wall time of a whole sandbox drill (failover + rollback, headless, --yes) at --speed 50,
// median of 5 runs, with the failed-request count of each. Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(process.cwd(), 'dist/cli/bin.js');
const runs = [];
for (let i = 0; i < 5; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'hotspare-bench-'));
  const start = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [bin, 'drill', '--sandbox', '--yes', '--speed', '50', '--json', '--journal-dir', dir],
    { encoding: 'utf8' },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const summary = r.stdout
    .split('\n')
    .filter((l) => l.includes('"traffic-summary"'))
    .map((l) => JSON.parse(l))[0];
  if (r.status !== 0 || summary === undefined) throw new Error(`drill failed (exit ${r.status}): ${r.stderr}`);
  runs.push({ ms, failed: summary.failed, total: summary.total });
}
runs.sort((a, b) => a.ms - b.ms);
console.log(`runs: ${runs.map((r) => `${Math.round(r.ms)} ms (${r.failed}/${r.total} failed)`).join(', ')}`);
console.log(`sandbox drill at --speed 50: ${Math.round(runs[2].ms)} ms median`);
