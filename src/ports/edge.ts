/**
 * The ports of the maintenance site's edge: the CloudFront distribution in front of the bucket, the
 * ACM certificate it presents (CloudFront takes certificates from us-east-1 only, whatever the
 * runbook's region) and the Route 53 zone that holds the maintenance host's records. Plain JSON
 * shapes, like the engine's ports; nothing here imports the AWS SDK. The AWS adapters and the
 * sandbox implement them, and one contract test runs on both.
 */
import type { CallReceipt } from './index.js';

// ---------------------------------------------------------------- certificates (ACM, us-east-1)

/** ACM's certificate states, as the API spells them. */
export type CertificateStatus =
  | 'PENDING_VALIDATION'
  | 'ISSUED'
  | 'INACTIVE'
  | 'EXPIRED'
  | 'VALIDATION_TIMED_OUT'
  | 'REVOKED'
  | 'FAILED';

/** One DNS validation record ACM asks for: a CNAME `name` -> `value`, proving control of `domainName`. */
export interface ValidationRecord {
  readonly domainName: string;
  readonly name: string;
  readonly type: string;
  readonly value: string;
  /** `PENDING_VALIDATION`, `SUCCESS`, `FAILED`. */
  readonly status?: string | undefined;
}

/** A certificate as ListCertificates shows it. */
export interface CertificateSummary {
  readonly arn: string;
  readonly domainName: string;
  readonly status: string;
}

/** A certificate as DescribeCertificate and ListTagsForCertificate show it. */
export interface CertificateInfo extends CertificateSummary {
  /** Every name it covers, the domain name included. */
  readonly subjectAlternativeNames: readonly string[];
  /** ISO 8601; absent until issued. */
  readonly notAfter?: string | undefined;
  /** Empty until ACM has worked them out (a few seconds after the request). */
  readonly validation: readonly ValidationRecord[];
  readonly tags: Readonly<Record<string, string>>;
  /** ARNs of what uses it (distributions). */
  readonly inUseBy: readonly string[];
}

export interface CertificateRequest {
  readonly domainName: string;
  /** Other names, besides the domain name. */
  readonly subjectAlternativeNames: readonly string[];
  /** ACM returns the same certificate for the same token within an hour (up to 32 word characters). */
  readonly idempotencyToken: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** ACM in us-east-1 (the only region CloudFront takes certificates from). */
export interface Certificates {
  /** Every certificate that is pending validation or issued. */
  listCertificates(): Promise<readonly CertificateSummary[]>;
  /** A NotFound error when it does not exist. */
  describeCertificate(arn: string): Promise<CertificateInfo>;
  /** RequestCertificate with DNS validation, tagged in the same call. Sent once (never retried by the SDK). */
  requestCertificate(request: CertificateRequest): Promise<CallReceipt & { readonly arn: string }>;
}

// ---------------------------------------------------------------- distributions (CloudFront)

export type DistributionStatus = 'InProgress' | 'Deployed';

/** A distribution as ListDistributions shows it. */
export interface DistributionSummary {
  readonly id: string;
  readonly arn: string;
  /** `d111111abcdef8.cloudfront.net`. */
  readonly domainName: string;
  readonly status: DistributionStatus;
  /** Alternate domain names (CNAMEs), lower case. */
  readonly aliases: readonly string[];
  readonly enabled: boolean;
  readonly comment?: string | undefined;
}

/** What a page missing at the origin is answered with (CloudFront's custom error responses). */
export interface ErrorResponse {
  /** The origin's status, e.g. 404 or 403. */
  readonly errorCode: number;
  /** The page served instead, e.g. `/404.html`. */
  readonly pagePath: string;
  /** The status the visitor gets. */
  readonly responseCode: number;
  /** Seconds CloudFront keeps the error before asking the origin again. */
  readonly cachingMinTtl: number;
}

/** What hotspare sets on a distribution it manages: enough to create it, and to compare one that exists. */
export interface DistributionSpec {
  readonly comment: string;
  /** The maintenance host first; the site's host too when a DNS failover points it here. */
  readonly aliases: readonly string[];
  /** The S3 website endpoint host (`bucket.s3-website-us-east-1.amazonaws.com`), reached over HTTP. */
  readonly originDomain: string;
  readonly certificateArn: string;
  /** `PriceClass_100`, `PriceClass_200`, `PriceClass_All`. */
  readonly priceClass: string;
  readonly defaultRootObject: string;
  readonly errorResponses: readonly ErrorResponse[];
}

/** A distribution as GetDistribution shows it: its summary and the settings hotspare compares. */
export interface DistributionInfo extends DistributionSummary {
  readonly originDomains: readonly string[];
  readonly certificateArn?: string | undefined;
  /** `redirect-to-https`, `https-only`, `allow-all`. */
  readonly viewerProtocolPolicy: string;
  readonly priceClass: string;
  readonly defaultRootObject: string;
  readonly errorResponses: readonly ErrorResponse[];
  /** The path patterns of its cache behaviours beside the default one: an update to hotspare's settings removes them. */
  readonly cacheBehaviorPaths?: readonly string[] | undefined;
}

/** An invalidation's status: CloudFront serves the new objects everywhere once it is `Completed`. */
export type InvalidationStatus = 'InProgress' | 'Completed';

export interface InvalidationInfo {
  readonly id: string;
  readonly status: InvalidationStatus;
  /** ISO 8601. */
  readonly createTime: string;
  /** Only from CreateInvalidation and GetInvalidation. */
  readonly paths?: readonly string[] | undefined;
  readonly callerReference?: string | undefined;
}

export interface Distributions {
  listDistributions(): Promise<readonly DistributionSummary[]>;
  /** A NotFound error when it does not exist. */
  getDistribution(id: string): Promise<DistributionInfo>;
  /** The distribution's tags (ListTagsForResource). */
  tagsOf(arn: string): Promise<Readonly<Record<string, string>>>;
  /** CreateDistributionWithTags: HTTPS only for visitors (redirect-to-https), the website endpoint over HTTP. */
  createDistribution(
    spec: DistributionSpec,
    callerReference: string,
    tags: Readonly<Record<string, string>>,
  ): Promise<CallReceipt & { readonly distribution: DistributionInfo }>;
  /** UpdateDistribution: the spec's settings over the distribution's current configuration (read first, with its ETag). */
  updateDistribution(
    id: string,
    spec: DistributionSpec,
  ): Promise<CallReceipt & { readonly distribution: DistributionInfo }>;
  /** TagResource: adds (or overwrites) these tags. Optional: provision prints the tags to add where it is missing. */
  readonly tagResource?: ((arn: string, tags: Readonly<Record<string, string>>) => Promise<CallReceipt>) | undefined;
  /** CreateInvalidation of exactly `paths` (each starting with `/`). */
  createInvalidation(
    distributionId: string,
    paths: readonly string[],
    callerReference: string,
  ): Promise<CallReceipt & { readonly invalidation: InvalidationInfo }>;
  /** The distribution's invalidations, newest first. */
  listInvalidations(distributionId: string): Promise<readonly InvalidationInfo[]>;
  getInvalidation(distributionId: string, invalidationId: string): Promise<InvalidationInfo>;
}

// ---------------------------------------------------------------- zones (Route 53)

export interface HostedZoneRef {
  /** Without the `/hostedzone/` prefix. */
  readonly id: string;
  /** Without the trailing dot. */
  readonly name: string;
}

export interface Zones {
  /** The public hosted zone of this account that holds `host` (the longest matching name), or undefined. */
  findZoneFor(host: string): Promise<HostedZoneRef | undefined>;
}

/** Everything at the edge: certificates, distributions, zones. */
export interface Edge {
  readonly certificates: Certificates;
  readonly distributions: Distributions;
  readonly zones: Zones;
}
