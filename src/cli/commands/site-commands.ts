import { UsageError } from '../../ports/errors.js';
import { CHECK_DEFAULTS, checkSite } from '../../site/check.js';
import { DIR_ORIGIN, dirFetcher } from '../../site/dir-reader.js';
import { httpFetcher } from '../../site/fetcher.js';
import { parseManifest, readManifestFile } from '../../site/manifest.js';
import { publishSite } from '../../site/publish.js';
import { takeSnapshot } from '../../site/snapshot.js';
import { MANIFEST_FILE } from '../../site/urls.js';
import { createProgressLine } from '../progress-line.js';
import { awsSiteEnv, type SiteEnv } from '../site-env.js';
import { checkText, crawlProgressText, publishText, snapshotText } from '../site-text.js';
import type { Io } from './run.js';
import { exitCodeForPublish } from '../exit-codes.js';
import { awsSettings, httpUrl, isDir, output, publishJson, siteEnv, type Run } from './site-common.js';
import { refresh } from './site-refresh.js';
import type { SiteOptions } from './site.js';

/** Runs a parsed site command; resolves with the exit code. */
export async function runSite(opts: SiteOptions, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const progress = createProgressLine((chunk) => process.stderr.write(chunk), !opts.json && process.stderr.isTTY === true);
  const run: Run = { opts, io, env, progress };
  try {
    switch (opts.sub) {
      case 'snapshot':
        return await snapshot(run);
      case 'check':
        return await check(run);
      case 'publish':
        return await publish(run);
      case 'refresh':
        return await refresh(run);
    }
  } finally {
    progress.done();
  }
}

async function snapshot(run: Run): Promise<number> {
  const { opts } = run;
  if (opts.out === undefined) throw new UsageError('Name the folder to write: hotspare site snapshot URL --out DIR', { code: 'MissingOut' });
  const env = await siteEnv(run);
  try {
    const url = httpUrl('the site to copy', opts.target === undefined && env.runbook !== undefined ? env.runbook.site.url : opts.target && env.localUrl(opts.target));
    const result = await takeSnapshot({
      url,
      out: opts.out,
      fetcher: env.fetcher,
      extraPaths: opts.startPaths,
      maxDepth: opts.maxDepth,
      maxPages: opts.maxPages,
      concurrency: opts.concurrency,
      dynamicPrefixes: opts.dynamicPrefixes,
      banner: opts.banner,
      onProgress: (p) => run.progress.update(crawlProgressText(p)),
    });
    run.progress.done();
    const { files, ...summary } = result.manifest;
    output(run, { dir: result.dir, pagesPerSecond: result.pagesPerSecond, files: Object.keys(files).length, ...summary }, [...snapshotText(result), `Next: hotspare site check ${opts.out}`]);
    return 0;
  } finally {
    await env.close();
  }
}

async function check(run: Run): Promise<number> {
  const { opts } = run;
  const env = opts.target !== undefined && isDir(opts.target) ? awsSiteEnv(awsSettings(run), opts.timeoutMs) : await siteEnv(run);
  try {
    const target = opts.target ?? env.runbook?.maintenance.url;
    if (target === undefined) throw new UsageError('Name a snapshot folder or a URL: hotspare site check DIR|URL', { code: 'MissingArgument' });
    const dir = isDir(target);
    const start = dir ? new URL(`${DIR_ORIGIN}/`) : httpUrl('a snapshot folder or the site to check', env.localUrl(target));
    const fetcher = dir ? dirFetcher(target) : env.fetcher;
    const source = dir ? (await readManifestFile(target))?.source : await publishedSource(fetcher, start);
    const report = await checkSite({
      start,
      fetcher,
      origin: opts.origin === undefined ? (source === undefined ? undefined : new URL(source).origin) : httpUrl('--origin', opts.origin).origin,
      external: opts.external ? { fetcher: httpFetcher({ timeoutMs: opts.timeoutMs }), limit: opts.externalLimit ?? CHECK_DEFAULTS.externalLimit } : undefined,
      maxPages: opts.maxPages,
      concurrency: opts.concurrency,
      onProgress: (p) => run.progress.update(`check ${p.checked}/${p.queued} links · ${p.broken} broken`),
    });
    run.progress.done();
    output(run, report, checkText(report));
    return report.ok ? 0 : 1;
  } finally {
    await env.close();
  }
}

/** The source of a published copy, from the manifest beside it. */
async function publishedSource(fetcher: SiteEnv['fetcher'], start: URL): Promise<string | undefined> {
  try {
    const res = await fetcher(new URL(MANIFEST_FILE, start));
    return res.status === 200 ? parseManifest(res.body.toString('utf8'))?.source : undefined;
  } catch {
    return undefined;
  }
}

async function publish(run: Run): Promise<number> {
  const { opts } = run;
  if (opts.target === undefined || !isDir(opts.target)) throw new UsageError(`Name the snapshot folder to publish${opts.target === undefined ? '' : ` ("${opts.target}" is not a folder)`}: hotspare site publish DIR --bucket NAME`, { code: 'MissingArgument' });
  const env = await siteEnv(run);
  try {
    const bucket = opts.bucket ?? env.runbook?.maintenance.bucket;
    if (bucket === undefined) throw new UsageError('Name the bucket: hotspare site publish DIR --bucket NAME', { code: 'MissingBucket' });
    const report = await publishSite({
      dir: opts.target,
      bucket,
      region: awsSettings(run).region,
      port: await env.bucket(),
      dryRun: opts.dryRun,
      website: opts.website,
      deleteUnknown: opts.deleteUnknown,
      onProgress: (done, total) => run.progress.update(`publish ${done}/${total} files`),
    });
    run.progress.done();
    output(run, publishJson(report), publishText(report));
    return exitCodeForPublish(report.findings);
  } finally {
    await env.close();
  }
}

