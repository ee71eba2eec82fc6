import type { RequestListener } from 'node:http';
import type { CallReceipt } from '../ports/index.js';
import { notFound } from '../domain/failures.js';
import type { BucketAccess, PutObject, SiteBucket, StoredObject, WebsiteConfig } from '../ports/site.js';
import { publicReadPolicy, websiteAnswer } from '../site/website-access.js';
import { randomHex } from './world.js';

interface SimObject {
  readonly body: Buffer;
  readonly contentType: string;
  readonly cacheControl: string;
  readonly sha256: string;
}

interface SimBucket {
  readonly objects: Map<string, SimObject>;
  access: BucketAccess;
}

/** A bucket set up as a maintenance site should be: website hosting on, a public-read policy, no Block Public Access. */
export function servingAccess(bucket: string): BucketAccess {
  return { website: { indexDocument: 'index.html', errorDocument: 'index.html' }, policy: publicReadPolicy(bucket) };
}

/**
 * The sandbox's simulated S3: buckets in memory behind the same `SiteBucket` port as the S3
 * adapter (missing buckets fail with the same not-found error), and a website endpoint over local
 * HTTP that answers as S3 static website hosting does: index documents, a 302 from `/x` to `/x/`,
 * the error document with 404, 403 when Block Public Access or the policy forbids, 405 for writes.
 */
export class SandboxBucket implements SiteBucket {
  readonly #buckets = new Map<string, SimBucket>();

  /** Creates a bucket (idempotent), by default set up to serve a website. */
  create(name: string, access: BucketAccess = servingAccess(name)): void {
    if (!this.#buckets.has(name)) this.#buckets.set(name, { objects: new Map(), access });
  }

  /** Changes what decides whether the website serves (for drills of a misconfigured bucket). */
  setAccess(name: string, access: BucketAccess): void {
    this.#bucket(name).access = access;
  }

  #bucket(name: string): SimBucket {
    const bucket = this.#buckets.get(name);
    if (bucket === undefined) throw notFound('Bucket', name);
    return bucket;
  }

  async list(bucket: string): Promise<readonly StoredObject[]> {
    return [...this.#bucket(bucket).objects]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, o]) => ({ key, size: o.body.length }));
  }

  async get(bucket: string, key: string): Promise<Uint8Array | undefined> {
    return this.#bucket(bucket).objects.get(key)?.body;
  }

  async put(bucket: string, object: PutObject): Promise<CallReceipt> {
    const { body, contentType, cacheControl, sha256 } = object;
    this.#bucket(bucket).objects.set(object.key, { body: Buffer.from(body), contentType, cacheControl, sha256 });
    return receipt();
  }

  async delete(bucket: string, keys: readonly string[]): Promise<CallReceipt> {
    const objects = this.#bucket(bucket).objects;
    for (const key of keys) objects.delete(key);
    return receipt();
  }

  async readAccess(bucket: string): Promise<BucketAccess> {
    return this.#bucket(bucket).access;
  }

  async configureWebsite(bucket: string, config: WebsiteConfig): Promise<CallReceipt> {
    const b = this.#bucket(bucket);
    b.access = { ...b.access, website: config };
    return receipt();
  }

  /** The website endpoint of `name`, as a request handler (see the class comment). */
  websiteHandler(name: string): RequestListener {
    return (req, res) => {
      const answer = this.#websiteAnswer(name, req.method ?? 'GET', new URL(req.url ?? '/', 'http://bucket').pathname);
      const headers: Record<string, string | number> = {
        'content-type': answer.contentType,
        'content-length': answer.body.length,
      };
      if (answer.cacheControl !== undefined) headers['cache-control'] = answer.cacheControl;
      if (answer.location !== undefined) headers['location'] = answer.location;
      res.writeHead(answer.status, headers).end(req.method === 'HEAD' ? undefined : answer.body);
    };
  }

  #websiteAnswer(name: string, method: string, path: string): WebsiteAnswer {
    const bucket = this.#buckets.get(name);
    if (bucket === undefined) return plain(404, 'NoSuchBucket');
    if (method !== 'GET' && method !== 'HEAD') return plain(405, 'MethodNotAllowed');
    const status = websiteAnswer(bucket.access, name);
    if (status !== 200) return plain(status, status === 404 ? 'NoSuchWebsiteConfiguration' : 'AccessDenied');
    const index = bucket.access.website?.indexDocument ?? 'index.html';
    const key = safeDecode(path).replace(/^\/+/, '');
    const found = bucket.objects.get(key === '' || key.endsWith('/') ? `${key}${index}` : key);
    if (found !== undefined) return { status: 200, ...found };
    if (!key.endsWith('/') && bucket.objects.has(`${key}/${index}`)) return { ...plain(302, ''), location: `${path}/` };
    const error = bucket.access.website?.errorDocument;
    const errorDoc = error === undefined ? undefined : bucket.objects.get(error);
    return errorDoc === undefined ? plain(404, 'NoSuchKey') : { ...errorDoc, status: 404 };
  }
}

interface WebsiteAnswer {
  readonly status: number;
  readonly body: Buffer;
  readonly contentType: string;
  readonly cacheControl?: string | undefined;
  readonly location?: string | undefined;
}

function plain(status: number, code: string): WebsiteAnswer {
  return {
    status,
    contentType: 'text/html; charset=utf-8',
    body: Buffer.from(code === '' ? '' : `<html><body><h1>${status} ${code}</h1></body></html>`),
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function receipt(): CallReceipt {
  return { requestId: randomHex(16).toUpperCase() };
}
