import { UsageError } from '../../../domain/errors.js';
import type { Fetcher } from '../../../site/fetcher.js';
import {
  booleanFlag,
  concurrency,
  countFlag,
  help,
  json,
  maxPages,
  sandbox,
  stringFlag,
  timeout,
  withHelp,
} from '../../args/flags.js';
import { defineCommand, type FlagValues } from '../../args/tree.js';
import type { SiteContext } from './context.js';

const flags = {
  external: booleanFlag('external', 'also check links to other sites (HEAD, then GET)'),
  externalLimit: countFlag('external-limit', 'N', 'distinct external URLs checked at most (default 100)', 1),
  origin: stringFlag('origin', 'URL', "the live origin, for the form check (default: the manifest's source)"),
  maxPages: withHelp(maxPages, 'pages checked at most (default 1000)'),
  concurrency: withHelp(concurrency, 'requests at once (default 8)'),
  timeout,
  sandbox: withHelp(sandbox, "the sandbox's sites, on 127.0.0.1 (URL may be left out: the maintenance site)"),
  json: withHelp(json, 'one JSON report on stdout'),
  help,
};

/** The source of a published copy, from the manifest beside it. */
async function publishedSource(fetcher: Fetcher, start: URL): Promise<string | undefined> {
  const [{ parseManifest }, { MANIFEST_FILE }] = await Promise.all([
    import('../../../site/manifest.js'),
    import('../../../site/urls.js'),
  ]);
  try {
    const res = await fetcher(new URL(MANIFEST_FILE, start));
    return res.status === 200 ? parseManifest(res.body.toString('utf8'))?.source : undefined;
  } catch {
    return undefined;
  }
}

async function checkCommand(ctx: SiteContext<FlagValues<typeof flags>>, target: string | undefined): Promise<number> {
  const { flags: opts } = ctx;
  const [
    { awsSettings, httpUrl, isDir, output, siteEnv, timeoutMs },
    { awsSiteEnv },
    { CHECK_DEFAULTS, checkSite },
    { DIR_ORIGIN, dirFetcher },
    { httpFetcher },
    { readManifestFile },
    { checkText },
  ] = await Promise.all([
    import('./context.js'),
    import('../../account/site-env.js'),
    import('../../../site/check.js'),
    import('../../../site/dir-reader.js'),
    import('../../../site/fetcher.js'),
    import('../../../site/manifest.js'),
    import('../../output/site-text.js'),
  ]);
  const env =
    target !== undefined && isDir(target) ? awsSiteEnv(await awsSettings(ctx), timeoutMs(opts)) : await siteEnv(ctx);
  try {
    const where = target ?? env.runbook?.maintenance.url;
    if (where === undefined)
      throw new UsageError('Name a snapshot folder or a URL: hotspare site check DIR|URL', { code: 'MissingArgument' });
    const dir = isDir(where);
    const start = dir
      ? new URL(`${DIR_ORIGIN}/`)
      : httpUrl('a snapshot folder or the site to check', env.localUrl(where));
    const fetcher = dir ? dirFetcher(where) : env.fetcher;
    const source = dir ? (await readManifestFile(where))?.source : await publishedSource(fetcher, start);
    const report = await checkSite({
      start,
      fetcher,
      origin:
        opts.origin === undefined
          ? source === undefined
            ? undefined
            : new URL(source).origin
          : httpUrl('--origin', opts.origin).origin,
      external: opts.external
        ? {
            fetcher: httpFetcher({ timeoutMs: timeoutMs(opts) }),
            limit: opts.externalLimit ?? CHECK_DEFAULTS.externalLimit,
          }
        : undefined,
      maxPages: opts.maxPages,
      concurrency: opts.concurrency,
      onProgress: (p) => ctx.progress.update(`check ${p.checked}/${p.queued} links · ${p.broken} broken`),
    });
    ctx.progress.done();
    output(ctx, report, checkText(report));
    return report.ok ? 0 : 1;
  } finally {
    await env.close();
  }
}

/** `hotspare site check DIR|URL`: every internal link and asset resolves; forms that post to the origin. */
export const check = defineCommand({
  name: 'check',
  args: { usage: 'DIR|URL', kind: 'path', max: 1 },
  summary: 'every link and asset resolves; each form and origin reference reported',
  details:
    'Crawls a snapshot folder (read as S3 website hosting serves it) or a published site, checks every internal link and asset, reports every form with the policy the snapshot applied (a POST to the origin or to the static site itself with no policy fails the check; one left on the origin is a warning), and every way the copy still refers to the origin, grouped with counts. Prints page, link and status for each problem and exits 1 when there is any.',
  flags,
  run: async (input) =>
    (await import('./context.js')).withSiteContext(input, (ctx) => checkCommand(ctx, input.args[0])),
});
