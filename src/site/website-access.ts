import type { BucketAccess } from '../ports/site.js';

/**
 * Whether an S3 website endpoint will serve the bucket to anonymous visitors, and what to change
 * when it will not. The website endpoint serves only objects anyone may read: a bucket policy
 * allowing `s3:GetObject` to `*`, not cancelled by Block Public Access (`RestrictPublicBuckets`).
 * The account-level Block Public Access setting also applies; the S3 API alone cannot read it.
 */

export interface AccessFinding {
  /** `warning`: the settings could not be read, so nobody knows. */
  readonly severity: 'ok' | 'warning' | 'blocking';
  readonly message: string;
  /** What to change, with the exact command. */
  readonly fix?: string | undefined;
}

/** Regions whose website endpoint is `s3-website-REGION` (the older ones); the rest use `s3-website.REGION`. */
const DASH_REGIONS = new Set([
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'sa-east-1',
  'us-gov-west-1',
]);

/** The bucket's website endpoint URL. */
export function websiteEndpoint(bucket: string, region: string): string {
  return `http://${bucket}.s3-website${DASH_REGIONS.has(region) ? '-' : '.'}${region}.amazonaws.com/`;
}

/** The policy that lets the website endpoint serve every object (read only). */
export function publicReadPolicy(bucket: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PublicReadForWebsite',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
      },
    ],
  });
}

type Statement = { Effect?: unknown; Principal?: unknown; Action?: unknown; Resource?: unknown; Condition?: unknown };

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  return (
    typeof principal === 'object' && principal !== null && list((principal as { AWS?: unknown }).AWS).includes('*')
  );
}

function grantsGetObject(action: unknown): boolean {
  return list(action).some(
    (a) => typeof a === 'string' && ['s3:getobject', 's3:get*', 's3:*', '*'].includes(a.toLowerCase()),
  );
}

function coversObjects(resource: unknown, bucket: string): boolean {
  return list(resource).some(
    (r) => typeof r === 'string' && (r === '*' || r === `arn:aws:s3:::${bucket}/*` || r === `arn:aws:s3:::*`),
  );
}

/** Whether the policy lets anyone GET every object (an unconditional Allow; conditions are not evaluated). */
export function allowsPublicRead(policy: string | undefined, bucket: string): boolean {
  if (policy === undefined) return false;
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(policy) as { Statement?: unknown };
  } catch {
    return false;
  }
  return list(doc.Statement).some((s) => {
    const st = (s ?? {}) as Statement;
    return (
      st.Effect === 'Allow' &&
      st.Condition === undefined &&
      isEveryone(st.Principal) &&
      grantsGetObject(st.Action) &&
      coversObjects(st.Resource, bucket)
    );
  });
}

/** What the website endpoint answers a visitor: 200 when it can serve, else 404 (no hosting) or 403. */
export function websiteAnswer(access: BucketAccess, bucket: string): 200 | 403 | 404 {
  if (access.website === undefined) return 404;
  if (access.publicAccessBlock?.restrictPublicBuckets === true) return 403;
  return allowsPublicRead(access.policy, bucket) ? 200 : 403;
}

/** Every reason the website endpoint will not serve, with the fix; or one `ok` finding. */
export function websiteFindings(access: BucketAccess, bucket: string, region: string): AccessFinding[] {
  const out: AccessFinding[] = [];
  const bpa = access.publicAccessBlock;
  if (access.website === undefined) {
    out.push({
      severity: 'blocking',
      message: 'Static website hosting is off: the website endpoint answers 404 NoSuchWebsiteConfiguration.',
      fix: 'Publish with --website (index.html, error document 404.html or index.html), or serve the bucket through CloudFront.',
    });
  }
  const unblock = `aws s3api put-public-access-block --bucket ${bucket} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=false`;
  const accountNote =
    ' (the account-level Block Public Access must allow it too: aws s3control get-public-access-block --account-id ACCOUNT)';
  if (bpa?.restrictPublicBuckets === true) {
    out.push({
      severity: 'blocking',
      message:
        'Block Public Access on the bucket (RestrictPublicBuckets) stops the website endpoint from serving: visitors get 403 Forbidden, whatever the policy says.',
      fix: `${unblock}${accountNote}`,
    });
  }
  if (!allowsPublicRead(access.policy, bucket)) {
    const policy = `aws s3api put-bucket-policy --bucket ${bucket} --policy '${publicReadPolicy(bucket)}'`;
    out.push({
      severity: 'blocking',
      message: `No bucket policy lets everyone read the objects (s3:GetObject for "*"): the website endpoint answers 403 Forbidden.${bpa?.blockPublicPolicy === true ? ' Block Public Access (BlockPublicPolicy) will refuse such a policy until it is turned off.' : ''}`,
      fix:
        bpa?.blockPublicPolicy === true && bpa.restrictPublicBuckets !== true
          ? `${unblock}${accountNote}; then ${policy}`
          : policy,
    });
  }
  if (out.length === 0) {
    out.push({
      severity: 'ok',
      message: `The website endpoint can serve the site: ${websiteEndpoint(bucket, region)} (unless the account-level Block Public Access forbids public buckets).`,
    });
  }
  return out;
}
