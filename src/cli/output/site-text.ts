import type { SiteReadiness } from '../../ports/site.js';
import type { CheckReport } from '../../site/check.js';
import type { CrawlProgress } from '../../site/crawl.js';
import type { PublishReport } from '../../site/publish.js';
import type { RefreshReport } from '../../site/refresh.js';
import type { SnapshotResult } from '../../site/snapshot.js';
import { checkLines, snapshotNotes } from '../../site/report-text.js';
import { bar, formatBytes } from './progress-line.js';

/** The progress line of a crawl: pages done of queued, assets, bytes, errors. */
export function crawlProgressText(p: CrawlProgress): string {
  return `snapshot ${bar(p.pagesDone, p.pagesQueued)} ${p.pagesDone}/${p.pagesQueued} pages · ${p.assetsDone}/${p.assetsQueued} assets · ${formatBytes(p.bytes)} · ${p.errors} error(s)${p.cut > 0 ? ` · ${p.cut} left out by limits` : ''}`;
}

export function snapshotText(result: SnapshotResult): string[] {
  const m = result.manifest;
  const seconds = ((m.tookMs ?? 0) / 1000).toFixed(2);
  const lines = [
    `Snapshot of ${m.source ?? '?'} in ${result.dir}: ${m.pages} pages, ${m.assets} assets, ${formatBytes(m.bytes)} in ${seconds} s (${result.pagesPerSecond.toFixed(1)} pages/s)`,
  ];
  const errors = m.errors ?? [];
  if (errors.length > 0) {
    lines.push(`${errors.length} link(s) could not be downloaded (their links stay, for \`site check\` to report):`);
    for (const e of errors)
      lines.push(
        `  ${e.status ?? 'ERR'}  ${e.url}${e.error === undefined ? '' : `  ${e.error}`}${e.from === undefined ? '' : `  (linked from ${e.from})`}`,
      );
  }
  return [...lines, ...snapshotNotes(m)];
}

export function checkText(report: CheckReport): string[] {
  return checkLines(report);
}

export function publishText(report: PublishReport): string[] {
  const { plan } = report;
  const lines = [
    `${report.dryRun ? 'Would publish' : 'Published'} to s3://${plan.bucket}${report.dryRun ? ' (dry run: nothing sent)' : ''}:`,
  ];
  for (const u of plan.uploads)
    lines.push(`  upload  ${u.key}  (${u.reason}, ${formatBytes(u.bytes)}, ${u.contentType}, ${u.cacheControl})`);
  for (const key of plan.deletes) lines.push(`  delete  ${key}`);
  lines.push(`${plan.uploads.length} to upload, ${plan.deletes.length} to delete, ${plan.unchanged} unchanged.`);
  if (plan.keptUnknown.length > 0)
    lines.push(
      `Kept ${plan.keptUnknown.length} object(s) hotspare did not publish (${plan.keptUnknown.slice(0, 3).join(', ')}${plan.keptUnknown.length > 3 ? ', …' : ''}); --delete-unknown deletes them.`,
    );
  if (report.website !== undefined)
    lines.push(
      `Website hosting: index ${report.website.indexDocument}, error document ${report.website.errorDocument ?? '-'}`,
    );
  for (const f of report.findings) {
    lines.push(`${f.severity === 'ok' ? 'ok' : f.severity.toUpperCase()}: ${f.message}`);
    if (f.fix !== undefined) lines.push(`  fix: ${f.fix}`);
  }
  return lines;
}

export function readinessText(r: SiteReadiness): string {
  return `Maintenance site (${r.state}): ${r.summary}`;
}

export function refreshText(report: RefreshReport): string[] {
  const lines = [...snapshotText(report.snapshot), ...checkText(report.check)];
  if (report.refused) {
    lines.push(
      'Not published: the copy fails the check (the copy published before stays). Fix the site or the runbook, or pass --force.',
    );
    return lines;
  }
  if (report.publish !== undefined) lines.push(...publishText(report.publish));
  return lines;
}
