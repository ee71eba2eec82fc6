import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/engine/journal.js';
import type { JournalRecord } from '../../src/engine/journal-records.js';
import { FIXTURE_REGION } from '../aws/fixture.js';
import { requireBuiltCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';
import { flat, terminal } from '../helpers/tmux.js';
import { startFaultProxy, type FaultProxy } from '../reliability/helpers/fault-proxy.js';
import { newSite, startMotoWorld, type MotoSite, type MotoWorld } from '../reliability/helpers/moto-world.js';
import { waitUntil } from '../helpers/wait.js';

/**
 * The dashboard in a real terminal (tmux) against moto, left in the middle of a failover: by its
 * own quit (q, then y) and by the terminal closing (SIGHUP). Either way the interruption is
 * journaled; the quit prints the commands that go on or undo below the dashboard and exits 1.
 */
const BIN = join(process.cwd(), 'dist/cli/bin.js');
const term = terminal('interrupt');

let world: MotoWorld;
let proxy: FaultProxy;

beforeAll(async () => {
  requireBuiltCli();
  world = await startMotoWorld();
  proxy = await startFaultProxy(world.moto.endpoint);
});

afterAll(async () => {
  term.close();
  await proxy?.close();
  await world?.stop();
});

function records(journalDir: string): JournalRecord[] {
  const file = readdirSync(journalDir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort()
    .at(-1);
  return file === undefined ? [] : [...readJournal(join(journalDir, file)).records];
}

/** The dashboard running `failover --yes` through the proxy, where every health read answers 2.5 s late. */
async function dashboardMidRun(site: MotoSite, journal: string): Promise<void> {
  proxy.clear();
  proxy.inject({ operation: 'DescribeTargetHealth', kind: 'slow', times: 50 });
  const environment = `AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=${FIXTURE_REGION} AWS_EC2_METADATA_DISABLED=true HOME=${site.dir}`;
  const args = `failover ${site.runbookFile} --yes --endpoint-url ${proxy.endpoint} --region ${FIXTURE_REGION} --journal-dir ${journal}`;
  term.start(
    `env -u CI -u CONTINUOUS_INTEGRATION -u AWS_PROFILE -u AWS_ENDPOINT_URL ${environment} node ${BIN} ${args}; echo EXITED $?; sleep 60`,
    140,
    45,
  );
  // The redirect instance is registered and the run waits on a slow health read.
  await term.waitFor(
    () => records(journal).some((r) => r.kind === 'step-started' && r.stepId === 'wait-redirect-healthy'),
    'the failover to reach wait-redirect-healthy',
    60_000,
  );
}

describe('leaving the dashboard in the middle of a run (tmux, moto)', () => {
  it('q then y: the interruption is journaled, the next commands are printed below the dashboard, exit 1', async () => {
    const site = await newSite(world);
    const journal = tempDir('hotspare-interrupt-journal-');
    try {
      await dashboardMidRun(site, journal);
      term.send('q');
      await term.waitFor((s) => s.includes('Quit while a run is in progress?'), 'the quit question');
      term.send('y');
      const screen = await term.waitFor((s) => s.includes('EXITED'), 'the process to end', 30_000);
      expect(screen).toContain('EXITED 1');
      expect(flat(screen)).toContain(
        flat('interrupted by the operator (quit from the dashboard) while failover was running'),
      );
      expect(flat(screen)).toContain(flat(`hotspare resume ${site.runbookFile}`));
      expect(flat(screen)).toContain(flat(`hotspare rollback ${site.runbookFile}`));
      expect(records(journal).find((r) => r.kind === 'interrupted')).toMatchObject({
        by: 'operator',
        command: 'failover',
      });
    } finally {
      proxy.clear();
      term.endSession();
    }
  }, 120_000);

  it('closing the terminal (SIGHUP): the interruption is journaled', async () => {
    const site = await newSite(world);
    const journal = tempDir('hotspare-interrupt-journal-');
    try {
      await dashboardMidRun(site, journal);
      term.endSession();
      const journaled = await waitUntil(
        () => records(journal),
        (rs) => rs.some((r) => r.kind === 'interrupted'),
        { what: 'the interruption journaled', timeoutMs: 20_000, intervalMs: 200 },
      );
      expect(journaled.find((r) => r.kind === 'interrupted')).toMatchObject({
        by: 'signal',
        signal: 'SIGHUP',
        command: 'failover',
      });
    } finally {
      proxy.clear();
    }
  }, 120_000);
});
