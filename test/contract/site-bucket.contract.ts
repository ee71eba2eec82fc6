import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicAccessBlock, SiteBucket } from '../../src/ports/site.js';
import { publicReadPolicy } from '../../src/site/website-access.js';

/** What each implementation under contract hands the suite. */
export interface BucketContractSetup {
  readonly bucket: SiteBucket;
  /** Creates an empty bucket with no website hosting, policy or Block Public Access of its own. */
  createBucket(name: string): Promise<void>;
  /** Sets a bucket policy and Block Public Access the implementation's own way (not through the port). */
  restrict(name: string, policy: string, block: PublicAccessBlock): Promise<void>;
  cleanup(): Promise<void>;
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (body: Uint8Array | undefined): string | undefined =>
  body === undefined ? undefined : new TextDecoder().decode(body);
const object = (key: string, body: string) => ({
  key,
  body: bytes(body),
  contentType: 'text/html; charset=utf-8',
  cacheControl: 'public, max-age=60',
  sha256: '0'.repeat(64),
});

/**
 * The SiteBucket contract the S3 adapter (on moto) and the sandbox's simulated bucket both keep, so
 * publishing to the sandbox behaves as publishing to S3 does.
 */
export function siteBucketContract(label: string, setup: () => Promise<BucketContractSetup>): void {
  describe(`site bucket contract: ${label}`, () => {
    let ctx: BucketContractSetup;
    const name = 'maintenance.contract.test';

    beforeAll(async () => {
      ctx = await setup();
      await ctx.createBucket(name);
    });
    afterAll(() => ctx.cleanup());

    it('a new bucket lists nothing and has no website, policy or Block Public Access', async () => {
      expect(await ctx.bucket.list(name)).toEqual([]);
      expect(await ctx.bucket.readAccess(name)).toEqual({
        website: undefined,
        publicAccessBlock: undefined,
        policy: undefined,
      });
    });

    it('stores, lists, reads back and overwrites objects; a missing key reads as undefined', async () => {
      await ctx.bucket.put(name, object('index.html', '<h1>one</h1>'));
      await ctx.bucket.put(name, object('about/index.html', '<h1>about</h1>'));
      expect(text(await ctx.bucket.get(name, 'index.html'))).toBe('<h1>one</h1>');
      await ctx.bucket.put(name, object('index.html', '<h1>two!</h1>'));
      expect(text(await ctx.bucket.get(name, 'index.html'))).toBe('<h1>two!</h1>');
      expect(await ctx.bucket.get(name, 'nope.html')).toBeUndefined();
      expect(await ctx.bucket.list(name)).toEqual([
        { key: 'about/index.html', size: 14 },
        { key: 'index.html', size: 13 },
      ]);
    });

    it('deletes keys, and deleting a key that is not there is not an error', async () => {
      await ctx.bucket.delete(name, ['about/index.html', 'never-was.html']);
      expect((await ctx.bucket.list(name)).map((o) => o.key)).toEqual(['index.html']);
      await ctx.bucket.delete(name, []);
    });

    it('configures website hosting and reads it back', async () => {
      await ctx.bucket.configureWebsite(name, { indexDocument: 'index.html', errorDocument: '404.html' });
      expect((await ctx.bucket.readAccess(name)).website).toEqual({
        indexDocument: 'index.html',
        errorDocument: '404.html',
      });
    });

    it('reads back the bucket policy and Block Public Access as they were set', async () => {
      const block = {
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: false,
        restrictPublicBuckets: true,
      };
      await ctx.restrict(name, publicReadPolicy(name), block);
      const access = await ctx.bucket.readAccess(name);
      expect(access.publicAccessBlock).toEqual(block);
      expect(JSON.parse(access.policy ?? '{}')).toMatchObject({
        Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${name}/*` }],
      });
    });

    it('a bucket that does not exist fails with BucketNotFound on every call', async () => {
      const missing = 'no-such-bucket-for-hotspare';
      await expect(ctx.bucket.list(missing)).rejects.toMatchObject({ code: 'BucketNotFound' });
      await expect(ctx.bucket.put(missing, object('x', 'y'))).rejects.toMatchObject({ code: 'BucketNotFound' });
      await expect(ctx.bucket.readAccess(missing)).rejects.toMatchObject({ code: 'BucketNotFound' });
    });
  });
}
