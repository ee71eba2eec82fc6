import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventSink } from '../../engine/events.js';
import { toErrorRecord } from '../../domain/errors.js';
import type { Sandbox } from '../../sandbox/index.js';
import { formatBytes } from '../output/progress-line.js';

/**
 * The dashboard key that runs `site refresh` inside the sandbox: snapshot the shop through the
 * local front (as visitors see it now: with broken origins the snapshot fails and the bucket keeps
 * its last copy), check it, publish it to the simulated bucket. Results go to the event log.
 */
export function maintenanceRefreshKey(sandbox: Sandbox, emit: EventSink): { key: string; label: string; run(): void } {
  let running = false;
  const log = (level: 'info' | 'warn' | 'error', message: string): void =>
    emit({ type: 'log', level, message, at: Date.now() });
  return {
    key: 'm',
    label: 'refresh maintenance site',
    run: () => {
      if (running) return;
      running = true;
      log('info', 'Maintenance site: snapshot, check, publish…');
      void refresh(sandbox).then(([level, message]) => {
        running = false;
        log(level, message);
      });
    },
  };
}

type Outcome = ['info' | 'warn' | 'error', string];

/** As `site refresh` does for an https:// maintenance URL: one invalidation of the changed paths on the host's distribution. */
async function invalidate(
  sandbox: Sandbox,
  plan: Parameters<typeof import('../../site/invalidate.js').invalidatePublish>[0]['plan'],
): Promise<string | undefined> {
  const [{ findMaintenanceDistribution, invalidatePublish, invalidationText, runbookDistribution }, { systemClock }] =
    await Promise.all([import('../../site/invalidate.js'), import('../../domain/clock.js')]);
  const { host, distribution } = runbookDistribution(sandbox.source);
  if (host === undefined || distribution === undefined) return undefined;
  const found = (
    await findMaintenanceDistribution(sandbox.edge.distributions, {
      host,
      configured: distribution,
      site: sandbox.source.name,
    })
  )?.summary;
  if (found === undefined) return `No CloudFront distribution for ${host}: nothing invalidated (h provisions it).`;
  const report = await invalidatePublish({
    distributions: sandbox.edge.distributions,
    distributionId: found.id,
    plan,
    clock: systemClock,
  });
  return report === undefined ? undefined : invalidationText(report);
}

async function refresh(sandbox: Sandbox): Promise<Outcome> {
  await sandbox.maintenanceReady;
  // Loaded on first use: the parsers must not slow the dashboard's first frame.
  const [{ httpFetcher }, { refreshSite }] = await Promise.all([
    import('../../site/fetcher.js'),
    import('../../site/refresh.js'),
  ]);
  const dir = await mkdtemp(join(tmpdir(), 'hotspare-sandbox-refresh-'));
  try {
    const r = await refreshSite({
      runbook: sandbox.runbook,
      out: join(dir, 'site'),
      fetcher: httpFetcher(),
      bucket: sandbox.bucket,
      region: sandbox.runbook.region,
    });
    const m = r.snapshot.manifest;
    const made = `${m.pages} pages, ${m.assets} assets, ${formatBytes(m.bytes)} at ${r.snapshot.pagesPerSecond.toFixed(0)} pages/s`;
    if (r.refused)
      return [
        'warn',
        `Maintenance site: snapshot (${made}) fails the check (${r.check.broken.length} broken, ${r.check.forms.length} forms): not published`,
      ];
    const invalidated = r.publish === undefined ? undefined : await invalidate(sandbox, r.publish.plan);
    return [
      'info',
      `Maintenance site: published ${made}; ${(r.publish?.plan.uploads.length ?? 1) - 1} file(s) changed, ${r.publish?.plan.deletes.length ?? 0} deleted${invalidated === undefined ? '' : `. ${invalidated}`}`,
    ];
  } catch (error) {
    return [
      'error',
      `Maintenance site refresh failed: ${toErrorRecord(error).message} (the bucket keeps its last copy)`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
