import { UsageError } from '../../../domain/errors.js';
import {
  concurrency,
  CRAWL_LIMITS,
  depth,
  json,
  listFlag,
  maxPages,
  out,
  sandbox,
  stringFlag,
  timeout,
  withHelp,
  help,
} from '../../args/flags.js';
import { defineCommand, type FlagValues } from '../../args/tree.js';
import type { SiteContext } from './context.js';

const flags = {
  out: withHelp(out, 'the folder to write the copy in'),
  depth,
  maxPages,
  ...CRAWL_LIMITS,
  concurrency,
  timeout,
  allowRedirect: listFlag(
    'allow-redirect',
    'HOST',
    "follow the start URL's redirect to HOST, another host (repeatable)",
  ),
  dynamicPrefixes: listFlag(
    'dynamic',
    'PREFIX',
    'a path that stays on the live site, e.g. --dynamic /search or /?s= (repeatable)',
  ),
  startPaths: listFlag('start-path', 'PATH', 'another page to start from, one nothing links to (repeatable)'),
  banner: stringFlag('banner', 'TEXT', 'a notice put at the top of every page'),
  sandbox: withHelp(sandbox, "the sandbox's shop, on 127.0.0.1 (URL may be left out: the shop)"),
  json: withHelp(json, 'one JSON report on stdout'),
  help,
};

async function snapshotCommand(
  ctx: SiteContext<FlagValues<typeof flags>>,
  target: string | undefined,
): Promise<number> {
  const { flags: opts } = ctx;
  if (opts.out === undefined)
    throw new UsageError('Name the folder to write: hotspare site snapshot URL --out DIR', { code: 'MissingOut' });
  const [{ crawlFlags, httpUrl, output, siteEnv }, { takeSnapshot }, { crawlProgressText, snapshotText }] =
    await Promise.all([
      import('./context.js'),
      import('../../../site/snapshot.js'),
      import('../../output/site-text.js'),
    ]);
  const env = await siteEnv(ctx);
  try {
    const url = httpUrl(
      'the site to copy',
      target === undefined && env.runbook !== undefined ? env.runbook.site.url : target && env.localUrl(target),
    );
    const result = await takeSnapshot({
      url,
      out: opts.out,
      fetcher: env.fetcher,
      extraPaths: opts.startPaths,
      maxDepth: opts.depth,
      maxPages: opts.maxPages,
      concurrency: opts.concurrency,
      dynamicPrefixes: opts.dynamicPrefixes,
      banner: opts.banner,
      limits: crawlFlags(opts),
      allowRedirectHosts: opts.allowRedirect,
      onProgress: (p) => ctx.progress.update(crawlProgressText(p)),
    });
    ctx.progress.done();
    const { files, ...summary } = result.manifest;
    output(
      ctx,
      { dir: result.dir, pagesPerSecond: result.pagesPerSecond, files: Object.keys(files).length, ...summary },
      [...snapshotText(result), `Next: hotspare site check ${opts.out}`],
    );
    return 0;
  } finally {
    await env.close();
  }
}

/** `hotspare site snapshot URL --out DIR`: copy the live site into a static folder. */
export const snapshot = defineCommand({
  name: 'snapshot',
  args: { usage: 'URL --out DIR', kind: 'path', max: 1 },
  summary: 'copy the live site into a static folder that works on S3 website hosting',
  details:
    "Crawls same-origin pages from URL and saves them with what they use (CSS with url() and @import, JS, images with srcset, fonts) so the copy works on S3 static website hosting: /about is stored as about/index.html and linked relatively; a page with a query (/?p=12) is stored as index.p=12.html. Pages the sitemap lists are copied too. Pages under a dynamic prefix stay on the live site: links to them become absolute. POST forms to the origin are replaced by a notice, GET forms left pointing at the origin (a runbook's maintenance.forms says otherwise; see site refresh). What a limit leaves out is reported. The start URL's redirect is followed only to the same site (http/https, www). DIR is replaced only when the whole snapshot is written (and only if it is empty or an earlier snapshot). Writes DIR/hotspare-manifest.json.",
  flags,
  run: async (input) =>
    (await import('./context.js')).withSiteContext(input, (ctx) => snapshotCommand(ctx, input.args[0])),
});
