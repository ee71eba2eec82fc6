import { UsageError } from '../../../domain/errors.js';
import {
  AWS,
  booleanFlag,
  dryRun,
  help,
  json,
  region,
  sandbox,
  stringFlag,
  website,
  withHelp,
} from '../../args/flags.js';
import { defineCommand, type FlagValues } from '../../args/tree.js';
import { waitInvalidation } from './flags.js';
import type { SiteContext } from './context.js';
import { exitCodeForPublish } from '../../output/exit-codes.js';

const flags = {
  bucket: stringFlag('bucket', 'NAME', "the S3 bucket to upload to (default: the runbook's maintenance.bucket)"),
  website,
  dryRun: withHelp(dryRun, 'list what would change; send nothing'),
  deleteUnknown: booleanFlag('delete-unknown', 'also delete objects no hotspare publish put there'),
  distribution: stringFlag(
    'distribution',
    'ID',
    'the CloudFront distribution in front of the bucket: one invalidation of exactly the changed paths after the upload',
  ),
  wait: waitInvalidation,
  ...AWS,
  region: withHelp(region, "the AWS region (default AWS_REGION, the profile's, else us-east-1)"),
  sandbox: withHelp(sandbox, "the sandbox's simulated bucket instead of S3"),
  json: withHelp(json, 'one JSON report on stdout'),
  help,
};

async function publishCommand(ctx: SiteContext<FlagValues<typeof flags>>, dir: string | undefined): Promise<number> {
  const { flags: opts } = ctx;
  const [
    { awsSettings, invalidateAfterPublish, invalidationJournal, isDir, output, publishJson, siteEnv },
    { publishSite },
    { publishText },
    { DEFAULT_INVALIDATION_WAIT_MS, plannedInvalidation },
  ] = await Promise.all([
    import('./context.js'),
    import('../../../site/publish.js'),
    import('../../output/site-text.js'),
    import('../../../site/invalidate.js'),
  ]);
  if (opts.wait && opts.distribution === undefined)
    throw new UsageError(
      '--wait waits for the CloudFront invalidation: name the distribution with --distribution ID.',
      { code: 'BadFlag' },
    );
  if (dir === undefined || !isDir(dir))
    throw new UsageError(
      `Name the snapshot folder to publish${dir === undefined ? '' : ` ("${dir}" is not a folder)`}: hotspare site publish DIR --bucket NAME`,
      { code: 'MissingArgument' },
    );
  const env = await siteEnv(ctx);
  try {
    const bucket = opts.bucket ?? env.runbook?.maintenance.bucket;
    if (bucket === undefined)
      throw new UsageError('Name the bucket: hotspare site publish DIR --bucket NAME', { code: 'MissingBucket' });
    // With a distribution the invalidation is journaled from the plan on (a crash mid-upload is not forgotten).
    const journal =
      opts.distribution === undefined || env.edge === undefined ? undefined : invalidationJournal(ctx.env, bucket);
    const report = await publishSite({
      dir,
      bucket,
      region: (await awsSettings(ctx)).region,
      port: await env.bucket(),
      dryRun: opts.dryRun,
      website: opts.website,
      deleteUnknown: opts.deleteUnknown,
      onProgress: (done, total) => ctx.progress.update(`publish ${done}/${total} files`),
      onPlan: (plan) => {
        const planned = plannedInvalidation(plan);
        if (journal !== undefined && planned !== undefined) journal.append(planned);
      },
    });
    const invalidation =
      opts.dryRun || opts.distribution === undefined
        ? undefined
        : await invalidateAfterPublish(ctx, env, report.plan, {
            distribution: opts.distribution,
            journal,
            host: env.maintenanceHost,
            site: env.runbook?.name,
            waitMs: opts.wait ? DEFAULT_INVALIDATION_WAIT_MS : undefined,
          });
    ctx.progress.done();
    const { invalidationText } = await import('../../../site/invalidate.js');
    const line = invalidation?.report !== undefined ? invalidationText(invalidation.report) : invalidation?.note;
    output(
      ctx,
      {
        ...publishJson(report),
        ...(invalidation === undefined ? {} : { invalidation: invalidation.report ?? { note: invalidation.note } }),
      },
      [...publishText(report), ...(line === undefined ? [] : [line])],
    );
    const code = exitCodeForPublish(report.findings);
    // Waited, and CloudFront still serves the old copy somewhere: not done.
    return code === 0 && ((opts.wait && invalidation?.report?.completed === false) || invalidation?.failed === true)
      ? 4
      : code;
  } finally {
    await env.close();
  }
}

/** `hotspare site publish DIR --bucket NAME`: upload a snapshot to S3, changed files only. */
export const publish = defineCommand({
  name: 'publish',
  args: { usage: 'DIR --bucket B', kind: 'path', max: 1 },
  summary: 'upload changed files, index last; delete only what hotspare put there',
  details:
    'Uploads the snapshot in DIR to the S3 bucket: only files whose SHA-256 differs from the manifest published last time, with Content-Type and Cache-Control (60 s for HTML, 1 h for assets, none for the manifest); assets first, then pages (new pages before the pages linking to them), then index.html, then the manifest, and only then deletes objects that an earlier publish put there and the snapshot no longer has; objects hotspare did not put there are kept and named. With --distribution: one CloudFront invalidation of exactly the changed paths (the index.html of a folder also as the folder, index.html also as /, the manifest), and with --wait until it has completed. Says whether the website endpoint will serve (hosting, Block Public Access, bucket policy) and what to change. IAM: s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject, s3:GetBucketWebsite, s3:GetBucketPolicy, s3:GetBucketPublicAccessBlock (+ s3:PutBucketWebsite; cloudfront:ListDistributions, cloudfront:CreateInvalidation, cloudfront:GetInvalidation with --distribution).',
  flags,
  run: async (input) =>
    (await import('./context.js')).withSiteContext(input, (ctx) => publishCommand(ctx, input.args[0])),
});
