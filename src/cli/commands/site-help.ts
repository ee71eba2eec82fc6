export const SITE_SUBCOMMANDS = ['snapshot', 'check', 'publish', 'refresh'] as const;
export type SiteSubcommand = (typeof SITE_SUBCOMMANDS)[number];

const EXIT = 'Exit codes: 0 done; 1 broken or failed; 2 usage error; 4 published, but visitors cannot reach it (publish, refresh: a BLOCKING finding).';
const AWS = 'AWS:      --region R (default AWS_REGION, else us-east-1)  --profile P  --endpoint-url URL (also AWS_ENDPOINT_URL)';
const SANDBOX = 'Sandbox:  --sandbox (the simulated bucket and the local shop; URLs on the runbook\'s hosts go to the local servers)';

/** Help text of `hotspare site` and each site command. */
export const SITE_HELP: Readonly<Record<SiteSubcommand | 'site', string>> = {
  site: `Usage: hotspare site COMMAND ...

The maintenance site: a static copy of the live site on S3, checked and kept fresh.

Commands:
  snapshot URL --out DIR     copy the live site into DIR (pages, CSS, JS, images, fonts; links made relative)
  check DIR|URL              every internal link and asset resolves; forms posting to the origin are reported
  publish DIR --bucket NAME  upload to S3: changed files only, assets before pages, index last, stale objects deleted
  refresh RUNBOOK            snapshot, check, publish, from the runbook's maintenance block (for cron or CI)

\`hotspare site COMMAND --help\` for each. Every command takes --json (one JSON report on stdout).
${EXIT}`,
  snapshot: `Usage: hotspare site snapshot URL --out DIR [flags]

Crawls same-origin pages from URL and saves them with what they use (CSS with url() and @import, JS,
images with srcset, fonts) so the copy works on S3 static website hosting: /about is stored as
about/index.html and linked relatively. Pages under a dynamic prefix (or with a query) stay on the live
site: links to them become absolute. Forms post to the live origin. DIR is replaced only when the whole
snapshot is written (and only if it is empty or an earlier snapshot). Writes DIR/hotspare-manifest.json.

  --depth N            links followed from the start page (default 4)
  --max-pages N        pages fetched at most (default 200; assets do not count)
  --concurrency N      requests at once (default 4)
  --timeout SECONDS    per request (default 15)
  --dynamic PREFIX     a path that stays on the live site, e.g. --dynamic /search (repeatable)
  --start-path PATH    another page to start from, one nothing links to (repeatable)
  --banner TEXT        a notice put at the top of every page
${SANDBOX} (URL may be left out: the shop)
${EXIT}`,
  check: `Usage: hotspare site check DIR|URL [flags]

Crawls a snapshot folder (read as S3 website hosting serves it) or a published site, checks every
internal link and asset, and reports POST forms whose action is the live origin or the static site
itself: both fail while the origin is down (a hosted form service on another host passes). Prints
page, link and status for each problem and exits 1 when there is any.

  --external           also check links to other sites (HEAD, then GET)
  --external-limit N   distinct external URLs checked at most (default 100)
  --origin URL         the live origin, for the form check (default: the manifest's source)
  --max-pages N  --concurrency N  --timeout SECONDS
${SANDBOX} (URL may be left out: the maintenance site)
${EXIT}`,
  publish: `Usage: hotspare site publish DIR --bucket NAME [flags]

Uploads the snapshot in DIR to the S3 bucket: only files whose SHA-256 differs from the manifest
published last time, with Content-Type and Cache-Control (60 s for HTML, 1 h for assets, none for the
manifest); assets first, then pages, then index.html, then the manifest, and only then deletes objects
no longer in the snapshot. Says whether the website endpoint will serve (hosting, Block Public Access,
bucket policy) and what to change. IAM: s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject,
s3:GetBucketWebsite, s3:GetBucketPolicy, s3:GetBucketPublicAccessBlock (+ s3:PutBucketWebsite).

  --website            turn on static website hosting (index.html; error document 404.html or index.html)
  --dry-run            list what would change; send nothing
  --delete-unknown     on the first publish, also delete objects hotspare did not put there
${AWS}
${SANDBOX}
${EXIT}`,
  refresh: `Usage: hotspare site refresh RUNBOOK [flags]

The periodic job: snapshot maintenance.sourceUrl (default site.url) with the runbook's dynamicPrefixes,
startPaths and banner, check the copy, and publish it to maintenance.bucket. A copy that fails the
check is not published (the last good one stays) unless --force. Non-interactive.

  --out DIR            where the snapshot is kept (default: a folder under the state directory)
  --force              publish even when the check fails
  --website  --dry-run  --depth N  --max-pages N  --concurrency N
${AWS} (default region: the runbook's)
${SANDBOX}
${EXIT}`,
};
