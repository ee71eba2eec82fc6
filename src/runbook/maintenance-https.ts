import * as z from 'zod';
import { parseFailoverValue } from './formats.js';
import type { Runbook } from './schema.js';

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

/** An S3 REST endpoint (`bucket.s3.amazonaws.com`, `s3.us-east-1.amazonaws.com`): its certificate is Amazon's, never for your host. */
export function s3RestEndpoint(host: string): boolean {
  return /(^|\.)s3([.-][a-z0-9-]+)?\.amazonaws\.com(\.cn)?\.?$/i.test(host) && !s3Website(host);
}

/** A bucket's website endpoint, or the regional one a Route 53 alias to a website bucket names (`s3-website-eu-west-1.amazonaws.com`). */
export function s3Website(host: string): boolean {
  return s3WebsiteEndpoint(host) !== undefined || /^s3-website[.-][a-z0-9-]+\.amazonaws\.com(\.cn)?\.?$/i.test(host);
}

/** A CloudFront distribution's domain (`d111111abcdef8.cloudfront.net`). */
export function cloudFrontDomain(host: string): boolean {
  return /^[a-z0-9]+\.cloudfront\.net\.?$/i.test(host);
}

/** The CloudFront distribution in front of the maintenance bucket; every field has a default. */
export const maintenanceCloudFront = z.strictObject({
  /** `managed` (default): the one tagged `hotspare:site: NAME` by `hotspare site provision` (an untagged one carrying the maintenance host is adopted); or an id. */
  distribution: z
    .string()
    .regex(
      /^(managed|E[A-Z0-9]{7,20})$/,
      'managed (the distribution `hotspare site provision` makes), or a distribution id such as E1A2B3C4D5E6F7',
    )
    .optional(),
  /** `managed` (default): requested by `hotspare site provision`; or the ARN of an ACM certificate in us-east-1. */
  certificate: z
    .string()
    .regex(
      /^(managed|arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+)$/,
      "managed, or the ARN of an ACM certificate in us-east-1 (CloudFront takes certificates from us-east-1 only, whatever the runbook's region)",
    )
    .optional(),
  /** The Route 53 zone of the maintenance host (default: found from the host name). */
  hostedZoneId: z
    .string()
    .regex(/^(\/hostedzone\/)?[A-Z0-9]{1,32}$/, 'a hosted zone id such as Z0123456789ABCDEFGHIJ')
    .optional(),
  /** CloudFront's price class (default PriceClass_100: North America and Europe). */
  priceClass: z
    .enum(
      ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'],
      'one of PriceClass_100, PriceClass_200 or PriceClass_All',
    )
    .optional(),
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
 * endpoint (by CNAME or alias) serves HTTP only, and an S3 REST endpoint presents Amazon's
 * certificate, not one for the site's host.
 */
export function dnsFailoverProblem(siteUrl: string, failoverValue: string): string | undefined {
  if (!URL.canParse(siteUrl) || new URL(siteUrl).protocol !== 'https:') return undefined;
  const parsed = parseFailoverValue(failoverValue);
  // A malformed value is the schema's own error.
  if (parsed.kind === 'problem') return undefined;
  const targets = parsed.kind === 'alias' ? [parsed.dnsName] : parsed.values;
  const host = new URL(siteUrl).hostname;
  const website = targets.find((t) => s3Website(t));
  const rest = targets.find((t) => s3RestEndpoint(t));
  if (website === undefined && rest === undefined) return undefined;
  const why =
    website !== undefined
      ? `${website} is an S3 website endpoint: it serves HTTP only and cannot present a certificate for ${host}`
      : `${rest!} is an S3 REST endpoint: the certificate it presents is Amazon's (*.s3.amazonaws.com), not one for ${host}`;
  return (
    `${why}, so every visitor of the HTTPS site gets a TLS error after the failover. ` +
    "Expected an alias to the maintenance site's CloudFront distribution (type A, failoverValue alias:Z2FDTNDATAQYW2:d111111abcdef8.cloudfront.net) " +
    "with the site's host as an alternate domain name of the distribution and a certificate that covers it, or another target that holds a certificate for the host"
  );
}

/** When Chrome began to warn before every http:// site (issue 22). */
export const CHROME_HTTPS_FIRST = 'Chrome 154 (October 2026)';

/** Why an http:// maintenance URL greets visitors with a warning, or undefined for https://. */
export function httpMaintenanceWarning(url: string): string | undefined {
  if (!URL.canParse(url) || new URL(url).protocol !== 'http:') return undefined;
  const host = new URL(url).hostname;
  // A loopback address (the sandbox's local servers, a test's) is no public site: no visitor's Chrome reaches it.
  if (/^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i.test(host)) return undefined;
  const website = s3WebsiteEndpoint(host);
  return (
    `${url} is plain HTTP: since ${CHROME_HTTPS_FIRST} "Always Use Secure Connections" is on by default, and Chrome shows a full-page warning before it, in the middle of the outage. ` +
    `Expected an https:// URL served by CloudFront with a certificate for its host (maintenance.url: https://maintenance.example.com/ and maintenance.bucket${website === undefined ? '' : `: ${website.bucket}`}; \`hotspare site provision RUNBOOK\` makes the certificate, distribution and DNS alias)`
  );
}

/** A runbook that loads but will not work as well as it should: field path, and why. */
export interface RunbookWarning {
  readonly path: readonly string[];
  readonly message: string;
}

/** What `validate` warns about (the runbook is valid; these are not errors). Pure. */
export function runbookWarnings(runbook: Runbook): RunbookWarning[] {
  const http = httpMaintenanceWarning(runbook.maintenance.url);
  return http === undefined ? [] : [{ path: ['maintenance', 'url'], message: http }];
}

/** Where the runbook's maintenance copy is cached: its distribution (id or `managed`) and host, for an https:// public URL only. */
export function runbookDistribution(runbook: Runbook): { distribution?: string; host?: string; site?: string } {
  const url = new URL(runbook.maintenance.url);
  if (url.protocol !== 'https:' || /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i.test(url.hostname)) return {};
  return {
    distribution: runbook.maintenance.cloudfront?.distribution ?? 'managed',
    host: url.hostname,
    site: runbook.name,
  };
}

/** The DNS failover of an HTTPS site to a CloudFront distribution (`alias:ZONE:dXXXX.cloudfront.net`): the site's host and the distribution's domain. */
export function cloudFrontFailover(runbook: Runbook): { host: string; domainName: string } | undefined {
  if (runbook.dns === undefined || !runbook.steps.some((s) => s.type === 'dns-failover')) return undefined;
  const site = new URL(runbook.site.url);
  if (site.protocol !== 'https:') return undefined;
  const parsed = parseFailoverValue(runbook.dns.failoverValue);
  if (parsed.kind === 'problem') return undefined;
  const target = (parsed.kind === 'alias' ? parsed.dnsName : (parsed.values[0] ?? '')).replace(/\.$/, '').toLowerCase();
  return cloudFrontDomain(target) ? { host: site.hostname.toLowerCase(), domainName: target } : undefined;
}
