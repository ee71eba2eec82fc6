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
}

/** Reads the published maintenance site over HTTP. Never throws: failures are a `broken` or `missing` result. */
export interface SiteInspector {
  readiness(request: ReadinessRequest): Promise<SiteReadiness>;
}
