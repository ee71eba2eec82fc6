import * as z from 'zod';

/**
 * What an HTTPS maintenance site needs, as the runbook says it (`maintenance.cloudfront`), and the
 * rules of what cannot work, checked when the runbook is read: an S3 website endpoint speaks HTTP
 * only and cannot present a certificate for any host of yours.
 */

/** `maintenance.example.com.s3-website-us-east-1.amazonaws.com` (and `s3-website.REGION`): the bucket and region, or undefined. */
export function s3WebsiteEndpoint(host: string): { readonly bucket: string; readonly region: string } | undefined {
  const match = /^(.+)\.s3-website[.-]([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\.?$/i.exec(host);
  return match === null ? undefined : { bucket: match[1]!.toLowerCase(), region: match[2]!.toLowerCase() };
}

/** The CloudFront distribution in front of the maintenance bucket; every field has a default. */
export const maintenanceCloudFront = z.strictObject({
  /** `managed` (default): the one hotspare provisions, found by its alternate domain name or its `hotspare:site` tag; or an id. */
  distribution: z
    .string()
    .regex(/^(managed|E[A-Z0-9]{7,20})$/, 'managed (the distribution `hotspare site provision` makes), or a distribution id such as E1A2B3C4D5E6F7')
    .optional(),
  /** `managed` (default): requested by `hotspare site provision`; or the ARN of an ACM certificate in us-east-1. */
  certificate: z
    .string()
    .regex(
      /^(managed|arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+)$/,
      'managed, or the ARN of an ACM certificate in us-east-1 (CloudFront takes certificates from us-east-1 only, whatever the runbook\'s region)',
    )
    .optional(),
  /** The Route 53 zone of the maintenance host (default: found from the host name). */
  hostedZoneId: z.string().regex(/^(\/hostedzone\/)?[A-Z0-9]{1,32}$/, 'a hosted zone id such as Z0123456789ABCDEFGHIJ').optional(),
  /** CloudFront's price class (default PriceClass_100: North America and Europe). */
  priceClass: z.enum(['PriceClass_100', 'PriceClass_200', 'PriceClass_All'], 'one of PriceClass_100, PriceClass_200 or PriceClass_All').optional(),
});

export type MaintenanceCloudFront = z.infer<typeof maintenanceCloudFront>;

/** Why an https:// maintenance URL cannot work as written, or undefined. */
export function httpsUrlProblem(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' || s3WebsiteEndpoint(parsed.hostname) === undefined) return undefined;
  return (
    `${parsed.hostname} is an S3 website endpoint, which serves HTTP only and has no certificate: every visitor of this https:// URL gets a connection error. ` +
    'Expected the https:// URL of your maintenance host served by CloudFront (e.g. https://maintenance.example.com/ with maintenance.bucket; `hotspare site provision` makes the distribution and certificate)'
  );
}

/**
 * Why the DNS failover of an HTTPS site to `failoverValue` cannot work, or undefined: an S3 website
 * endpoint (by CNAME or alias) presents no certificate for the site's host.
 */
export function dnsFailoverProblem(siteUrl: string, failoverValue: string): string | undefined {
  if (!siteUrl.toLowerCase().startsWith('https:')) return undefined;
  const alias = /^alias:[A-Z0-9]+:(.+)$/.exec(failoverValue);
  const targets = alias === null ? failoverValue.split(',').map((v) => v.trim()) : [alias[1]!];
  const website = targets.find((t) => s3WebsiteEndpoint(t) !== undefined);
  if (website === undefined) return undefined;
  const host = new URL(siteUrl).hostname;
  return (
    `${website} is an S3 website endpoint: it cannot present a certificate for ${host}, so every visitor of the HTTPS site gets a TLS error after the failover. ` +
    'Expected `cloudfront` (the maintenance distribution, with the site\'s host as an alternate domain name: `hotspare site provision` adds it), or another target that holds a certificate for the host'
  );
}
