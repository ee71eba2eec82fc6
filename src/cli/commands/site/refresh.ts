import { join } from 'node:path';
import { UsageError } from '../../../domain/errors.js';
import type { Runbook } from '../../../runbook/schema.js';
import type { RefreshReport } from '../../../site/refresh.js';
import type { SiteEnv } from '../../account/site-env.js';
import {
  AWS,
  concurrency,
  CRAWL_LIMITS,
  depth,
  dryRun,
  help,
  json,
  maxPages,
  out,
  sandbox,
  timeout,
  booleanFlag,
  website,
  withHelp,
} from '../../args/flags.js';
import { defineCommand, type FlagValues } from '../../args/tree.js';
import { waitInvalidation } from './flags.js';
import { BUNDLED_SANDBOX_RUNBOOK } from '../../paths.js';
import { stateDir } from '../../session/state-dir.js';
import type { SiteContext } from './context.js';
import { exitCodeForPublish } from '../../output/exit-codes.js';

const flags = {
  out: withHelp(out, 'where the snapshot is kept (default: a folder under the state directory)'),
  force: booleanFlag('force', 'publish even when the check fails'),
  website,
  wait: waitInvalidation,
  dryRun: withHelp(dryRun, 'snapshot and check; list what the publish would change, send nothing'),
  depth,
  maxPages,
  ...CRAWL_LIMITS,
  concurrency,
  timeout,
  ...AWS,
  sandbox: withHelp(sandbox, "the sandbox's shop and simulated bucket (RUNBOOK may be left out: the drill's)"),
  json: withHelp(json, 'one JSON report on stdout'),
  help,
};

/** What the published copy looks like now: over the sandbox's website endpoint, else read back from the bucket. */
async function afterPublish(
  env: SiteEnv,
  runbook: Runbook,
  report: RefreshReport,
  dryRun: boolean,
): Promise<string | undefined> {
  if (report.publish === undefined || dryRun) return undefined;
  const [{ readinessRequest }, { readinessText }, { bucketOf }, { MANIFEST_FILE }, { parseManifest }] =
    await Promise.all([
      import('../../../site/readiness.js'),
      import('../../output/site-text.js'),
      import('../../../site/refresh.js'),
      import('../../../site/urls.js'),
      import('../../../site/manifest.js'),
    ]);
  if (env.sandbox !== undefined) return readinessText(await env.inspector.readiness(readinessRequest(runbook)));
  const body = await (await env.bucket()).get(bucketOf(runbook), MANIFEST_FILE);
  const manifest = body === undefined ? undefined : parseManifest(Buffer.from(body).toString('utf8'));
  return manifest === undefined
    ? 'The published manifest does not read back from the bucket.'
    : `The published manifest reads back: snapshot made ${manifest.createdAt}, published ${manifest.publishedAt ?? '?'}.`;
}

async function refreshJson(report: RefreshReport, served: string | undefined) {
  const { publishJson } = await import('./context.js');
  const { files, ...snapshot } = report.snapshot.manifest;
  return {
    refused: report.refused,
    snapshot: {
      dir: report.snapshot.dir,
      pagesPerSecond: report.snapshot.pagesPerSecond,
      files: Object.keys(files).length,
      ...snapshot,
    },
    check: report.check,
    publish: report.publish === undefined ? undefined : publishJson(report.publish),
    served,
  };
}

/** Snapshot, check, publish; exit 1 when the copy was refused, 4 when visitors could not reach it. */
async function refreshCommand(ctx: SiteContext<FlagValues<typeof flags>>, target: string | undefined): Promise<number> {
  const { flags: opts } = ctx;
  const file = target ?? (opts.sandbox ? BUNDLED_SANDBOX_RUNBOOK : undefined);
  if (file === undefined)
    throw new UsageError('Name a runbook: hotspare site refresh RUNBOOK', { code: 'MissingRunbook' });
  const [
    { awsSettings, crawlFlags, output, siteEnv },
    { loadRunbook },
    { bucketOf, refreshSite },
    { crawlProgressText, refreshText },
  ] = await Promise.all([
    import('./context.js'),
    import('../../../runbook/load.js'),
    import('../../../site/refresh.js'),
    import('../../output/site-text.js'),
  ]);
  const loaded = (await loadRunbook(file)).runbook;
  bucketOf(loaded);
  const env = await siteEnv(ctx, loaded);
  const started = Date.now();
  try {
    const runbook = env.runbook ?? loaded;
    const { invalidationJournal } = await import('./context.js');
    const { plannedInvalidation, runbookDistribution: distributionOf } = await import('../../../site/invalidate.js');
    // With a distribution the invalidation is journaled from the plan on (a crash mid-upload is not forgotten).
    const journal =
      distributionOf(loaded).distribution === undefined || env.edge === undefined
        ? undefined
        : invalidationJournal(ctx.env, bucketOf(loaded), opts.sandbox);
    const out = opts.out ?? join(stateDir(ctx.env), ...(opts.sandbox ? ['sandbox', 'site'] : ['site']), runbook.name);
    const report = await refreshSite({
      runbook,
      out,
      fetcher: env.fetcher,
      bucket: await env.bucket(),
      region: (await awsSettings(ctx, loaded)).region,
      force: opts.force,
      website: opts.website,
      dryRun: opts.dryRun,
      limits: { maxDepth: opts.depth, maxPages: opts.maxPages, concurrency: opts.concurrency, ...crawlFlags(opts) },
      onStage: (stage) => ctx.progress.update(`${stage}…`),
      onSnapshotProgress: (p) => ctx.progress.update(crawlProgressText(p)),
      onPublishProgress: (done, total) => ctx.progress.update(`publish ${done}/${total} files`),
      onPublishPlan: (plan) => {
        const planned = plannedInvalidation(plan);
        if (journal !== undefined && planned !== undefined) journal.append(planned);
      },
    });
    const { invalidateAfterPublish } = await import('./context.js');
    const { DEFAULT_INVALIDATION_WAIT_MS, invalidationText, runbookDistribution } = await import(
      '../../../site/invalidate.js'
    );
    const invalidation =
      report.publish === undefined || opts.dryRun
        ? undefined
        : await invalidateAfterPublish(ctx, env, report.publish.plan, {
            ...runbookDistribution(loaded),
            journal,
            waitMs: opts.wait ? DEFAULT_INVALIDATION_WAIT_MS : undefined,
          });
    ctx.progress.done();
    const served = await afterPublish(env, runbook, report, opts.dryRun);
    const { refreshSummary } = await import('../../../site/report-text.js');
    const summary = refreshSummary(report, (Date.now() - started) / 1000);
    const line = invalidation?.report !== undefined ? invalidationText(invalidation.report) : invalidation?.note;
    output(
      ctx,
      {
        ...(await refreshJson(report, served)),
        ...(invalidation === undefined ? {} : { invalidation: invalidation.report ?? { note: invalidation.note } }),
        summary,
      },
      [
        ...refreshText(report),
        ...(served === undefined ? [] : [served]),
        ...(line === undefined ? [] : [line]),
        summary,
      ],
    );
    if (report.refused) return 1;
    const code = report.publish === undefined ? 0 : exitCodeForPublish(report.publish.findings);
    return code === 0 && ((opts.wait && invalidation?.report?.completed === false) || invalidation?.failed === true)
      ? 4
      : code;
  } finally {
    await env.close();
  }
}

/** `hotspare site refresh RUNBOOK`: the periodic job. */
export const refresh = defineCommand({
  name: 'refresh',
  args: { usage: 'RUNBOOK', kind: 'runbook', max: 1 },
  summary: 'snapshot + check + publish from the runbook, for cron or CI',
  details:
    "The periodic job: snapshot maintenance.sourceUrl (default site.url) with the runbook's dynamicPrefixes, startPaths, banner, crawl limits (maintenance.crawl) and form policy (maintenance.forms), check the copy, and publish it to maintenance.bucket; for an https:// maintenance URL, one CloudFront invalidation of exactly the changed paths on its distribution (maintenance.cloudfront.distribution, default the one with the maintenance host as an alternate domain name), waited for with --wait. A copy that fails the check is not published (the last good one stays) unless --force; neither is a source that redirects to the maintenance site. Non-interactive: without a terminal it prints a progress line every 5 s and ends with one summary line.",
  flags,
  run: async (input) =>
    (await import('./context.js')).withSiteContext(input, (ctx) => refreshCommand(ctx, input.args[0])),
});
