/**
 * The ports of the maintenance site: the bucket it is published to (S3, or the sandbox's simulated
 * bucket) and the inspector that tells whether the published site is ready (fresh, complete). Plain
 * JSON shapes, like the engine's ports; nothing here imports the AWS SDK.
 */
import type { CallReceipt } from './index.js';

/** One object in a bucket listing. */
export interface StoredObject {
  readonly key: string;
  /** Bytes. */
  readonly size: number;
}

/** An object to store, with the headers the website endpoint will serve it with. */
export interface PutObject {
  readonly key: string;
  readonly body: Uint8Array;
  readonly contentType: string;
  readonly cacheControl: string;
  /** Hex SHA-256 of `body`, kept as the object's `sha256` metadata. */
  readonly sha256: string;
}

/** Static website hosting: the document served for a folder, and the one served (404) for a missing key. */
export interface WebsiteConfig {
  readonly indexDocument: string;
  readonly errorDocument?: string | undefined;
}

/** The bucket's own S3 Block Public Access settings (all four flags, as the API names them). */
export interface PublicAccessBlock {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
}

/** What decides whether the website endpoint serves: hosting, Block Public Access, the policy. */
export interface BucketAccess {
  /** Undefined when static website hosting is off. */
  readonly website?: WebsiteConfig | undefined;
  /** Undefined when the bucket has no Block Public Access configuration of its own. */
  readonly publicAccessBlock?: PublicAccessBlock | undefined;
  /** The bucket policy (JSON text); undefined when there is none. */
  readonly policy?: string | undefined;
}

/**
 * A bucket the maintenance site is published to. A missing bucket is a translated not-found error
 * on every call. Every mutating call reports its receipt; none is retried blindly (puts and
 * deletes are idempotent, so the publisher may simply run again).
 */
export interface SiteBucket {
  /** Every object (all pages of the listing). */
  list(bucket: string): Promise<readonly StoredObject[]>;
  /** The object's bytes, or undefined when the key does not exist. */
  get(bucket: string, key: string): Promise<Uint8Array | undefined>;
  put(bucket: string, object: PutObject): Promise<CallReceipt>;
  /** Deletes the keys (missing keys are not an error). */
  delete(bucket: string, keys: readonly string[]): Promise<CallReceipt>;
  readAccess(bucket: string): Promise<BucketAccess>;
  configureWebsite(bucket: string, config: WebsiteConfig): Promise<CallReceipt>;
}

/** How ready the published maintenance site is. */
export type SiteReadinessState = 'fresh' | 'stale' | 'missing' | 'broken';

/** One page of the maintenance site as checked, with the assets it uses. */
export interface PageCheck {
  readonly url: string;
  readonly status?: number | undefined;
  readonly error?: string | undefined;
  /** Assets of the page that did not answer 2xx: `url status` or `url error`. */
  readonly failedAssets: readonly string[];
  readonly assets: number;
}

/**
 * The maintenance site as the inspector found it. `fresh`: its manifest is younger than
 * `maxAgeHours` and every page checked answered with its assets. `stale`: the same, but older.
 * `missing`: no manifest is published (a hand-made page, or nothing at all: see `pages`).
 * `broken`: a page or asset checked did not answer, or the manifest is unreadable.
 */
export interface SiteReadiness {
  readonly state: SiteReadinessState;
  /** One line for the operator. */
  readonly summary: string;
  /** ISO 8601, from the manifest. */
  readonly createdAt?: string | undefined;
  readonly ageHours?: number | undefined;
  readonly maxAgeHours: number;
  readonly pages: readonly PageCheck[];
  /** Epoch ms of the check. */
  readonly at: number;
  /** For an https:// maintenance URL: its certificate, and the CloudFront distribution in front of it. */
  readonly https?: HttpsReadiness | undefined;
}

/** The certificate a host presents, as a browser would judge it. */
export interface TlsFacts {
  /** The host the certificate must be valid for. */
  readonly host: string;
  /** Whether the chain is trusted and the certificate is valid for the host now. */
  readonly authorized: boolean;
  /** Why not (`ERR_TLS_CERT_ALTNAME_INVALID: ...`, `CERT_HAS_EXPIRED`, a connection error). */
  readonly error?: string | undefined;
  /** ISO 8601. */
  readonly validTo?: string | undefined;
  /** The DNS names and addresses it covers. */
  readonly names: readonly string[];
}

/** What the maintenance site's HTTPS readiness found, each with what it means for a failover. */
export type HttpsFindingCode =
  | 'maintenance-certificate'
  | 'maintenance-certificate-expiring'
  | 'maintenance-no-distribution'
  | 'maintenance-distribution-config'
  | 'maintenance-distribution-deploying'
  | 'maintenance-invalidation-pending'
  | 'maintenance-manifest-behind'
  | 'maintenance-edge-unread'
  | 'dns-failover-certificate';

export interface HttpsFinding {
  readonly code: HttpsFindingCode;
  /** `danger`: visitors would not get the site; `warning`: they would, but not as it should be. */
  readonly severity: 'danger' | 'warning';
  readonly message: string;
}

/** The maintenance site's distribution as read for readiness. */
export interface EdgeDistribution {
  readonly id: string;
  readonly domainName: string;
  readonly status: 'InProgress' | 'Deployed';
  readonly aliases: readonly string[];
  readonly certificateArn?: string | undefined;
  /** The names the distribution's ACM certificate covers (when it could be read). */
  readonly certificateNames?: readonly string[] | undefined;
}

/** The distribution's latest invalidation; `publishedAt` when a hotspare publish made it. */
export interface EdgeInvalidation {
  readonly id: string;
  readonly status: 'InProgress' | 'Completed';
  readonly createTime: string;
  readonly publishedAt?: string | undefined;
}

export interface HttpsReadiness {
  /** One line: certificate, distribution, latest invalidation. */
  readonly summary: string;
  readonly tls?: TlsFacts | undefined;
  readonly distribution?: EdgeDistribution | undefined;
  readonly invalidation?: EdgeInvalidation | undefined;
  /** `publishedAt` of the manifest the maintenance URL serves now. */
  readonly servedPublishedAt?: string | undefined;
  readonly findings: readonly HttpsFinding[];
}

/** Where the maintenance site's CloudFront distribution is expected, for an https:// URL published to a bucket. */
export interface EdgeRequest {
  /** The public maintenance host (the alternate domain name the distribution carries). */
  readonly host: string;
  /** `managed` (found by hotspare's tags, else by its alternate domain name) or a distribution id. */
  readonly distribution: string;
  /** The runbook's name: the `hotspare:site` tag a managed distribution carries. */
  readonly site?: string | undefined;
}

export interface ReadinessRequest {
  /** The maintenance site's URL (the manifest is read beside it). */
  readonly url: string;
  readonly maxAgeHours: number;
  /** Pages to fetch with their assets (0: the manifest only). */
  readonly samplePages: number;
  /** Text the first page must carry. */
  readonly expectText?: string | undefined;
  readonly timeoutMs?: number | undefined;
  /** For an https:// URL served by CloudFront: the distribution to read (absent: the certificate only). */
  readonly edge?: EdgeRequest | undefined;
  /** The bucket the copy is published to: the manifest the URL serves is compared with the one it holds. */
  readonly bucket?: string | undefined;
  /** A DNS failover of an HTTPS site to a CloudFront distribution: it must carry the site's host and a certificate for it. */
  readonly failover?: { readonly host: string; readonly domainName: string } | undefined;
}

/** Reads the published maintenance site over HTTP. Never throws: failures are a `broken` or `missing` result. */
export interface SiteInspector {
  readiness(request: ReadinessRequest): Promise<SiteReadiness>;
}
