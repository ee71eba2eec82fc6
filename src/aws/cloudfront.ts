import {
  type CloudFrontClient,
  CreateDistributionWithTagsCommand,
  CreateInvalidationCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  GetInvalidationCommand,
  ListDistributionsCommand,
  ListInvalidationsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateDistributionCommand,
  type CustomErrorResponse,
  type Distribution,
  type DistributionConfig,
  type DistributionSummary as SdkSummary,
  type Invalidation,
  type InvalidationSummary,
} from '@aws-sdk/client-cloudfront';
import { BugError } from '../domain/errors.js';
import type {
  DistributionInfo,
  DistributionSpec,
  Distributions,
  DistributionStatus,
  DistributionSummary,
  ErrorResponse,
  InvalidationInfo,
} from '../ports/edge.js';
import { callAws } from './errors.js';
import { receiptOf } from './receipt.js';

/** CloudFront's managed cache policy "CachingOptimized": it honours the origin's Cache-Control (60 s for pages, none for the manifest). */
export const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const ORIGIN_ID = 'hotspare-s3-website';

type Call = <T>(operation: string, resource: string, send: () => Promise<T>) => Promise<T>;

/**
 * The Distributions port over CloudFront (a global service: the SDK signs for us-east-1). Mutating
 * calls go through `writer`, which never retries. Statuses are normalized (`COMPLETED` from some
 * emulators reads as `Completed`).
 */
export function createDistributions(
  client: CloudFrontClient,
  endpoint?: string,
  writer: CloudFrontClient = client,
): Distributions {
  const call: Call = (operation, resource, send) =>
    callAws({ service: 'cloudfront', operation, resource, endpoint }, send);
  return {
    listDistributions: () => listDistributions(client, call),
    getDistribution: async (id) => {
      const out = await call('GetDistribution', id, () => client.send(new GetDistributionCommand({ Id: id })));
      return fromDistribution(required(out.Distribution, 'GetDistribution'));
    },
    tagsOf: async (arn) => {
      const out = await call('ListTagsForResource', arn, () =>
        client.send(new ListTagsForResourceCommand({ Resource: arn })),
      );
      return Object.fromEntries((out.Tags?.Items ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    },
    createDistribution: async (spec, callerReference, tags) => {
      const input = {
        DistributionConfigWithTags: {
          DistributionConfig: configFor(spec, callerReference),
          Tags: { Items: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
        },
      };
      const out = await call('CreateDistributionWithTags', spec.aliases[0] ?? '', () =>
        writer.send(new CreateDistributionWithTagsCommand(input)),
      );
      return {
        ...receiptOf(out),
        distribution: fromDistribution(required(out.Distribution, 'CreateDistributionWithTags')),
      };
    },
    updateDistribution: async (id, spec) => {
      const current = await call('GetDistributionConfig', id, () =>
        client.send(new GetDistributionConfigCommand({ Id: id })),
      );
      const config = required(current.DistributionConfig, 'GetDistributionConfig');
      const input = {
        Id: id,
        IfMatch: current.ETag,
        DistributionConfig: {
          ...configFor(spec, config.CallerReference ?? id),
          Logging: config.Logging,
          WebACLId: config.WebACLId,
        },
      };
      const out = await call('UpdateDistribution', id, () => writer.send(new UpdateDistributionCommand(input)));
      return { ...receiptOf(out), distribution: fromDistribution(required(out.Distribution, 'UpdateDistribution')) };
    },
    tagResource: async (arn, tags) => {
      const input = { Resource: arn, Tags: { Items: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } };
      return receiptOf(await call('TagResource', arn, () => writer.send(new TagResourceCommand(input))));
    },
    createInvalidation: async (distributionId, paths, callerReference) => {
      const input = {
        DistributionId: distributionId,
        InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: [...paths] } },
      };
      const out = await call('CreateInvalidation', distributionId, () =>
        writer.send(new CreateInvalidationCommand(input)),
      );
      return { ...receiptOf(out), invalidation: fromInvalidation(required(out.Invalidation, 'CreateInvalidation')) };
    },
    listInvalidations: (distributionId) => listInvalidations(client, call, distributionId),
    getInvalidation: async (distributionId, invalidationId) => {
      const out = await call('GetInvalidation', invalidationId, () =>
        client.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: invalidationId })),
      );
      return fromInvalidation(required(out.Invalidation, 'GetInvalidation'));
    },
  };
}

function required<T>(value: T | undefined, operation: string): T {
  if (value === undefined) throw new BugError(`CloudFront ${operation} returned nothing.`, { code: 'EmptyAnswer' });
  return value;
}

async function listDistributions(client: CloudFrontClient, call: Call): Promise<DistributionSummary[]> {
  const out: Promise<DistributionSummary>[] = [];
  let marker: string | undefined;
  do {
    const page = await call('ListDistributions', '*', () =>
      client.send(new ListDistributionsCommand({ Marker: marker })),
    );
    for (const d of page.DistributionList?.Items ?? [])
      out.push(d.Aliases === undefined ? withAliases(client, call, d) : Promise.resolve(fromSummary(d)));
    marker = page.DistributionList?.IsTruncated === true ? page.DistributionList.NextMarker : undefined;
  } while (marker !== undefined && marker !== '');
  return Promise.all(out);
}

/** CloudFront lists every distribution with its aliases (`Quantity: 0` when none); an emulator that leaves them out is asked for each one. */
async function withAliases(client: CloudFrontClient, call: Call, d: SdkSummary): Promise<DistributionSummary> {
  const id = d.Id ?? '';
  const full = await call('GetDistribution', id, () => client.send(new GetDistributionCommand({ Id: id })));
  return {
    ...fromSummary(d),
    aliases: (full.Distribution?.DistributionConfig?.Aliases?.Items ?? []).map((a) => a.toLowerCase()),
  };
}

async function listInvalidations(
  client: CloudFrontClient,
  call: Call,
  distributionId: string,
): Promise<InvalidationInfo[]> {
  const out: InvalidationInfo[] = [];
  let marker: string | undefined;
  do {
    const page = await call('ListInvalidations', distributionId, () =>
      client.send(new ListInvalidationsCommand({ DistributionId: distributionId, Marker: marker })),
    );
    for (const i of page.InvalidationList?.Items ?? []) out.push(fromInvalidationSummary(i));
    marker = page.InvalidationList?.IsTruncated === true ? page.InvalidationList.NextMarker : undefined;
  } while (marker !== undefined && marker !== '');
  // Newest first, whatever order the service lists them in.
  return out.sort((a, b) => b.createTime.localeCompare(a.createTime));
}

function statusOf(status: string | undefined): DistributionStatus {
  return status === 'Deployed' ? 'Deployed' : 'InProgress';
}

function invalidationStatus(status: string | undefined): InvalidationInfo['status'] {
  return status?.toLowerCase() === 'completed' ? 'Completed' : 'InProgress';
}

function iso(date: Date | string | undefined): string {
  if (date === undefined) return new Date(0).toISOString();
  return typeof date === 'string' ? new Date(date).toISOString() : date.toISOString();
}

function fromSummary(d: SdkSummary): DistributionSummary {
  return {
    id: d.Id ?? '',
    arn: d.ARN ?? '',
    domainName: d.DomainName ?? '',
    status: statusOf(d.Status),
    aliases: (d.Aliases?.Items ?? []).map((a) => a.toLowerCase()),
    enabled: d.Enabled !== false,
    comment: d.Comment,
  };
}

function errorResponsesOf(items: readonly CustomErrorResponse[] | undefined): ErrorResponse[] {
  return (items ?? []).map((e) => ({
    errorCode: e.ErrorCode ?? 0,
    pagePath: e.ResponsePagePath ?? '',
    responseCode: Number(e.ResponseCode ?? e.ErrorCode ?? 0),
    cachingMinTtl: e.ErrorCachingMinTTL ?? 0,
  }));
}

function fromDistribution(d: Distribution): DistributionInfo {
  const c: Partial<DistributionConfig> = d.DistributionConfig ?? {};
  return {
    id: d.Id ?? '',
    arn: d.ARN ?? '',
    domainName: d.DomainName ?? '',
    status: statusOf(d.Status),
    aliases: (c.Aliases?.Items ?? []).map((a) => a.toLowerCase()),
    enabled: c.Enabled !== false,
    comment: c.Comment,
    originDomains: (c.Origins?.Items ?? []).map((o) => o.DomainName ?? ''),
    certificateArn: c.ViewerCertificate?.ACMCertificateArn === '' ? undefined : c.ViewerCertificate?.ACMCertificateArn,
    viewerProtocolPolicy: c.DefaultCacheBehavior?.ViewerProtocolPolicy ?? '',
    priceClass: c.PriceClass ?? 'PriceClass_All',
    defaultRootObject: c.DefaultRootObject ?? '',
    errorResponses: errorResponsesOf(c.CustomErrorResponses?.Items),
    cacheBehaviorPaths: (c.CacheBehaviors?.Items ?? []).map((b) => b.PathPattern ?? ''),
  };
}

function fromInvalidation(i: Invalidation): InvalidationInfo {
  return {
    id: i.Id ?? '',
    status: invalidationStatus(i.Status),
    createTime: iso(i.CreateTime),
    paths: i.InvalidationBatch?.Paths?.Items ?? [],
    callerReference: i.InvalidationBatch?.CallerReference,
  };
}

function fromInvalidationSummary(i: InvalidationSummary): InvalidationInfo {
  return { id: i.Id ?? '', status: invalidationStatus(i.Status), createTime: iso(i.CreateTime) };
}

/**
 * The whole configuration of a distribution hotspare manages: the S3 website endpoint as a custom
 * origin over HTTP (website endpoints speak nothing else), visitors redirected to HTTPS, the ACM
 * certificate by SNI, the origin's Cache-Control honoured, index.html at the root and the copy's
 * error page for what is missing.
 */
export function configFor(spec: DistributionSpec, callerReference: string): DistributionConfig {
  return {
    CallerReference: callerReference,
    Comment: spec.comment,
    Enabled: true,
    Aliases: { Quantity: spec.aliases.length, Items: [...spec.aliases] },
    DefaultRootObject: spec.defaultRootObject,
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: ORIGIN_ID,
          DomainName: spec.originDomain,
          CustomOriginConfig: {
            HTTPPort: 80,
            HTTPSPort: 443,
            OriginProtocolPolicy: 'http-only',
            OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2'] },
          },
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: ORIGIN_ID,
      ViewerProtocolPolicy: 'redirect-to-https',
      CachePolicyId: CACHING_OPTIMIZED,
      Compress: true,
      AllowedMethods: { Quantity: 2, Items: ['GET', 'HEAD'], CachedMethods: { Quantity: 2, Items: ['GET', 'HEAD'] } },
    },
    CustomErrorResponses: {
      Quantity: spec.errorResponses.length,
      Items: spec.errorResponses.map((e) => ({
        ErrorCode: e.errorCode,
        ResponsePagePath: e.pagePath,
        ResponseCode: String(e.responseCode),
        ErrorCachingMinTTL: e.cachingMinTtl,
      })),
    },
    ViewerCertificate: {
      ACMCertificateArn: spec.certificateArn,
      SSLSupportMethod: 'sni-only',
      MinimumProtocolVersion: 'TLSv1.2_2021',
    },
    PriceClass: spec.priceClass as DistributionConfig['PriceClass'],
    HttpVersion: 'http2and3',
    IsIPV6Enabled: true,
  };
}
