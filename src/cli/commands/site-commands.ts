import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../ports/errors.js';
import { loadRunbook } from '../../runbook/load.js';
import type { Runbook } from '../../runbook/schema.js';
import { CHECK_DEFAULTS, checkSite } from '../../site/check.js';
import { DIR_ORIGIN, dirFetcher } from '../../site/dir-reader.js';
import { httpFetcher } from '../../site/fetcher.js';
import { parseManifest, readManifestFile } from '../../site/manifest.js';
import { publishSite } from '../../site/publish.js';
import { readinessRequest } from '../../site/readiness.js';
import { bucketOf, refreshSite, type RefreshReport } from '../../site/refresh.js';
import { takeSnapshot } from '../../site/snapshot.js';
import { MANIFEST_FILE } from '../../site/urls.js';
import { BUNDLED_SANDBOX_RUNBOOK, stateDir } from '../context.js';
import { createProgressLine, type ProgressLine } from '../progress-line.js';
import { awsSiteEnv, sandboxSiteEnv, type SiteEnv } from '../site-env.js';
import { checkText, crawlProgressText, publishText, readinessText, refreshText, snapshotText } from '../site-text.js';
import type { Io } from './run.js';
import type { SiteOptions } from './site.js';

interface Run {
  readonly opts: SiteOptions;
  readonly io: Io;
  readonly env: NodeJS.ProcessEnv;
  readonly progress: ProgressLine;
}

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

function awsSettings(run: Run, runbook?: Runbook) {
  const { opts, env } = run;
  return {
    region: opts.region ?? runbook?.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
    profile: opts.profile,
    endpointUrl: opts.endpointUrl ?? env['AWS_ENDPOINT_URL_S3'] ?? env['AWS_ENDPOINT_URL'],
  };
}

/** The environment: the sandbox (built for `runbook`, default the bundled one) or AWS and the web. */
async function siteEnv(run: Run, runbook?: Runbook): Promise<SiteEnv> {
  if (!run.opts.sandbox) return awsSiteEnv(awsSettings(run, runbook), run.opts.timeoutMs, runbook);
  return sandboxSiteEnv(runbook ?? (await loadRunbook(BUNDLED_SANDBOX_RUNBOOK)).runbook, run.opts.timeoutMs);
}

function httpUrl(what: string, value: string | undefined): URL {
  if (value === undefined || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new UsageError(`Expected ${what} as an http:// or https:// URL${value === undefined ? '' : `, got "${value}"`}.`, { code: 'BadArgument' });
  }
  return new URL(value);
}

function output(run: Run, json: unknown, lines: readonly string[]): void {
  if (run.opts.json) run.io.out(JSON.stringify(json));
  else for (const line of lines) run.io.out(line);
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

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
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
    return 0;
  } finally {
    await env.close();
  }
}

function publishJson(report: Awaited<ReturnType<typeof publishSite>>) {
  const { plan, ...rest } = report;
  const uploads = plan.uploads.map(({ key, reason, phase, contentType, cacheControl, sha256, body }) => ({ key, reason, phase, contentType, cacheControl, sha256, bytes: body.length }));
  return { bucket: plan.bucket, uploads, deletes: plan.deletes, keptUnknown: plan.keptUnknown, unchanged: plan.unchanged, ...rest };
}

async function refresh(run: Run): Promise<number> {
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
    return report.refused ? 1 : 0;
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
