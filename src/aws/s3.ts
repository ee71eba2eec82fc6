import {
  DeleteObjectsCommand,
  GetBucketPolicyCommand,
  GetBucketWebsiteCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  ListObjectsV2Command,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { CallReceipt } from '../ports/index.js';
import { ExternalError } from '../domain/errors.js';
import type { BucketAccess, PutObject, SiteBucket, StoredObject, WebsiteConfig } from '../ports/site.js';
import { sdkClientConfig } from './client-config.js';
import { awsErrorName, callAws, translateAwsError } from './errors.js';
import type { AwsPortsOptions } from './index.js';
import { receiptOf } from './receipt.js';

/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1000;

type Call = <T>(operation: string, bucket: string, send: () => Promise<T>) => Promise<T>;

/**
 * The SiteBucket port over S3. With an explicit endpoint (moto, LocalStack) requests use path-style
 * addressing, which every emulator understands. Absent objects and absent bucket settings
 * (`NoSuchKey`, `NoSuchWebsiteConfiguration`, ...) are answers, not errors; everything else goes
 * through `translateAwsError`.
 */
export function createSiteBucket(options: AwsPortsOptions): SiteBucket {
  // A bucket in another region than the client's answers 301: follow it rather than fail.
  const client = new S3Client({
    ...sdkClientConfig(options),
    followRegionRedirects: true,
    ...(options.endpointUrl === undefined ? {} : { forcePathStyle: true }),
  });
  const endpoint = options.endpointUrl;
  const call: Call = (operation, bucket, send) =>
    callAws({ service: 's3', operation, resource: bucket, endpoint }, send);
  /** `send`, with the named "nothing there" error read as undefined. */
  const orNothing = async <T>(
    operation: string,
    bucket: string,
    absent: string,
    send: () => Promise<T>,
  ): Promise<T | undefined> => {
    try {
      return await send();
    } catch (error) {
      if (awsErrorName(error) === absent) return undefined;
      throw translateAwsError(error, { service: 's3', operation, resource: bucket, endpoint });
    }
  };
  return {
    list: (bucket) => list(client, call, bucket),
    get: async (bucket, key) => {
      const out = await orNothing('GetObject', bucket, 'NoSuchKey', () =>
        client.send(new GetObjectCommand({ Bucket: bucket, Key: key })),
      );
      return out?.Body === undefined ? undefined : out.Body.transformToByteArray();
    },
    put: (bucket, object) => put(client, call, bucket, object),
    delete: (bucket, keys) => deleteKeys(client, call, bucket, keys),
    readAccess: (bucket) => readAccess(client, bucket, orNothing),
    configureWebsite: async (bucket, config) => {
      const input = { Bucket: bucket, WebsiteConfiguration: websiteInput(config) };
      return receiptOf(await call('PutBucketWebsite', bucket, () => client.send(new PutBucketWebsiteCommand(input))));
    },
  };
}

async function list(client: S3Client, call: Call, bucket: string): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  let token: string | undefined;
  do {
    const page = await call('ListObjectsV2', bucket, () =>
      client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token })),
    );
    for (const o of page.Contents ?? []) if (o.Key !== undefined) out.push({ key: o.Key, size: o.Size ?? 0 });
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return out;
}

async function put(client: S3Client, call: Call, bucket: string, o: PutObject): Promise<CallReceipt> {
  const input = {
    Bucket: bucket,
    Key: o.key,
    Body: o.body,
    ContentType: o.contentType,
    CacheControl: o.cacheControl,
    Metadata: { sha256: o.sha256 },
  };
  return receiptOf(await call('PutObject', bucket, () => client.send(new PutObjectCommand(input))));
}

async function deleteKeys(client: S3Client, call: Call, bucket: string, keys: readonly string[]): Promise<CallReceipt> {
  let receipt: CallReceipt = {};
  for (let i = 0; i < keys.length; i += DELETE_BATCH) {
    const batch = keys.slice(i, i + DELETE_BATCH).map((Key) => ({ Key }));
    const out = await call('DeleteObjects', bucket, () =>
      client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } })),
    );
    const failed = out.Errors ?? [];
    if (failed.length > 0) {
      const first = failed[0];
      throw new ExternalError(
        `S3 did not delete ${failed.length} object(s) from ${bucket}, e.g. ${first?.Key ?? '?'}: ${first?.Message ?? first?.Code ?? 'unknown error'}.`,
        {
          code: 'DeleteFailed',
          awsCode: first?.Code,
          retryable: true,
          nextSteps: 'Publish again: objects already deleted are skipped.',
        },
      );
    }
    receipt = receiptOf(out);
  }
  return receipt;
}

type OrNothing = <T>(
  operation: string,
  bucket: string,
  absent: string,
  send: () => Promise<T>,
) => Promise<T | undefined>;

async function readAccess(client: S3Client, bucket: string, orNothing: OrNothing): Promise<BucketAccess> {
  const [website, block, policy] = await Promise.all([
    orNothing('GetBucketWebsite', bucket, 'NoSuchWebsiteConfiguration', () =>
      client.send(new GetBucketWebsiteCommand({ Bucket: bucket })),
    ),
    orNothing('GetPublicAccessBlock', bucket, 'NoSuchPublicAccessBlockConfiguration', () =>
      client.send(new GetPublicAccessBlockCommand({ Bucket: bucket })),
    ),
    orNothing('GetBucketPolicy', bucket, 'NoSuchBucketPolicy', () =>
      client.send(new GetBucketPolicyCommand({ Bucket: bucket })),
    ),
  ]);
  const bpa = block?.PublicAccessBlockConfiguration;
  return {
    website:
      website?.IndexDocument?.Suffix === undefined
        ? undefined
        : { indexDocument: website.IndexDocument.Suffix, errorDocument: website.ErrorDocument?.Key },
    publicAccessBlock:
      bpa === undefined
        ? undefined
        : {
            blockPublicAcls: bpa.BlockPublicAcls === true,
            ignorePublicAcls: bpa.IgnorePublicAcls === true,
            blockPublicPolicy: bpa.BlockPublicPolicy === true,
            restrictPublicBuckets: bpa.RestrictPublicBuckets === true,
          },
    policy: policy?.Policy,
  };
}

function websiteInput(config: WebsiteConfig) {
  return {
    IndexDocument: { Suffix: config.indexDocument },
    ...(config.errorDocument === undefined ? {} : { ErrorDocument: { Key: config.errorDocument } }),
  };
}
