import { join } from 'node:path';
import { UsageError } from '../../ports/errors.js';
import { loadRunbook } from '../../runbook/load.js';
import type { Runbook } from '../../runbook/schema.js';
import { parseManifest } from '../../site/manifest.js';
import { readinessRequest } from '../../site/readiness.js';
import { bucketOf, refreshSite, type RefreshReport } from '../../site/refresh.js';
import { MANIFEST_FILE } from '../../site/urls.js';
import { BUNDLED_SANDBOX_RUNBOOK, stateDir } from '../context.js';
import type { SiteEnv } from '../site-env.js';
import { exitCodeForPublish } from '../exit-codes.js';
import { crawlProgressText, readinessText, refreshText } from '../site-text.js';
import { awsSettings, output, publishJson, siteEnv, type Run } from './site-common.js';

/** `hotspare site refresh RUNBOOK`: snapshot, check, publish; exit 1 when the copy was refused, 4 when visitors could not reach it. */
export async function refresh(run: Run): Promise<number> {
  const { opts } = run;
  const file = opts.target ?? (opts.sandbox ? BUNDLED_SANDBOX_RUNBOOK : undefined);
  if (file === undefined) throw new UsageError('Name a runbook: hotspare site refresh RUNBOOK', { code: 'MissingRunbook' });
  const loaded = (await loadRunbook(file)).runbook;
  bucketOf(loaded);
  const env = await siteEnv(run, loaded);
  try {
    const runbook = env.runbook ?? loaded;
    const out = opts.out ?? join(stateDir(run.env), ...(opts.sandbox ? ['sandbox', 'site'] : ['site']), runbook.name);
    const report = await refreshSite({
      runbook,
      out,
      fetcher: env.fetcher,
      bucket: await env.bucket(),
      region: awsSettings(run, loaded).region,
      force: opts.force,
      website: opts.website,
      dryRun: opts.dryRun,
      limits: { maxDepth: opts.maxDepth, maxPages: opts.maxPages, concurrency: opts.concurrency },
      onStage: (stage) => run.progress.update(`${stage}…`),
      onSnapshotProgress: (p) => run.progress.update(crawlProgressText(p)),
      onPublishProgress: (done, total) => run.progress.update(`publish ${done}/${total} files`),
    });
    run.progress.done();
    const served = await afterPublish(env, runbook, report, opts.dryRun);
    output(run, refreshJson(report, served), [...refreshText(report), ...(served === undefined ? [] : [served])]);
    if (report.refused) return 1;
    return report.publish === undefined ? 0 : exitCodeForPublish(report.publish.findings);
  } finally {
    await env.close();
  }
}

/** What the published copy looks like now: over the sandbox's website endpoint, else read back from the bucket. */
async function afterPublish(env: SiteEnv, runbook: Runbook, report: RefreshReport, dryRun: boolean): Promise<string | undefined> {
  if (report.publish === undefined || dryRun) return undefined;
  if (env.sandbox !== undefined) return readinessText(await env.inspector.readiness(readinessRequest(runbook)));
  const body = await (await env.bucket()).get(bucketOf(runbook), MANIFEST_FILE);
  const manifest = body === undefined ? undefined : parseManifest(Buffer.from(body).toString('utf8'));
  return manifest === undefined ? 'The published manifest does not read back from the bucket.' : `The published manifest reads back: snapshot made ${manifest.createdAt}, published ${manifest.publishedAt ?? '?'}.`;
}

function refreshJson(report: RefreshReport, served: string | undefined) {
  const { files, ...snapshot } = report.snapshot.manifest;
  return {
    refused: report.refused,
    snapshot: { dir: report.snapshot.dir, pagesPerSecond: report.snapshot.pagesPerSecond, files: Object.keys(files).length, ...snapshot },
    check: report.check,
    publish: report.publish === undefined ? undefined : publishJson(report.publish),
    served,
  };
}
